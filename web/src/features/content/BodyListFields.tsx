import { ActionIcon, Button, Fieldset, Group, Stack, Text } from "@mantine/core";
import { type ReactNode, type RefObject, useRef } from "react";
import { type Path, get, useFieldArray, useFormContext } from "react-hook-form";

import type { FieldSpec } from "../../api/field-specs";
import { FormTextField } from "../../components/FormTextField";
import { LimitCounter } from "../../components/LimitCounter";
import { BodyTextField, type TextSpec } from "./BodyTextField";
import { type GroupValue, type ListItemValue, singular } from "./body-form";
import type { EditorFormValues } from "./content-form";

type Form = EditorFormValues;
// The same form seen from one list field, whose entries have a known shape.
type ListForm = { body: Record<string, ListItemValue[]> };
type GroupListForm = { body: Record<string, GroupValue[]> };
type ListSpec = Extract<FieldSpec, { kind: "list" }>;
type GroupListSpec = Extract<FieldSpec, { kind: "group-list" }>;

/** The message of a whole list (e.g. "Add at least 3 headlines"), from the form or the API. */
function useListError(name: string): string | undefined {
  const { formState } = useFormContext<Form>();
  const error = get<typeof formState.errors, { message?: string; root?: { message?: string } } | undefined>(formState.errors, name);
  return error?.root?.message ?? error?.message;
}

interface ListShellProps {
  field: ListSpec | GroupListSpec;
  count: number;
  name: string;
  addLabel: string;
  onAdd: () => void;
  addRef: RefObject<HTMLButtonElement | null>;
  readOnly: boolean;
  children: ReactNode;
}

/** A list field's frame: legend, item counter, the list's own error and the "Add …" button. */
function ListShell({ field, count, name, addLabel, onAdd, addRef, readOnly, children }: ListShellProps) {
  const error = useListError(name);
  return (
    <Fieldset legend={field.label} variant="unstyled">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed">
            {/* The contract says "code points" (what the API counts); people say characters. */}
            {field.description?.replaceAll("code points", "characters")}
          </Text>
          <LimitCounter used={count} max={field.maxItems} min={field.minItems} unit={field.label.toLowerCase()} />
        </Group>
        {children}
        {error && (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        )}
        {!readOnly && (
          <div>
            <Button ref={addRef} variant="light" size="xs" onClick={onAdd} disabled={field.maxItems !== undefined && count >= field.maxItems}>
              {addLabel}
            </Button>
          </div>
        )}
      </Stack>
    </Fieldset>
  );
}

function RemoveButton({ label, onRemove, readOnly }: { label: string; onRemove: () => void; readOnly: boolean }) {
  if (readOnly) return null;
  return (
    <ActionIcon variant="subtle" color="red" mt={26} onClick={onRemove} aria-label={label}>
      <span aria-hidden="true">×</span>
    </ActionIcon>
  );
}

/**
 * Removes an entry and keeps the keyboard nearby: on the entry that took its place (its first
 * input is `inputOf(index)`), or on "Add …" once the list is empty.
 */
function useRemoveEntry(name: string, count: number, remove: (index: number) => void, inputOf: (index: number) => string) {
  const { setFocus } = useFormContext<Form>();
  const addRef = useRef<HTMLButtonElement>(null);
  const removeAt = (index: number) => {
    remove(index);
    const next = Math.min(index, count - 2);
    // After React has re-rendered the list without the removed entry.
    setTimeout(() => (next >= 0 ? setFocus(`${name}.${inputOf(next)}` as Path<Form>) : addRef.current?.focus()));
  };
  return { addRef, removeAt };
}

/** A list of texts (e.g. headlines): add, remove, and the contract's count limits. */
export function ListField({ field, readOnly }: { field: ListSpec; readOnly: boolean }) {
  const { control } = useFormContext<ListForm>();
  const name = `body.${field.name}` as const;
  const { fields, append, remove } = useFieldArray({ control, name });
  const { addRef, removeAt } = useRemoveEntry(name, fields.length, remove, (index) => `${index}.value`);
  const item = singular(field.label);
  const itemRules: TextSpec = { name: field.name, label: item, kind: "text", rules: field.item, required: false, nullable: false };
  return (
    <ListShell
      field={field}
      count={fields.length}
      name={name}
      addLabel={`Add ${item.toLowerCase()}`}
      onAdd={() => append({ value: "" }, { shouldFocus: true })}
      addRef={addRef}
      readOnly={readOnly}
    >
      {fields.map((entry, index) => (
        <Group key={entry.id} align="flex-start" wrap="nowrap" gap="xs">
          <div style={{ flex: 1 }}>
            <BodyTextField field={itemRules} name={`${name}.${index}.value`} label={`${item} ${index + 1}`} readOnly={readOnly} />
          </div>
          <RemoveButton label={`Remove ${item.toLowerCase()} ${index + 1}`} onRemove={() => removeAt(index)} readOnly={readOnly} />
        </Group>
      ))}
    </ListShell>
  );
}

/** A list of groups of texts (e.g. landing page sections). */
export function GroupListField({ field, readOnly }: { field: GroupListSpec; readOnly: boolean }) {
  const { control } = useFormContext<GroupListForm>();
  const name = `body.${field.name}` as const;
  const { fields, append, remove } = useFieldArray({ control, name });
  const { addRef, removeAt } = useRemoveEntry(name, fields.length, remove, (index) => `${index}.${field.fields[0]?.name}`);
  const group = singular(field.label);
  const blank: GroupValue = Object.fromEntries(field.fields.map((sub) => [sub.name, ""]));
  return (
    <ListShell
      field={field}
      count={fields.length}
      name={name}
      addLabel={`Add ${group.toLowerCase()}`}
      onAdd={() => append(blank, { shouldFocus: true })}
      addRef={addRef}
      readOnly={readOnly}
    >
      {fields.map((entry, index) => (
        <Fieldset key={entry.id} legend={`${group} ${index + 1}`}>
          <Group align="flex-start" wrap="nowrap" gap="xs">
            <Stack gap="sm" style={{ flex: 1 }}>
              {field.fields.map((sub) =>
                sub.kind === "text" ? (
                  <BodyTextField key={sub.name} field={sub} name={`${name}.${index}.${sub.name}`} readOnly={readOnly} />
                ) : (
                  <FormTextField<Form>
                    key={sub.name}
                    name={`${name}.${index}.${sub.name}` as Path<Form>}
                    label={sub.label}
                    readOnly={readOnly}
                  />
                ),
              )}
            </Stack>
            <RemoveButton label={`Remove ${group.toLowerCase()} ${index + 1}`} onRemove={() => removeAt(index)} readOnly={readOnly} />
          </Group>
        </Fieldset>
      ))}
    </ListShell>
  );
}
