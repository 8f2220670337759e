import { Checkbox, Fieldset, Group, SimpleGrid, Stack } from "@mantine/core";
import { Controller, useFieldArray, useFormContext } from "react-hook-form";

import { CHANNEL_LABELS } from "../../api/labels";
import { channelValues } from "../../api/schema.gen";
import { FormTextField } from "../../components/FormTextField";
import { type BrandKitFormValues, blankBannedTerm } from "./brand-kit-form";
import { LIMITS } from "./limits";
import { ListShell, RemoveButton, TermsInput, useRemoveRow } from "./ListShell";

type Form = BrandKitFormValues;

/** What compliance checks enforce. */
export function RuleFields() {
  return (
    <Stack gap="xl">
      <BannedTermRows name="rules.banned_terms" max={LIMITS.bannedTerms.maxItems} legend="Banned terms" />
      <DisclaimerRows />
      <ClaimRows />
      <CompetitorRows />
    </Stack>
  );
}

export interface BannedTermRowsProps {
  /** The kit's list, or a channel override's (same shape). */
  name: "rules.banned_terms" | `channel_overrides.${number}.extra_banned_terms`;
  max: number;
  legend: string;
  description?: string;
}

/** Words never to use, each with an optional replacement and reason. */
export function BannedTermRows({ name, max, legend, description = "Matched case-insensitively in every draft." }: BannedTermRowsProps) {
  const { control } = useFormContext<Form>();
  // Both lists hold the same rows; the kit's path types them.
  const { fields, append, remove } = useFieldArray({ control, name: name as "rules.banned_terms" });
  const { addRef, removeAt } = useRemoveRow(remove);
  const noun = legend.toLowerCase().replace(/s$/, "");
  return (
    <ListShell
      name={name}
      legend={legend}
      description={description}
      count={fields.length}
      max={max}
      unit="terms"
      addLabel={`Add ${noun}`}
      onAdd={() => append(blankBannedTerm(), { shouldFocus: true })}
      addRef={addRef}
    >
      {fields.map((entry, index) => (
        <Group key={entry.id} align="flex-start" wrap="nowrap" gap="xs">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs" style={{ flex: 1 }}>
            <FormTextField<Form> name={`${name}.${index}.term` as "rules.banned_terms.0.term"} label={`Term ${index + 1}`} rules={{ maxLength: LIMITS.term }} required />
            <FormTextField<Form>
              name={`${name}.${index}.replacement` as "rules.banned_terms.0.replacement"}
              label={`Replacement ${index + 1}`}
              rules={{ maxLength: LIMITS.term }}
              placeholder="Optional"
            />
            <FormTextField<Form>
              name={`${name}.${index}.reason` as "rules.banned_terms.0.reason"}
              label={`Reason ${index + 1}`}
              rules={{ maxLength: LIMITS.reason }}
              placeholder="Optional"
            />
          </SimpleGrid>
          <RemoveButton label={`Remove ${noun} ${index + 1}`} onRemove={() => removeAt(index)} />
        </Group>
      ))}
    </ListShell>
  );
}

