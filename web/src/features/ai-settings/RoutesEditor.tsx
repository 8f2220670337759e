import { Button, Group, Paper, Select, Stack, Text, TextInput } from "@mantine/core";
import { Controller, useFieldArray, useFormContext, useWatch } from "react-hook-form";

import {
  type AISettingsFormValues,
  MAX_ROUTES,
  PROVIDER_LABELS,
  type RouteValues,
  type RoutesPath,
  newRoute,
} from "./ai-settings-form";
import type { UsableProviderKey } from "./queries";

const PROVIDERS = Object.entries(PROVIDER_LABELS).map(([value, label]) => ({ value, label }));

export interface RoutesEditorProps {
  name: RoutesPath;
  /** Said in labels: "Generate route 1". */
  label: string;
  /** The organization's keys a route may name; null while unknown (read-only screens). */
  keys: UsableProviderKey[] | null;
  readOnly: boolean;
  /** Shown when there are no routes. */
  empty: string;
}

/** The routes of one task in fallback order: the first that answers wins. */
export function RoutesEditor({ name, label, keys, readOnly, empty }: RoutesEditorProps) {
  const { control, formState } = useFormContext<AISettingsFormValues>();
  const { fields, append, remove, move } = useFieldArray({ control, name });
  const listError = name === "near_limit.routes" ? formState.errors.near_limit?.routes?.root?.message ?? formState.errors.near_limit?.routes?.message : undefined;
  return (
    <Stack gap="xs">
      {fields.length === 0 && (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      )}
      {fields.map((field, index) => (
        <Paper key={field.id} withBorder p="sm" component="fieldset" aria-label={`${label} ${index + 1}`} style={{ margin: 0 }}>
          <RouteFields name={name} index={index} label={`${label} ${index + 1}`} keys={keys} readOnly={readOnly} />
          {!readOnly && (
            <Group gap="xs" mt="xs">
              <Button.Group>
                <Button size="compact-xs" variant="default" disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={`Move ${label.toLowerCase()} ${index + 1} up`}>
                  Up
                </Button>
                <Button
                  size="compact-xs"
                  variant="default"
                  disabled={index === fields.length - 1}
                  onClick={() => move(index, index + 1)}
                  aria-label={`Move ${label.toLowerCase()} ${index + 1} down`}
                >
                  Down
                </Button>
              </Button.Group>
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove(index)} aria-label={`Remove ${label.toLowerCase()} ${index + 1}`}>
                Remove
              </Button>
            </Group>
          )}
        </Paper>
      ))}
      {listError && (
        <Text size="sm" c="red.8" role="alert">
          {listError}
        </Text>
      )}
      {!readOnly && (
        <Group>
          <Button size="xs" variant="light" onClick={() => append(newRoute())} disabled={fields.length >= MAX_ROUTES}>
            Add {label.toLowerCase()}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

interface RouteFieldsProps {
  name: RoutesPath;
  index: number;
  label: string;
  keys: UsableProviderKey[] | null;
  readOnly: boolean;
}

function RouteFields({ name, index, label, keys, readOnly }: RouteFieldsProps) {
  const { control, register, setValue, formState } = useFormContext<AISettingsFormValues>();
  const path = `${name}.${index}` as const;
  const route = useWatch({ control, name: path }) as RouteValues | undefined;
  const errors = errorsAt(formState.errors, name, index);
  const offline = route?.provider === "offline";
  const keyOptions = [
    { value: "", label: "No stored key" },
    ...(keys ?? []).filter((key) => key.provider === route?.provider).map((key) => ({ value: key.id, label: `${key.name}${key.base_url ? ` (${key.base_url})` : ""}` })),
  ];
  // A read-only screen cannot list the keys; it still says a stored key is used.
  if (route?.credential_id && !keyOptions.some((option) => option.value === route.credential_id)) {
    keyOptions.push({ value: route.credential_id, label: keys ? "A key this workspace cannot use" : "A stored key" });
  }
  return (
    <Group grow align="flex-start" wrap="wrap" preventGrowOverflow={false}>
      <Controller
        control={control}
        name={`${path}.provider`}
        render={({ field }) => (
          <Select
            label="Provider"
            aria-label={`${label} provider`}
            data={PROVIDERS}
            value={field.value}
            onChange={(value) => {
              if (!value) return;
              field.onChange(value);
              // A key belongs to one provider; the offline composer takes no endpoint.
              setValue(`${path}.credential_id`, "", { shouldDirty: true });
              if (value === "offline") setValue(`${path}.base_url`, "", { shouldDirty: true });
            }}
            allowDeselect={false}
            readOnly={readOnly}
            disabled={readOnly}
          />
        )}
      />
      <TextInput
        label="Model"
        aria-label={`${label} model`}
        placeholder={offline ? "offline" : "gpt-4o-mini"}
        {...register(`${path}.model`)}
        error={errors?.model?.message}
        readOnly={readOnly}
        withAsterisk={!readOnly}
      />
      {!offline && (
        <Controller
          control={control}
          name={`${path}.credential_id`}
          render={({ field }) => (
            <Select
              label="Provider key"
              aria-label={`${label} provider key`}
              data={keyOptions}
              value={field.value}
              onChange={(value) => {
                field.onChange(value ?? "");
                if (value) setValue(`${path}.base_url`, "", { shouldDirty: true });
              }}
              allowDeselect={false}
              error={errors?.credential_id?.message}
              readOnly={readOnly}
              disabled={readOnly}
            />
          )}
        />
      )}
      {!offline && !route?.credential_id && (
        <TextInput
          label="Endpoint"
          aria-label={`${label} endpoint`}
          placeholder="Provider's public API"
          description="For a key-less server such as a local vLLM or Ollama"
          {...register(`${path}.base_url`)}
          error={errors?.base_url?.message}
          readOnly={readOnly}
        />
      )}
    </Group>
  );
}

type RouteErrors = Partial<Record<keyof RouteValues, { message?: string }>>;

function errorsAt(errors: ReturnType<typeof useFormContext<AISettingsFormValues>>["formState"]["errors"], name: RoutesPath, index: number) {
  const list = name === "near_limit.routes" ? errors.near_limit?.routes : errors.routing?.[name.slice("routing.".length) as "generate"];
  return (list as unknown as (RouteErrors | undefined)[] | undefined)?.[index];
}
