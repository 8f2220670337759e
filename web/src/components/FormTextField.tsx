import { Group, Textarea, TextInput } from "@mantine/core";
import type { ReactNode } from "react";
import { type FieldValues, type Path, get, useFormContext, useWatch } from "react-hook-form";

import { type StringRules, codePointLength } from "../api/field-specs";
import { LimitCounter } from "./LimitCounter";

export interface FormTextFieldProps<T extends FieldValues> {
  /** The field's react-hook-form path; the form must be inside a `<FormProvider>`. */
  name: Path<T>;
  label: string;
  /** Limits from the contract (channels.gen.ts / campaign-fields.gen.ts); `maxLength` adds a live counter. */
  rules?: StringRules;
  description?: ReactNode;
  required?: boolean;
  multiline?: boolean;
  type?: "text" | "date" | "url" | "email" | "search";
  placeholder?: string;
  readOnly?: boolean;
  autoComplete?: string;
  inputMode?: "text" | "decimal" | "numeric" | "url" | "email";
}

/**
 * A text input bound to react-hook-form, with a live counter for the contract's limit and the
 * field's error (the form's own or the API's, via `applyFieldErrors`) shown in place.
 */
export function FormTextField<T extends FieldValues>({
  name,
  label,
  rules,
  description,
  required = false,
  multiline = false,
  type = "text",
  ...rest
}: FormTextFieldProps<T>) {
  const {
    register,
    control,
    formState: { errors },
  } = useFormContext<T>();
  const value: unknown = useWatch({ control, name });
  const error = get<typeof errors, { message?: string } | undefined>(errors, name)?.message;
  const counter =
    rules?.maxLength !== undefined ? (
      <LimitCounter used={codePointLength(typeof value === "string" ? value : "")} max={rules.maxLength} />
    ) : null;
  const help =
    description || counter ? (
      <Group component="span" justify="space-between" gap="xs" wrap="nowrap">
        <span>{description}</span>
        {counter}
      </Group>
    ) : undefined;
  const shared = {
    label,
    description: help,
    error,
    withAsterisk: required,
    "aria-required": required || undefined,
    inputWrapperOrder: ["label", "input", "description", "error"] as ("label" | "input" | "description" | "error")[],
    ...rest,
    ...register(name),
  };
  return multiline ? <Textarea autosize minRows={3} maxRows={12} {...shared} /> : <TextInput type={type} {...shared} />;
}
