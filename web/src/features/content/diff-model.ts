// A version diff laid out side by side: for each changed field, the old value's lines (left)
// and the new value's (right), with removed and added words marked. The API says which fields
// changed and carries their before/after values; the words are compared here.
import { diffArrays, diffWords } from "diff";

import type { FieldSpec } from "../../api/field-specs";
import type { Channel, VersionDiff } from "../../api/types";
import { bodySpec, singular } from "./body-form";

export type SegmentKind = "same" | "removed" | "added";

export interface Segment {
  text: string;
  kind: SegmentKind;
}

/** One line of one side: a text, a list entry or a group's field. */
export interface DiffLine {
  /** E.g. "Headline 2" or "Section 1 · Heading"; none for a plain text field. */
  label?: string;
  segments: Segment[];
}

export interface FieldDiff {
  field: string;
  label: string;
  kind: VersionDiff["changes"][number]["kind"];
  before: DiffLine[];
  after: DiffLine[];
}

interface Sides {
  before: DiffLine[];
  after: DiffLine[];
}

const asText = (value: unknown): string =>
  typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value);

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The words of `before` and `after`, each marked as kept, removed (left) or added (right). */
export function wordSegments(before: string, after: string): { before: Segment[]; after: Segment[] } {
  const parts = diffWords(before, after);
  return {
    before: parts.filter((part) => !part.added).map((part) => ({ text: part.value, kind: part.removed ? "removed" : "same" })),
    after: parts.filter((part) => !part.removed).map((part) => ({ text: part.value, kind: part.added ? "added" : "same" })),
  };
}

const whole = (text: string, kind: SegmentKind, label?: string): DiffLine => ({ label, segments: [{ text, kind }] });

/** A text field: one line a side, or none for an empty value. */
function textSides(before: string, after: string, label?: string): Sides {
  const words = wordSegments(before, after);
  return {
    before: before === "" ? [] : [{ label, segments: words.before }],
    after: after === "" ? [] : [{ label, segments: words.after }],
  };
}

/**
 * A list of texts, entry by entry. An entry replaced by another at the same place (a removal
 * followed by an addition) is compared word by word, so an edited headline reads as an edit.
 */
function listSides(before: string[], after: string[], entry: string): Sides {
  const sides: Sides = { before: [], after: [] };
  let left = 0;
  let right = 0;
  const parts = diffArrays(before, after);
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index];
    if (!part) continue;
    if (!part.added && !part.removed) {
      for (const text of part.value) {
        sides.before.push(whole(text, "same", `${entry} ${(left += 1)}`));
        sides.after.push(whole(text, "same", `${entry} ${(right += 1)}`));
      }
      continue;
    }
    const next = parts[index + 1];
    const removed = part.removed ? part.value : [];
    const added = part.added ? part.value : part.removed && next?.added ? next.value : [];
    if (part.removed && next?.added) index += 1;
    removed.forEach((text, at) => {
      const replacement = added[at];
      const label = `${entry} ${(left += 1)}`;
      sides.before.push(replacement === undefined ? whole(text, "removed", label) : { label, segments: wordSegments(text, replacement).before });
    });
    added.forEach((text, at) => {
      const replaced = removed[at];
      const label = `${entry} ${(right += 1)}`;
      sides.after.push(replaced === undefined ? whole(text, "added", label) : { label, segments: wordSegments(replaced, text).after });
    });
  }
  return sides;
}

/** A list of groups (e.g. landing page sections), compared place by place; unchanged groups are left out. */
function groupListSides(before: unknown[], after: unknown[], field: Extract<FieldSpec, { kind: "group-list" }>): Sides {
  const sides: Sides = { before: [], after: [] };
  const group = singular(field.label);
  for (let index = 0; index < Math.max(before.length, after.length); index += 1) {
    const old = index < before.length ? asRecord(before[index]) : null;
    const now = index < after.length ? asRecord(after[index]) : null;
    if (JSON.stringify(old) === JSON.stringify(now)) continue;
    for (const sub of field.fields) {
      const label = `${group} ${index + 1} · ${sub.label}`;
      const oldText = old ? asText(old[sub.name]) : "";
      const newText = now ? asText(now[sub.name]) : "";
      if (old && now && oldText === newText) continue;
      if (old === null) sides.after.push(whole(newText, "added", label));
      else if (now === null) sides.before.push(whole(oldText, "removed", label));
      else {
        const text = textSides(oldText, newText, label);
        sides.before.push(...text.before);
        sides.after.push(...text.after);
      }
    }
  }
  return sides;
}

function fieldSides(field: FieldSpec | undefined, before: unknown, after: unknown): Sides {
  if (field?.kind === "list") return listSides(asList(before).map(asText), asList(after).map(asText), singular(field.label));
  if (field?.kind === "group-list") return groupListSides(asList(before), asList(after), field);
  return textSides(asText(before), asText(after));
}

/** "meta_description" → "Meta description", for a field the contract does not list (any more). */
const humanize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll("_", " ");

/** The API's field changes, in the channel's field order, laid out side by side. */
export function sideBySide(channel: Channel, diff: VersionDiff): FieldDiff[] {
  const fields = bodySpec(channel).fields;
  const order = (name: string) => {
    const position = fields.findIndex((field) => field.name === name);
    return position === -1 ? fields.length : position;
  };
  return [...diff.changes]
    .sort((a, b) => order(a.field) - order(b.field))
    .map((change) => {
      const field = fields.find((candidate) => candidate.name === change.field);
      return {
        field: change.field,
        label: field?.label ?? humanize(change.field),
        kind: change.kind,
        ...fieldSides(field, change.before, change.after),
      };
    });
}
