// Puts a 422's field errors on the react-hook-form fields they belong to.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

import { type FieldMessage, fieldMessages, isApiError } from "./problem";

export interface ApplyFieldErrorsOptions<T extends FieldValues> {
  /** Where the form's object sits in the error location; `["body"]` for a plain JSON body. */
  at?: readonly (string | number)[];
  /**
   * Maps an API path to the form's field name, or null when the form has no such field.
   * Defaults to the path itself when `fields` lists it.
   */
  toField?: (path: string) => Path<T> | null;
  /** The form's field names; errors elsewhere are returned as unplaced. */
  fields?: readonly string[];
}

/**
 * Sets every placeable field error on the form and returns the ones it could not place, so the
 * caller can show them (with the problem's `detail`) above the submit button. Returns null when
 * the error carries no field errors at all.
 */
export function applyFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  options: ApplyFieldErrorsOptions<T> = {},
): FieldMessage[] | null {
  if (!isApiError(error) || error.errors.length === 0) return null;
  const toField = options.toField ?? defaultToField<T>(options.fields);
  const unplaced: FieldMessage[] = [];
  let focused = false;
  for (const message of fieldMessages(error, options.at)) {
    const field = toField(message.path);
    if (field === null) {
      unplaced.push(message);
      continue;
    }
    setError(field, { type: "server", message: message.message }, { shouldFocus: !focused });
    focused = true;
  }
  return unplaced;
}

function defaultToField<T extends FieldValues>(fields: readonly string[] | undefined) {
  return (path: string): Path<T> | null => {
    if (!fields) return path as Path<T>;
    const known = fields.some((field) => path === field || path.startsWith(`${field}.`));
    return known ? (path as Path<T>) : null;
  };
}
