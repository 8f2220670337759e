import { Button, Group, NumberInput, Slider, Stack, Switch, Text, Title } from "@mantine/core";
import { Controller, FormProvider, useWatch } from "react-hook-form";

import type { Tagged } from "../../api/client";
import { ConflictAlert } from "../../components/ConflictAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useVersionedForm } from "../../components/useVersionedForm";
import { FormSection } from "../../components/FormSection";
import { SaveBar } from "../../components/SaveBar";
import {
  TASKS,
  TASK_LABELS,
  aiSettingsErrorField,
  aiSettingsFormSchema,
  toAISettingsUpdate,
  toFormValues,
} from "./ai-settings-form";
import { type AISettings, type UsableProviderKey, useSaveAISettings } from "./queries";
import { RoutesEditor } from "./RoutesEditor";

const DEPLOYMENT_DEFAULT = "No routes: the deployment default (offline composer unless configured).";

export interface AISettingsFormProps {
  workspaceId: string;
  latest: Tagged<AISettings>;
  refetch: () => Promise<Tagged<AISettings> | undefined>;
  /** The keys routes may name; null when the person may not manage settings. */
  keys: UsableProviderKey[] | null;
  readOnly: boolean;
}

/**
 * The whole settings, saved with `If-Match` carrying the ETag the form was filled from, so a
 * colleague's save in between answers 412 instead of being overwritten.
 */
export function AISettingsForm({ workspaceId, latest, refetch, keys, readOnly }: AISettingsFormProps) {
  const { form, conflict, unplaced, reloading, saveError, onSubmit, rebase, withFreshCopy, reload } = useVersionedForm({
    latest,
    refetch,
    schema: aiSettingsFormSchema,
    toFormValues,
    toBody: toAISettingsUpdate,
    errorField: aiSettingsErrorField,
    save: useSaveAISettings(workspaceId),
    savedMessage: "AI settings saved.",
  });
  const nearLimit = useWatch({ control: form.control, name: "near_limit_enabled" });

  // The settings are replaced as a whole: keeping mine means saving my values over the
  // colleague's revision, so only its ETag is taken.
  const keepMine = () => void withFreshCopy((fresh) => rebase(fresh, form.getValues()));

  return (
    <FormProvider {...form}>
      <form onSubmit={onSubmit} noValidate aria-label="AI settings">
        <Stack maw={960} gap="lg">
          {conflict !== null && (
            <Stack gap="xs">
              <ConflictAlert error={conflict.error} onReload={reload} busy={reloading} />
              <Group>
                <Button variant="default" size="xs" onClick={keepMine} disabled={reloading}>
                  Keep my changes
                </Button>
                <Text size="xs" c="dimmed">
                  Keeps your values; saving them then replaces the colleague&apos;s.
                </Text>
              </Group>
            </Stack>
          )}
          <FormSection id="ai-settings-checks" title="Compliance checks" description="What a version needs before review.">
            <Stack>
              <Controller
                control={form.control}
                name="min_check_score"
                render={({ field, fieldState }) => (
                  <Stack gap={4}>
                    <NumberInput
                      label="Minimum check score"
                      description="Versions below this score cannot be submitted for review."
                      min={0}
                      max={100}
                      step={1}
                      allowDecimal={false}
                      clampBehavior="none"
                      value={field.value}
                      onChange={(value) => field.onChange(typeof value === "number" ? value : Number.NaN)}
                      onBlur={field.onBlur}
                      error={fieldState.error?.message}
                      readOnly={readOnly}
                      maw={240}
                    />
                    <Slider
                      thumbLabel="Minimum check score slider"
                      min={0}
                      max={100}
                      value={Number.isFinite(field.value) ? field.value : 0}
                      onChange={field.onChange}
                      disabled={readOnly}
                      maw={480}
                      marks={[{ value: 0 }, { value: 50 }, { value: 100 }]}
                    />
                  </Stack>
                )}
              />
              <Controller
                control={form.control}
                name="tone_judge"
                render={({ field }) => (
                  <Switch
                    label="Tone judge"
                    description="Also ask a model to judge each version's tone against the brand voice (costs a model call)."
                    checked={field.value}
                    onChange={(event) => field.onChange(event.currentTarget.checked)}
                    disabled={readOnly}
                  />
                )}
              />
            </Stack>
          </FormSection>
          <FormSection id="ai-settings-routing" title="Model routing" description="Per task, the models to call in fallback order: the first that answers wins.">
            <Stack gap="lg">
              {TASKS.map((task) => (
                <Stack key={task} gap="xs" role="group" aria-labelledby={`routes-${task}`}>
                  <Title order={3} size="h5" id={`routes-${task}`}>
                    {TASK_LABELS[task]}
                  </Title>
                  <RoutesEditor name={`routing.${task}`} label={`${TASK_LABELS[task]} route`} keys={keys} readOnly={readOnly} empty={DEPLOYMENT_DEFAULT} />
                </Stack>
              ))}
            </Stack>
          </FormSection>
          <FormSection id="ai-settings-near-limit" title="Near the budget limit" description="A cheaper route that replaces the tasks' routes once a monthly budget is nearly spent.">
            <Stack>
              <Controller
                control={form.control}
                name="near_limit_enabled"
                render={({ field }) => (
                  <Switch label="Use a cheaper route near the limit" checked={field.value} onChange={(event) => field.onChange(event.currentTarget.checked)} disabled={readOnly} />
                )}
              />
              {nearLimit && (
                <>
                  <Controller
                    control={form.control}
                    name="near_limit.threshold_percent"
                    render={({ field, fieldState }) => (
                      <NumberInput
                        label="Threshold (% of the budget committed)"
                        min={1}
                        max={100}
                        allowDecimal={false}
                        clampBehavior="none"
                        value={field.value}
                        onChange={(value) => field.onChange(typeof value === "number" ? value : Number.NaN)}
                        onBlur={field.onBlur}
                        error={fieldState.error?.message}
                        readOnly={readOnly}
                        maw={240}
                      />
                    )}
                  />
                  <RoutesEditor name="near_limit.routes" label="Near-limit route" keys={keys} readOnly={readOnly} empty="No cheaper route yet." />
                </>
              )}
            </Stack>
          </FormSection>
          {saveError !== null && (
            <ProblemAlert
              error={saveError}
              title="The AI settings were not saved"
              message={unplaced?.length === 0 ? "Correct the fields marked above, then save again." : undefined}
              unplaced={unplaced ?? undefined}
            />
          )}
          {!readOnly && (
            <SaveBar dirty={form.formState.isDirty} submitting={form.formState.isSubmitting} onDiscard={() => form.reset()} saveLabel="Save AI settings" />
          )}
        </Stack>
      </form>
    </FormProvider>
  );
}
