// A channel body as a form edits it, generated from CHANNEL_BODIES (the contract's fields and
// limits), and the conversions to and from the API's body.
import { CHANNEL_BODIES } from "../../api/channels.gen";
import type { ChannelBodySpec, FieldSpec } from "../../api/field-specs";
import type { Channel, ContentBody } from "../../api/types";
import type { CompareRow } from "../../components/CompareValues";

/** One entry of a list of texts (react-hook-form's field arrays need objects, not strings). */
export interface ListItemValue {
  value: string;
}

/** One entry of a list of groups, e.g. a landing page section: its text fields by name. */
export type GroupValue = Record<string, string>;

export type FieldValue = string | ListItemValue[] | GroupValue[];

/** The body's fields by name, without `channel`. */
export type BodyValues = Record<string, FieldValue>;

export function bodySpec(channel: Channel): ChannelBodySpec {
  return CHANNEL_BODIES[channel];
}

/** "Headlines" → "Headline": how one entry of a list field is named. */
export function singular(label: string): string {
  return label.endsWith("s") ? label.slice(0, -1) : label;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

const asText = (value: unknown): string => {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return JSON.stringify(value);
};

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

const emptyGroup = (fields: readonly FieldSpec[]): GroupValue =>
  Object.fromEntries(fields.map((field) => [field.name, ""]));

/** A list starts with as many blank entries as it needs at least, so the form shows them. */
const padTo = <T>(items: T[], min: number | undefined, blank: () => T): T[] =>
  items.length >= (min ?? 0) ? items : [...items, ...Array.from({ length: (min ?? 0) - items.length }, blank)];

/** The form's values for `body`, or a blank body of the channel. */
export function toBodyValues(channel: Channel, body?: ContentBody): BodyValues {
  const saved: Record<string, unknown> = body ? { ...body } : {};
  const values: BodyValues = {};
  for (const field of bodySpec(channel).fields) {
    const value = saved[field.name] ?? field.default;
    switch (field.kind) {
      case "list": {
        const items = asList(value).map((item) => ({ value: asText(item) }));
        values[field.name] = padTo(items, field.minItems, () => ({ value: "" }));
        break;
      }
      case "group-list": {
        const groups = asList(value).map((group) => {
          const record = asRecord(group);
          return Object.fromEntries(field.fields.map((sub) => [sub.name, asText(record[sub.name])]));
        });
        values[field.name] = padTo(groups, field.minItems, () => emptyGroup(field.fields));
        break;
      }
      default:
        values[field.name] = asText(value);
    }
  }
  return values;
}

/** As the API stores text: NFC, without surrounding white space (so "unchanged" compares true). */
const clean = (text: string) => text.normalize("NFC").trim();

function fieldToApi(field: FieldSpec, value: FieldValue | undefined): unknown {
  switch (field.kind) {
    case "list":
      return (Array.isArray(value) ? (value as ListItemValue[]) : []).map((item) => clean(item.value));
    case "group-list":
      return (Array.isArray(value) ? (value as GroupValue[]) : []).map((group) =>
        Object.fromEntries(field.fields.map((sub) => [sub.name, clean(group[sub.name] ?? "")])),
      );
    default: {
      const text = clean(typeof value === "string" ? value : "");
      // An optional nullable field left blank is "not set", not an empty text.
      return text === "" && field.nullable && !field.required ? null : text;
    }
  }
}

/** The API body for the form's values. The API validates it; the form only helps before that. */
export function toApiBody(channel: Channel, values: BodyValues): ContentBody {
  const body: Record<string, unknown> = { channel };
  for (const field of bodySpec(channel).fields) body[field.name] = fieldToApi(field, values[field.name]);
  // Built from the contract's own field list for this channel, so it has that channel's shape.
  return body as ContentBody;
}

/** Names of the fields whose values differ from `saved`'s. */
export function changedFields(channel: Channel, values: BodyValues, saved: ContentBody): string[] {
  const mine = toApiBody(channel, values) as Record<string, unknown>;
  const theirs = toApiBody(channel, toBodyValues(channel, saved)) as Record<string, unknown>;
  return bodySpec(channel)
    .fields.map((field) => field.name)
    .filter((name) => JSON.stringify(mine[name]) !== JSON.stringify(theirs[name]));
}

/** A field's value as one text, for the 412 "Compare" table. */
function displayValue(field: FieldSpec, value: unknown): string {
  if (field.kind === "group-list") {
    return asList(value)
      .map((group) => field.fields.map((sub) => `${sub.label}: ${asText(asRecord(group)[sub.name])}`).join("\n"))
      .join("\n\n");
  }
  if (Array.isArray(value)) return asList(value).map(asText).join("\n");
  return asText(value);
}

/** The person's unsaved body next to the saved one, field by field. */
export function bodyCompareRows(channel: Channel, values: BodyValues, saved: ContentBody): CompareRow[] {
  const mine = toApiBody(channel, values) as Record<string, unknown>;
  const theirs: Record<string, unknown> = { ...saved };
  return bodySpec(channel).fields.map((field) => ({
    label: field.label,
    mine: displayValue(field, mine[field.name]),
    saved: displayValue(field, theirs[field.name]),
  }));
}
