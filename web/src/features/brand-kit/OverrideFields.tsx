import { Button, Checkbox, Fieldset, Group, NativeSelect, Stack, Text } from "@mantine/core";
import { useRef, useState } from "react";
import { Controller, get, useFieldArray, useFormContext, useWatch } from "react-hook-form";

import { CHANNEL_LABELS } from "../../api/labels";
import { channelValues } from "../../api/schema.gen";
import type { Channel } from "../../api/types";
import { FormTextField } from "../../components/FormTextField";
import { type BrandKitFormValues, blankOverride } from "./brand-kit-form";
import { LIMITS } from "./limits";
import { TermsInput } from "./ListShell";
import { BannedTermRows } from "./RuleFields";

type Form = BrandKitFormValues;

/** Per channel, what differs from the kit: its own tone, extra banned terms, notes for writers. */
export function OverrideFields() {
  const { control, formState } = useFormContext<Form>();
  const { fields, append, remove } = useFieldArray({ control, name: "channel_overrides" });
  const used = new Set(fields.map((field) => field.channel));
  const free = channelValues.filter((channel) => !used.has(channel));
  const [choice, setChoice] = useState<Channel | "">("");
  const addRef = useRef<HTMLButtonElement>(null);
  const selected = choice && free.includes(choice) ? choice : (free[0] ?? "");
  const listError = get<typeof formState.errors, { message?: string; root?: { message?: string } } | undefined>(
    formState.errors,
    "channel_overrides",
  );

  return (
    <Stack gap="md">
      {fields.length === 0 && (
        <Text size="sm" c="dimmed">
          Every channel follows the kit. Add an override where a channel needs its own tone or extra banned terms.
        </Text>
      )}
      {fields.map((entry, index) => (
        <Fieldset key={entry.id} legend={`${CHANNEL_LABELS[entry.channel]} override`}>
          <Stack gap="sm">
            <OwnTone index={index} />
            <BannedTermRows
              name={`channel_overrides.${index}.extra_banned_terms`}
              max={LIMITS.overrideBannedTerms.maxItems}
              legend="Extra banned terms"
              description={`Banned on ${CHANNEL_LABELS[entry.channel]} only, on top of the kit's.`}
            />
            <FormTextField<Form>
              name={`channel_overrides.${index}.notes`}
              label="Notes for writers"
              rules={{ maxLength: LIMITS.notes }}
              multiline
            />
            <div>
              <Button
                variant="default"
                color="red"
                size="xs"
                onClick={() => {
                  remove(index);
                  setTimeout(() => addRef.current?.focus());
                }}
              >
                Remove the {CHANNEL_LABELS[entry.channel]} override
              </Button>
            </div>
          </Stack>
        </Fieldset>
      ))}
      {(listError?.root?.message ?? listError?.message) && (
        <Text size="sm" c="red.8" role="alert">
          {listError?.root?.message ?? listError?.message}
        </Text>
      )}
      {free.length > 0 && (
        <Group align="flex-end" gap="sm">
          <NativeSelect
            label="Channel"
            data={free.map((channel) => ({ value: channel, label: CHANNEL_LABELS[channel] }))}
            value={selected}
            onChange={(event) => setChoice(event.currentTarget.value as Channel)}
            w={{ base: "100%", sm: 220 }}
          />
          <Button
            ref={addRef}
            variant="light"
            onClick={() => {
              if (selected) append(blankOverride(selected), { shouldFocus: false });
            }}
          >
            Add override
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function OwnTone({ index }: { index: number }) {
  const { control } = useFormContext<Form>();
  const ownTone = useWatch({ control, name: `channel_overrides.${index}.own_tone` });
  return (
    <Stack gap="xs">
      <Controller
        control={control}
        name={`channel_overrides.${index}.own_tone`}
        render={({ field }) => (
          <Checkbox
            label="Use its own tone instead of the kit's"
            checked={field.value}
            onChange={(event) => field.onChange(event.currentTarget.checked)}
            onBlur={field.onBlur}
            ref={field.ref}
          />
        )}
      />
      {ownTone && (
        <TermsInput name={`channel_overrides.${index}.tone`} label="Tone on this channel" maxTags={LIMITS.tone.maxItems} />
      )}
    </Stack>
  );
}
