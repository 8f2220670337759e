import { ActionIcon, Button, Fieldset, Group, Stack, TagsInput, Text } from "@mantine/core";
import { type ReactNode, type RefObject, useRef } from "react";
import { Controller, type Path, get, useFormContext } from "react-hook-form";

import { LimitCounter } from "../../components/LimitCounter";
import type { BrandKitFormValues } from "./brand-kit-form";

type Form = BrandKitFormValues;

/** The message of a whole list (e.g. "listed twice"), from the form or the API. */
function useListError(name: string): string | undefined {
  const { formState } = useFormContext<Form>();
  const error = get<typeof formState.errors, { message?: string; root?: { message?: string } } | undefined>(formState.errors, name);
  return error?.root?.message ?? error?.message;
}

export interface ListShellProps {
  /** The list's react-hook-form path, for its own error. */
  name: string;
  legend: string;
  description?: ReactNode;
  count: number;
  max: number;
  /** E.g. "terms", for the counter. */
  unit: string;
  addLabel: string;
  onAdd: () => void;
  addRef: RefObject<HTMLButtonElement | null>;
  children: ReactNode;
}

/** A list of rows: legend, counter, the list's own error and an "Add …" button. */
export function ListShell({ name, legend, description, count, max, unit, addLabel, onAdd, addRef, children }: ListShellProps) {
  const error = useListError(name);
  return (
    <Fieldset legend={legend} variant="unstyled">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {description}
          </Text>
          <LimitCounter used={count} max={max} unit={unit} />
        </Group>
        {children}
        {error && (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        )}
        <div>
          <Button ref={addRef} variant="light" size="xs" onClick={onAdd} disabled={count >= max}>
            {addLabel}
          </Button>
        </div>
      </Stack>
    </Fieldset>
  );
}

export function RemoveButton({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={label} mt={26}>
      <span aria-hidden="true">×</span>
    </ActionIcon>
  );
}

/** Removes a row and moves focus to the "Add …" button, so the keyboard is not lost. */
export function useRemoveRow(remove: (index: number) => void) {
  const addRef = useRef<HTMLButtonElement>(null);
  const removeAt = (index: number) => {
    remove(index);
    setTimeout(() => addRef.current?.focus());
  };
  return { addRef, removeAt };
}

export interface TermsInputProps {
  name: Path<Form>;
  label: string;
  description?: string;
  maxTags: number;
  placeholder?: string;
}

/** Short terms as tags: type one and press Enter or comma. Errors of any term show here. */
export function TermsInput({ name, label, description, maxTags, placeholder }: TermsInputProps) {
  const { control } = useFormContext<Form>();
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => {
        const error = fieldState.error;
        // An error of one term (e.g. `tone.2`) is an array of errors: show the first message.
        const message =
          error?.message ??
          (Array.isArray(error) ? (error as ({ message?: string } | undefined)[]).find((item) => item?.message)?.message : undefined);
        return (
          <TagsInput
            label={label}
            description={description}
            placeholder={placeholder}
            value={field.value as string[]}
            onChange={field.onChange}
            onBlur={field.onBlur}
            ref={field.ref}
            error={message}
            maxTags={maxTags}
            splitChars={[","]}
            clearable
          />
        );
      }}
    />
  );
}
