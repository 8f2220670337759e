import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type ReactNode, useId, useState } from "react";
import { FormProvider, useForm } from "react-hook-form";

import type { Tagged } from "../../api/client";
import { applyFieldErrors } from "../../api/form-errors";
import { type FieldMessage, isApiError } from "../../api/problem";
import { CompareValues } from "../../components/CompareValues";
import { ConflictAlert } from "../../components/ConflictAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import {
  type BudgetFormValues,
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

const isConflict = (error: unknown) => isApiError(error) && error.isConflict;

export interface BudgetFormProps {
  workspaceId: string;
  /** The budgets as the server has them now (refreshed by `refetch`). */
  latest: Tagged<Budgets>;
  refetch: () => Promise<Tagged<Budgets> | undefined>;
  campaigns: readonly CampaignName[];
  campaignName: (id: string) => string;
}

type Conflict = { phase: "detected" | "comparing"; error: unknown };

/**
 * Edits every budget of the workspace and saves them together (the API replaces them all), with
 * `If-Match` carrying the ETag the form was filled from (`base`): a colleague's save in between
 * answers 412 instead of being overwritten.
 */
export function BudgetForm({ workspaceId, latest, refetch, campaigns, campaignName }: BudgetFormProps) {
  const [base, setBase] = useState(latest);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [unplaced, setUnplaced] = useState<FieldMessage[] | null>(null);
  const [reloading, setReloading] = useState(false);
  const form = useForm<BudgetFormValues>({
    resolver: zodResolver(budgetFormSchema),
    defaultValues: toFormValues(base.data),
  });
  const save = useSaveBudgets(workspaceId);

  const startFrom = (tagged: Tagged<Budgets>, values = toFormValues(tagged.data)) => {
    setBase(tagged);
    setConflict(null);
    setUnplaced(null);
    save.reset();
    form.reset(values);
  };

  const onSubmit = async (values: BudgetFormValues) => {
    setUnplaced(null);
    try {
      const saved = await save.mutateAsync({ body: toBudgetsUpdate(values), etag: base.etag });
      startFrom(saved);
      notifications.show({ color: "green", message: "Budgets saved." });
    } catch (error) {
      if (isConflict(error)) setConflict({ phase: "detected", error });
      else {
        const current = form.getValues();
        setUnplaced(applyFieldErrors(error, form.setError, { toField: (path) => budgetErrorField(path, current) }));
      }
    }
  };

  const withFreshCopy = async (then: (fresh: Tagged<Budgets>) => void) => {
    setReloading(true);
    try {
      const fresh = await refetch();
      if (fresh) then(fresh);
    } finally {
      setReloading(false);
    }
  };
  const reload = () => void withFreshCopy((fresh) => startFrom(fresh));
  const compare = () => void withFreshCopy(() => setConflict((c) => c && { ...c, phase: "comparing" }));
  // Rebase: the saved budgets with the scopes this person changed on top, and the saved ETag.
  const keepMine = () => {
    const merged = keepMyChanges(form.getValues(), base.data, latest.data);
    startFrom(latest);
    form.reset(merged, { keepDefaultValues: true });
  };

  return (
    <FormProvider {...form}>
      <form onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="Budgets">
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
          {save.error && !isConflict(save.error) && (
            <ProblemAlert
              error={save.error}
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
