import type { Path } from "react-hook-form";

import type { FieldSpec } from "../../api/field-specs";
import { FormTextField } from "../../components/FormTextField";
import type { EditorFormValues } from "./content-form";

export type TextSpec = Extract<FieldSpec, { kind: "text" }>;

/** Long texts get a text area; a headline or a URL stays on one line. */
const MULTILINE_FROM = 200;

export interface BodyTextFieldProps {
  field: TextSpec;
  name: string;
  label?: string;
  readOnly: boolean;
}

/**
 * The contract's description without its limit ("Subject line, at most 150 code points" →
 * "Subject line"): the live counter already states the limit, in characters.
 */
export function helpText(description: string | undefined): string | undefined {
  const text = description?.replace(/,?\s*at most \d+( code points)?\.?$/i, "").trim();
  return text ? text : undefined;
}

/** One text of a body, with the contract's limits and a live counter. */
export function BodyTextField({ field, name, label = field.label, readOnly }: BodyTextFieldProps) {
  const isUrl = field.rules.format === "uri";
  return (
    <FormTextField<EditorFormValues>
      name={name as Path<EditorFormValues>}
      label={label}
      rules={field.rules}
      required={field.required}
      multiline={!isUrl && (field.rules.maxLength ?? 0) >= MULTILINE_FROM}
      type={isUrl ? "url" : "text"}
      inputMode={isUrl ? "url" : undefined}
      placeholder={isUrl ? "https://" : undefined}
      description={isUrl ? "A full web address, starting with https://" : helpText(field.description)}
      readOnly={readOnly}
    />
  );
}
