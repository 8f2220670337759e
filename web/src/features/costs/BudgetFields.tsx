import { Button, Checkbox, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text } from "@mantine/core";
import { useRef, useState } from "react";
import { Controller, type Path, get, useFieldArray, useFormContext, useWatch } from "react-hook-form";

import { FormTextField } from "../../components/FormTextField";
import { BUDGET_LIMITS, type BudgetFormValues, blankCampaignBudget } from "./budget-form";
import type { CampaignName } from "./queries";

type Form = BudgetFormValues;

/** Limit, threshold and hard limit of one scope (`workspace` or `campaigns.N`). */
function SettingsFields({ at }: { at: "workspace" | `campaigns.${number}` }) {
  const { control } = useFormContext<Form>();
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <FormTextField<Form>
          name={`${at}.monthly_limit` as Path<Form>}
          label="Monthly limit (USD)"
          description="Dollars per calendar month, e.g. 500 or 49.99"
          inputMode="decimal"
          autoComplete="off"
          required
        />
        <FormTextField<Form>
          name={`${at}.soft_threshold_percent` as Path<Form>}
          label="Warn at (% of the limit)"
          description="A banner and an event once spend reaches it"
          inputMode="numeric"
          autoComplete="off"
          required
        />
      </SimpleGrid>
      <Controller
        control={control}
        name={`${at}.hard_limit` as Path<Form>}
        render={({ field }) => (
          <Checkbox
            label="Hard limit: refuse paid AI calls that would go over it"
            description="Off: spend may pass the limit; Brandflow only warns."
            checked={Boolean(field.value)}
            onChange={(event) => field.onChange(event.currentTarget.checked)}
            onBlur={field.onBlur}
            ref={field.ref}
          />
        )}
      />
    </Stack>
  );
}

/** The whole workspace's budget: on or off, and its settings. */
export function WorkspaceBudgetFields() {
  const { control } = useFormContext<Form>();
  const enabled = useWatch({ control, name: "workspace.enabled" });
  return (
    <Stack gap="sm">
      <Controller
        control={control}
        name="workspace.enabled"
        render={({ field }) => (
          <Checkbox
            label="Set a monthly budget for the whole workspace"
            checked={field.value}
            onChange={(event) => field.onChange(event.currentTarget.checked)}
            onBlur={field.onBlur}
            ref={field.ref}
          />
        )}
      />
      {enabled && <SettingsFields at="workspace" />}
    </Stack>
  );
}

/** Budgets of single campaigns, on top of the workspace's: add from a picker, remove per row. */
export function CampaignBudgetFields({ campaigns, campaignName }: { campaigns: readonly CampaignName[]; campaignName: (id: string) => string }) {
  const { control, formState } = useFormContext<Form>();
  const { fields, append, remove } = useFieldArray({ control, name: "campaigns" });
  const used = new Set(fields.map((field) => field.campaign_id));
  const free = campaigns.filter((campaign) => !used.has(campaign.id));
  const [choice, setChoice] = useState("");
  const selected = free.some((campaign) => campaign.id === choice) ? choice : (free[0]?.id ?? "");
  const addRef = useRef<HTMLButtonElement>(null);
  const listError = get<typeof formState.errors, { message?: string; root?: { message?: string } } | undefined>(formState.errors, "campaigns");
  const listMessage = listError?.root?.message ?? listError?.message;

  return (
    <Stack gap="md">
      {fields.length === 0 && (
        <Text size="sm" c="dimmed">
          No campaign has a budget of its own. Add one to cap what a single campaign may spend.
        </Text>
      )}
      {fields.map((entry, index) => {
        const name = campaignName(entry.campaign_id);
        const rowError = get<typeof formState.errors, { message?: string } | undefined>(formState.errors, `campaigns.${index}.campaign_id`);
        return (
          <Fieldset key={entry.id} legend={`Budget of ${name}`}>
            <Stack gap="sm">
              {rowError?.message && (
                <Text size="sm" c="red.8" role="alert">
                  {rowError.message}
                </Text>
              )}
              <SettingsFields at={`campaigns.${index}`} />
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
                  Remove the budget of {name}
                </Button>
              </div>
            </Stack>
          </Fieldset>
        );
      })}
      {listMessage && (
        <Text size="sm" c="red.8" role="alert">
          {listMessage}
        </Text>
      )}
      {free.length > 0 && fields.length < BUDGET_LIMITS.maxCampaigns ? (
        <Group align="flex-end" gap="sm">
          <NativeSelect
            label="Campaign"
            data={free.map((campaign) => ({ value: campaign.id, label: campaign.name }))}
            value={selected}
            onChange={(event) => setChoice(event.currentTarget.value)}
            w={{ base: "100%", sm: 320 }}
          />
          <Button ref={addRef} variant="light" onClick={() => selected && append(blankCampaignBudget(selected))}>
            Add campaign budget
          </Button>
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          {campaigns.length === 0 ? "This workspace has no campaigns yet." : "Every campaign has a budget."}
        </Text>
      )}
    </Stack>
  );
}
