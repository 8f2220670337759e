import { Alert, Button, Fieldset, Group, Paper, Stack, Text } from "@mantine/core";
import { FormProvider } from "react-hook-form";

import type { Tagged } from "../../api/client";
import { campaignStatusValues } from "../../api/schema.gen";
import type { Campaign, CampaignUpdate } from "../../api/types";
import { CompareValues } from "../../components/CompareValues";
import { ConflictAlert } from "../../components/ConflictAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useVersionedForm } from "../../components/useVersionedForm";
import { CampaignBriefFields } from "./CampaignBriefFields";
import {
  type CampaignFormValues,
  campaignErrorField,
  campaignFormSchema,
  compareRows,
  toCampaignUpdate,
  toFormValues,
} from "./campaign-form";
import { useUpdateCampaign } from "./queries";

// Archiving has its own action; PATCH cannot set it.
const EDIT_STATUSES = campaignStatusValues.filter((status) => status !== "archived");

/** The PATCH body: only the fields that differ from `saved`, or null when none does. */
const changedFields = (values: CampaignFormValues, saved: Campaign): CampaignUpdate | null => {
  const body = toCampaignUpdate(values, saved);
  return Object.keys(body).length === 0 ? null : body;
};

export interface CampaignBriefFormProps {
  workspaceId: string;
  /** The campaign as the server has it now (refreshed by `refetch`). */
  latest: Tagged<Campaign>;
  refetch: () => Promise<Tagged<Campaign> | undefined>;
  editable: boolean;
}

/**
 * Edits the brief with optimistic concurrency: the PATCH carries `If-Match` with the ETag of
 * the version the form was filled from (`base`), never a newer one fetched in the background,
 * so a concurrent change answers 412 instead of being overwritten.
 */
export function CampaignBriefForm({ workspaceId, latest, refetch, editable }: CampaignBriefFormProps) {
  const { form, base, conflict, unplaced, reloading, saveError, onSubmit, startFrom, reload, compare } = useVersionedForm({
    latest,
    refetch,
    schema: campaignFormSchema,
    toFormValues,
    toBody: changedFields,
    errorField: campaignErrorField,
    save: useUpdateCampaign(workspaceId, latest.data.id),
    savedMessage: "Brief saved.",
  });

  // Rebase: the saved version, with the fields this person changed put back on top. Saving then
  // sends only those fields, with the saved version's ETag; a colleague's other edits survive.
  const keepMine = () => {
    const mine = form.getValues();
    const original = toFormValues(base.data);
    const changed = (Object.keys(mine) as (keyof CampaignFormValues)[]).filter(
      (key) => JSON.stringify(mine[key]) !== JSON.stringify(original[key]),
    );
    startFrom(latest);
    for (const key of changed) form.setValue(key, mine[key], { shouldDirty: true, shouldValidate: true });
  };

  return (
    <FormProvider {...form}>
      <form onSubmit={onSubmit} noValidate aria-label="Campaign brief">
        <Stack maw={880}>
          {!editable && (
            <Alert color="gray" variant="light" title="Read only">
              {base.data.status === "archived"
                ? "This campaign is archived; its brief can no longer change."
                : "Your role can read this campaign but not change it."}
            </Alert>
          )}
          {conflict && <ConflictAlert error={conflict.error} onReload={reload} onCompare={compare} busy={reloading} />}
          {conflict?.phase === "comparing" && (
            <Paper withBorder p="md">
              <Stack>
                <CompareValues rows={compareRows(form.getValues(), latest.data)} />
                <Group>
                  <Button variant="default" onClick={reload} disabled={reloading}>
                    Use the saved version
                  </Button>
                  <Button onClick={keepMine}>Keep my changes</Button>
                </Group>
                <Text size="xs" c="dimmed">
                  Keeping yours puts the fields you changed on top of the saved version; the rest takes the
                  saved values. Nothing is saved until you save the brief.
                </Text>
              </Stack>
            </Paper>
          )}
          <Fieldset disabled={!editable} variant="unstyled" legend={<Text fw={600}>Brief</Text>}>
            <CampaignBriefFields statuses={EDIT_STATUSES} />
          </Fieldset>
          {saveError !== null && (
            <ProblemAlert
              error={saveError}
              title="The brief was not saved"
              message={unplaced?.length === 0 ? "Correct the fields marked above, then save again." : undefined}
              unplaced={unplaced ?? undefined}
            />
          )}
          {editable && (
            <Group>
              <Button type="submit" loading={form.formState.isSubmitting} disabled={!form.formState.isDirty}>
                Save brief
              </Button>
              <Button variant="default" onClick={() => form.reset()} disabled={!form.formState.isDirty}>
                Discard changes
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </FormProvider>
  );
}
