// A channel body's texts by path, as the checks name them (`text`, `headlines[2]`,
// `sections[0].body_markdown`), with the label a person reads ("Headline 3", "Section 1 · Body").
import type { FieldSpec } from "../../api/field-specs";
import type { Channel, ContentBody } from "../../api/types";
import { bodySpec, singular } from "../content/body-form";

export interface BodyText {
  path: string;
  label: string;
  text: string;
}

type Step = string | number;

const STEP = /([A-Za-z_]\w*)|\[(\d+)\]/g;

/** `sections[0].body_markdown` → `["sections", 0, "body_markdown"]`. */
export function pathSteps(path: string): Step[] {
  return [...path.matchAll(STEP)].map(([, name, index]) => (name !== undefined ? name : Number(index)));
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const asText = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** The text at `path`, or null when the body has none there. */
export function textAt(body: ContentBody, path: string): string | null {
  let node: unknown = body;
  for (const step of pathSteps(path)) {
    if (typeof step === "number") node = Array.isArray(node) ? (node as unknown[])[step] : undefined;
    else node = asRecord(node)[step];
  }
  return asText(node);
}

/** A copy of `body` with `text` at `path` (which must hold a text already). */
export function withTextAt(body: ContentBody, path: string, text: string): ContentBody {
  const steps = pathSteps(path);
  const copy = structuredClone(body) as unknown;
  let node: unknown = copy;
  for (const step of steps.slice(0, -1)) node = (node as Record<Step, unknown>)[step];
  const last = steps.at(-1);
  if (last === undefined || typeof node !== "object" || node === null) return body;
  (node as Record<Step, unknown>)[last] = text;
  return copy as ContentBody;
}

function specAt(channel: Channel, name: string): FieldSpec | undefined {
  return bodySpec(channel).fields.find((field) => field.name === name);
}

const humanize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll("_", " ");

/** How a path reads: `headlines[2]` → "Headline 3", `sections[0].body_markdown` → "Section 1 · Body". */
export function fieldLabel(channel: Channel, path: string): string {
  const [name, index, sub] = pathSteps(path);
  if (typeof name !== "string") return path;
  const field = specAt(channel, name);
  const label = field?.label ?? humanize(name);
  if (typeof index !== "number") return label;
  const entry = `${singular(label)} ${index + 1}`;
  if (typeof sub !== "string") return entry;
  const subField = field?.kind === "group-list" ? field.fields.find((candidate) => candidate.name === sub) : undefined;
  return `${entry} · ${subField?.label ?? humanize(sub)}`;
}

/** Every text of the body in the channel's field order; empty ones are left out. */
export function bodyTexts(channel: Channel, body: ContentBody): BodyText[] {
  const saved = body as Record<string, unknown>;
  const texts: BodyText[] = [];
  const add = (path: string, value: unknown) => {
    const text = asText(value);
    if (text) texts.push({ path, label: fieldLabel(channel, path), text });
  };
  for (const field of bodySpec(channel).fields) {
    const value = saved[field.name];
    if (field.kind === "list") {
      (Array.isArray(value) ? (value as unknown[]) : []).forEach((item, index) => add(`${field.name}[${index}]`, item));
    } else if (field.kind === "group-list") {
      (Array.isArray(value) ? (value as unknown[]) : []).forEach((group, index) => {
        for (const sub of field.fields) add(`${field.name}[${index}].${sub.name}`, asRecord(group)[sub.name]);
      });
    } else {
      add(field.name, value);
    }
  }
  return texts;
}
