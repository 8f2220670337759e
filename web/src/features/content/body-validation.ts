// The form's own checks of a body, from the contract's limits, so most mistakes show before a
// round trip. The API stays the judge: its 422 messages are placed on the same fields.
import { type FieldSpec, type StringRules, codePointLength } from "../../api/field-specs";
import type { Channel } from "../../api/types";
import { type BodyValues, type GroupValue, type ListItemValue, bodySpec, singular } from "./body-form";

export interface BodyIssue {
  /** The form path under `body`, e.g. `headlines.2.value` or `sections.0.heading`. */
  path: string;
  message: string;
}

const isWebAddress = (text: string) => {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    return new URL(text).hostname.length > 0;
  } catch {
    return false;
  }
};

/**
 * Length and format of one text. Item patterns (e.g. hashtags) are left to the API: the
 * contract's patterns are Python regular expressions, whose `\w` matches letters JavaScript's
 * does not.
 */
function textIssue(text: string, rules: StringRules, emptyMessage: string | null): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return emptyMessage;
  const length = codePointLength(trimmed.normalize("NFC"));
  if (rules.maxLength !== undefined && length > rules.maxLength) {
    return `Use at most ${rules.maxLength} characters; this has ${length}.`;
  }
  if (rules.format === "uri" && !isWebAddress(trimmed)) return "Enter a full web address, starting with https://.";
  return null;
}

function countIssue(field: FieldSpec & { minItems?: number; maxItems?: number }, count: number): string | null {
  const noun = field.label.toLowerCase();
  if (field.minItems !== undefined && count < field.minItems) return `Add at least ${field.minItems} ${noun}.`;
  if (field.maxItems !== undefined && count > field.maxItems) return `Use at most ${field.maxItems} ${noun}.`;
  return null;
}

function fieldIssues(field: FieldSpec, value: BodyValues[string] | undefined): BodyIssue[] {
  const issues: BodyIssue[] = [];
  const add = (path: string, message: string | null) => message && issues.push({ path, message });
  switch (field.kind) {
    case "text": {
      const required = field.required || (field.rules.minLength ?? 0) > 0;
      add(field.name, textIssue(typeof value === "string" ? value : "", field.rules, required ? "This can’t be empty." : null));
      break;
    }
    case "list": {
      const items = Array.isArray(value) ? (value as ListItemValue[]) : [];
      add(field.name, countIssue(field, items.length));
      const empty = `Write this ${singular(field.label).toLowerCase()} or remove it.`;
      items.forEach((item, index) => add(`${field.name}.${index}.value`, textIssue(item.value, field.item, empty)));
      break;
    }
    case "group-list": {
      const groups = Array.isArray(value) ? (value as GroupValue[]) : [];
      add(field.name, countIssue(field, groups.length));
      groups.forEach((group, index) => {
        for (const sub of field.fields) {
          issues.push(...fieldIssues(sub, group[sub.name]).map((issue) => ({ ...issue, path: `${field.name}.${index}.${issue.path}` })));
        }
      });
      break;
    }
    case "value":
      break;
  }
  return issues;
}

/** Every problem the form can see in `values` before sending them. */
export function bodyIssues(channel: Channel, values: BodyValues): BodyIssue[] {
  return bodySpec(channel).fields.flatMap((field) => fieldIssues(field, values[field.name]));
}