function DisclaimerRows() {
  const { control } = useFormContext<Form>();
  const { fields, append, remove } = useFieldArray({ control, name: "rules.disclaimers" });
  const { addRef, removeAt } = useRemoveRow(remove);
  return (
    <ListShell
      name="rules.disclaimers"
      legend="Required disclaimers"
      description="Text that must appear on the channels chosen when a trigger term is used."
      count={fields.length}
      max={LIMITS.disclaimers.maxItems}
      unit="disclaimers"
      addLabel="Add disclaimer"
      onAdd={() => append({ key: "", text: "", channels: [], triggers: [] }, { shouldFocus: true })}
      addRef={addRef}
    >
      {fields.map((entry, index) => (
        <Fieldset key={entry.id} legend={`Disclaimer ${index + 1}`}>
          <Group align="flex-start" wrap="nowrap" gap="xs">
            <Stack gap="sm" style={{ flex: 1 }}>
              <FormTextField<Form>
                name={`rules.disclaimers.${index}.key`}
                label="Key"
                description="A stable id: lowercase letters, digits, - and _."
                placeholder="free-returns"
                autoComplete="off"
                required
              />
              <FormTextField<Form> name={`rules.disclaimers.${index}.text`} label="Text" rules={{ maxLength: LIMITS.disclaimerText }} multiline required />
              <Controller
                control={control}
                name={`rules.disclaimers.${index}.channels`}
                render={({ field, fieldState }) => (
                  <Checkbox.Group
                    label="Channels"
                    description="None chosen: every channel."
                    value={field.value}
                    onChange={field.onChange}
                    error={fieldState.error?.message}
                  >
                    <SimpleGrid cols={{ base: 2, sm: 4 }} mt="xs" spacing="xs">
                      {channelValues.map((channel) => (
                        <Checkbox key={channel} value={channel} label={CHANNEL_LABELS[channel]} onBlur={field.onBlur} />
                      ))}
                    </SimpleGrid>
                  </Checkbox.Group>
                )}
              />
              <TermsInput
                name={`rules.disclaimers.${index}.triggers`}
                label="Trigger terms"
                description="Terms whose presence requires it; none: always required."
                maxTags={LIMITS.triggers.maxItems}
              />
            </Stack>
            <RemoveButton label={`Remove disclaimer ${index + 1}`} onRemove={() => removeAt(index)} />
          </Group>
        </Fieldset>
      ))}
    </ListShell>
  );
}

function ClaimRows() {
  const { control } = useFormContext<Form>();
  const { fields, append, remove } = useFieldArray({ control, name: "rules.approved_claims" });
  const { addRef, removeAt } = useRemoveRow(remove);
  return (
    <ListShell
      name="rules.approved_claims"
      legend="Approved claims"
      description="The only product claims content may make, with what backs each."
      count={fields.length}
      max={LIMITS.claims.maxItems}
      unit="claims"
      addLabel="Add claim"
      onAdd={() => append({ claim: "", source: "" }, { shouldFocus: true })}
      addRef={addRef}
    >
      {fields.map((entry, index) => (
        <Group key={entry.id} align="flex-start" wrap="nowrap" gap="xs">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" style={{ flex: 1 }}>
            <FormTextField<Form> name={`rules.approved_claims.${index}.claim`} label={`Claim ${index + 1}`} rules={{ maxLength: LIMITS.claim }} required />
            <FormTextField<Form>
              name={`rules.approved_claims.${index}.source`}
              label={`Source ${index + 1}`}
              rules={{ maxLength: LIMITS.source }}
              placeholder="Optional: a study, a test, a document"
            />
          </SimpleGrid>
          <RemoveButton label={`Remove claim ${index + 1}`} onRemove={() => removeAt(index)} />
        </Group>
      ))}
    </ListShell>
  );
}

function CompetitorRows() {
  const { control } = useFormContext<Form>();
  const { fields, append, remove } = useFieldArray({ control, name: "rules.competitors" });
  const { addRef, removeAt } = useRemoveRow(remove);
  return (
    <ListShell
      name="rules.competitors"
      legend="Competitors"
      description="Brands content must not name, with other names and spellings."
      count={fields.length}
      max={LIMITS.competitors.maxItems}
      unit="competitors"
      addLabel="Add competitor"
      onAdd={() => append({ name: "", aliases: [] }, { shouldFocus: true })}
      addRef={addRef}
    >
      {fields.map((entry, index) => (
        <Group key={entry.id} align="flex-start" wrap="nowrap" gap="xs">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" style={{ flex: 1 }}>
            <FormTextField<Form> name={`rules.competitors.${index}.name`} label={`Competitor ${index + 1}`} rules={{ maxLength: LIMITS.term }} required />
            <TermsInput name={`rules.competitors.${index}.aliases`} label={`Aliases of competitor ${index + 1}`} maxTags={LIMITS.aliases.maxItems} />
          </SimpleGrid>
          <RemoveButton label={`Remove competitor ${index + 1}`} onRemove={() => removeAt(index)} />
        </Group>
      ))}
    </ListShell>
  );
}
