import { Button, Group, Paper, Stack, Text } from "@mantine/core";
import { FormProvider } from "react-hook-form";

import type { Tagged } from "../../api/client";
import { CompareValues } from "../../components/CompareValues";
import { ConflictAlert } from "../../components/ConflictAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useVersionedForm } from "../../components/useVersionedForm";
import { FormSection } from "../../components/FormSection";
import { SaveBar } from "../../components/SaveBar";
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
          <FormSection title="Workspace budget" description="A cap on what every AI call in this workspace may cost per month.">
            <WorkspaceBudgetFields />
          </FormSection>
          <FormSection title="Campaign budgets" description="Caps for single campaigns, on top of the workspace's.">
            <CampaignBudgetFields campaigns={campaigns} campaignName={campaignName} />
          </FormSection>
          {saveError !== null && (
            <ProblemAlert
              error={saveError}
              title="The budgets were not saved"
              message={unplaced?.length === 0 ? "Correct the fields marked above, then save again." : undefined}
              unplaced={unplaced ?? undefined}
            />
          )}
          <SaveBar dirty={form.formState.isDirty} submitting={form.formState.isSubmitting} onDiscard={() => form.reset()} saveLabel="Save budgets" />
        </Stack>
      </form>
    </FormProvider>
  );
}
