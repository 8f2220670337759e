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
  brandKitErrorField,
  brandKitFormSchema,
  compareRows,
  keepMyChanges,
  toBrandKitUpdate,
  toFormValues,
} from "./brand-kit-form";
import { OverrideFields } from "./OverrideFields";
import { useSaveBrandKit } from "./queries";
import { RuleFields } from "./RuleFields";
import type { BrandKit } from "./types";
import { VoiceFields } from "./VoiceFields";

export interface BrandKitFormProps {
  workspaceId: string;
  /** The kit as the server has it now (refreshed by `refetch`). */
  latest: Tagged<BrandKit>;
  refetch: () => Promise<Tagged<BrandKit> | undefined>;
}

/**
 * Edits the whole kit and saves it as the next version, with `If-Match` carrying the ETag of the
 * version the form was filled from (`base`), so a colleague's save in between answers 412
 * instead of being overwritten.
 */
export function BrandKitForm({ workspaceId, latest, refetch }: BrandKitFormProps) {
  const { form, base, conflict, unplaced, reloading, saveError, onSubmit, rebase, reload, compare } = useVersionedForm({
    latest,
    refetch,
    schema: brandKitFormSchema,
    toFormValues,
    toBody: toBrandKitUpdate,
    errorField: brandKitErrorField,
    save: useSaveBrandKit(workspaceId),
    savedMessage: (saved, before) =>
      saved.data.version === before.data.version ? "Nothing changed." : `Brand kit saved as version ${saved.data.version}.`,
  });
  // Rebase: the saved kit, with the fields this person changed put back on top, and the saved
  // kit's ETag; saving then keeps a colleague's changes to the other fields.
  const keepMine = () => rebase(latest, keepMyChanges(form.getValues(), base.data, latest.data));

  return (
    <FormProvider {...form}>
      <form onSubmit={onSubmit} noValidate aria-label="Brand kit">
        <Stack maw={960} gap="lg">
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
                  Keeping yours puts the fields you changed on top of the saved version; the rest takes the saved values.
                  Nothing is saved until you save the kit.
                </Text>
              </Stack>
            </Paper>
          )}
          <FormSection id="brand-kit-voice" title="Voice" description="How the brand sounds: what drafts and writers follow.">
            <VoiceFields />
          </FormSection>
          <FormSection id="brand-kit-rules" title="Rules" description="What compliance checks enforce on every draft.">
            <RuleFields />
          </FormSection>
          <FormSection id="brand-kit-overrides" title="Channel overrides" description="Where one channel differs from the kit.">
            <OverrideFields />
          </FormSection>
          {saveError !== null && (
            <ProblemAlert
              error={saveError}
              title="The brand kit was not saved"
              message={unplaced?.length === 0 ? "Correct the fields marked above, then save again." : undefined}
              unplaced={unplaced ?? undefined}
            />
          )}
          <SaveBar dirty={form.formState.isDirty} submitting={form.formState.isSubmitting} onDiscard={() => form.reset()} saveLabel="Save brand kit" />
        </Stack>
      </form>
    </FormProvider>
  );
}
