// Puts the API's 422 field errors of a content body on the form's fields.
//
// The API locates them under the body's channel, as Pydantic names a discriminated union's
// member: `["body", "body", "x", "text"]`, `["body", "body", "search_ad", "headlines", 2]`,
// `["body", "body", "landing_page", "sections", 0, "heading"]`. Checks across fields (e.g.
// "path2 needs path1", Instagram's hashtag total) stop at `["body", "body", "<channel>"]`, and
// a channel mismatch is at `["body", "body", "channel"]`; those cannot sit on one field.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

import { applyFieldErrors } from "../../api/form-errors";
import { CHANNEL_LABELS } from "../../api/labels";
import { type FieldMessage, isApiError } from "../../api/problem";
import type { Channel } from "../../api/types";
import { bodySpec } from "./body-form";

/** The form path (under `body`) of an API error path below the channel, e.g. `headlines.2`. */
export function bodyErrorField(channel: Channel, path: string): string | null {
  const [name, index, sub] = path.split(".");
  const field = bodySpec(channel).fields.find((candidate) => candidate.name === name);
  if (!field) return null;
  const isIndex = index !== undefined && /^\d+$/.test(index);
  if (field.kind === "list" && isIndex) return `body.${field.name}.${index}.value`;
  if (field.kind === "group-list" && isIndex && field.fields.some((candidate) => candidate.name === sub)) {
    return `body.${field.name}.${index}.${sub}`;
  }
  return `body.${field.name}`;
}

/** How an error the form could not place is introduced, e.g. "Search ad" for a cross-field check. */
function unplacedLabel(channel: Channel, path: string): string {
  const prefix = `body.${channel}`;
  if (path === prefix || path === "body") return CHANNEL_LABELS[channel];
  if (path.startsWith(`${prefix}.`)) return path.slice(prefix.length + 1);
  if (path === "body.channel") return "Channel";
  return path;
}

export interface PlaceContentErrorsOptions {
  channel: Channel;
  /** Fields the form has besides the body, e.g. `["title", "channel"]` when creating. */
  otherFields?: readonly string[];
}

/** Pydantic prefixes a validator's own sentence with its kind; the person needs the sentence. */
export const tidyMessage = (message: string | undefined) => message?.replace(/^Value error, /, "");

/**
 * Sets each placeable error on its field and returns the rest, labelled for a person (null when
 * the error carries no field errors).
 */
export function placeContentErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  { channel, otherFields = [] }: PlaceContentErrorsOptions,
): FieldMessage[] | null {
  const bodyPrefix = `body.${channel}.`;
  const toField = (path: string): Path<T> | null => {
    if (path.startsWith(bodyPrefix)) return bodyErrorField(channel, path.slice(bodyPrefix.length)) as Path<T> | null;
    const other = path === "body.channel" ? "channel" : path;
    return otherFields.includes(other) ? (other as Path<T>) : null;
  };
  const setTidyError: UseFormSetError<T> = (name, fieldError, options) =>
    setError(name, { ...fieldError, message: tidyMessage(fieldError.message) }, options);
  const unplaced = applyFieldErrors(error, setTidyError, { at: ["body"], toField });
  return unplaced && unplaced.map((item) => ({ path: unplacedLabel(channel, item.path), message: tidyMessage(item.message) ?? "" }));
}

/**
 * What a refused save asks of the person, in place of the API's `detail` (which only repeats the
 * field errors, locations and all). Undefined when the error has no field errors: then `detail`
 * is the message.
 */
export function correctionMessage(error: unknown, unplaced: readonly FieldMessage[] | null): string | undefined {
  if (!unplaced || !isApiError(error)) return undefined;
  if (unplaced.length === 0) return "Correct the fields marked above, then try again.";
  const somePlaced = error.errors.length > unplaced.length;
  return somePlaced ? "Correct the fields marked above and the points below, then try again." : "Correct the points below, then try again.";
}
