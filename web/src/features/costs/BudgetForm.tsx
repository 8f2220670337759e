import { Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { type ReactNode, useId } from "react";
import { FormProvider } from "react-hook-form";

import type { Tagged } from "../../api/client";
import { CompareValues } from "../../components/CompareValues";
import { ConflictAlert } from "../../components/ConflictAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useVersionedForm } from "../../components/useVersionedForm";
import {
  budgetErrorField,
  budgetFormSchema,
  compareRows,
  keepMyChanges,
  toBudgetsUpdate,
  toFormValues,
} from "./budget-form";
import { CampaignBudgetFields, WorkspaceBudgetFields } from "./BudgetFields";
import { type CampaignName, useSaveBudgets } from "./queries";
import type { Budgets } from "./types";

export interface BudgetFormProps {
  workspaceId: string;
  /** The budgets as the server has them now (refreshed by `refetch`). */
  latest: Tagged<Budgets>;
  refetch: () => Promise<Tagged<Budgets> | undefined>;
  campaigns: readonly CampaignName[];
  campaignName: (id: string) => string;
}

/**
 * Edits every budget of the workspace and saves them together (the API replaces them all), with
 * `If-Match` carrying the ETag the form was filled from (`base`): a colleague's save in between
 * answers 412 instead of being overwritten.
 */
export function BudgetForm({ workspaceId, latest, refetch, campaigns, campaignName }: BudgetFormProps) {
  const { form, base, conflict, unplaced, reloading, saveError, onSubmit, rebase, reload, compare } = useVersionedForm({
    latest,
    refetch,
    schema: budgetFormSchema,
    toFormValues,
    toBody: toBudgetsUpdate,
    errorField: budgetErrorField,
    save: useSaveBudgets(workspaceId),
    savedMessage: "Budgets saved.",
  });
  // Rebase: the saved budgets with the scopes this person changed on top, and the saved ETag.
  const keepMine = () => rebase(latest, keepMyChanges(form.getValues(), base.data, latest.data));

  return (
    <FormProvider {...form}>
      <form onSubmit={onSubmit} noValidate aria-label="Budgets">
        <Stack maw={960} gap="lg">
          {conflict && <ConflictAlert error={conflict.error} onReload={reload} onCompare={compare} busy={reloading} />}
          {conflict?.phase === "comparing" && (
            <Paper withBorder p="md">
              <Stack>
                <CompareValues rows={compareRows(form.getValues(), latest.data, campaignName)} />
                <Group>
                  <Button variant="default" onClick={reload} disabled={reloading}>
                    Use the saved budgets
                  </Button>
                  <Button onClick={keepMine}>Keep my changes</Button>
                </Group>
                <Text size="xs" c="dimmed">
                  Keeping yours puts the budgets you set, changed or removed on top of the saved ones; the others keep their saved
                  values. Nothing is saved until you save the budgets.
                </Text>
              </Stack>
            </Paper>
          )}
          <Section title="Workspace budget" description="A cap on what every AI call in this workspace may cost per month.">
            <WorkspaceBudgetFields />
          </Section>
          <Section title="Campaign budgets" description="Caps for single campaigns, on top of the workspace's.">
            <CampaignBudgetFields campaigns={campaigns} campaignName={campaignName} />
          </Section>
          {saveError !== null && (
            <ProblemAlert
              error={saveError}
              title="The budgets were not saved"
              message={unplaced?.length === 0 ? "Correct the fields marked above, then save again." : undefined}
              unplaced={unplaced ?? undefined}
            />
          )}
          <Paper withBorder p="sm" radius="md" shadow="sm" style={{ position: "sticky", bottom: "var(--mantine-spacing-sm)", zIndex: 2 }}>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {form.formState.isDirty ? "You have unsaved changes." : "No unsaved changes."}
              </Text>
              <Group gap="sm">
                <Button variant="default" onClick={() => form.reset()} disabled={!form.formState.isDirty}>
                  Discard changes
                </Button>
                <Button type="submit" loading={form.formState.isSubmitting} disabled={!form.formState.isDirty}>
                  Save budgets
                </Button>
              </Group>
            </Group>
          </Paper>
        </Stack>
      </form>
    </FormProvider>
  );
}

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  const id = useId();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h3" id={id}>
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {description}
      </Text>
      {children}
    </Paper>
  );
}
