import { zodResolver } from "@hookform/resolvers/zod";
import { Alert, Button, Fieldset, Group, Paper, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState } from "react";
import { FormProvider, useForm } from "react-hook-form";

import type { Tagged } from "../../api/client";
import { type FieldMessage, isApiError } from "../../api/problem";
import type { ContentDetail } from "../../api/types";
import { CompareValues } from "../../components/CompareValues";
import { ConflictAlert } from "../../components/ConflictAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { BodyFields } from "./BodyFields";
import { bodyCompareRows, changedFields, toApiBody, toBodyValues } from "./body-form";
import { correctionMessage, placeContentErrors } from "./body-errors";
import { type EditorFormValues, editorFormSchema } from "./content-form";
import { type ContentScope, etagOfContent, useCreateVersion, withCurrentVersion } from "./queries";

const isConflict = (error: unknown) => isApiError(error) && error.isConflict;

export interface ContentEditorFormProps {
  scope: ContentScope;
  /** The item as the server has it now (refreshed by `refetch`). */
  latest: Tagged<ContentDetail>;
  refetch: () => Promise<Tagged<ContentDetail> | undefined>;
  /** False: the fields are shown read only. */
  editable: boolean;
  /** Why the content is read only, when it is. */
  readOnlyReason?: string;
  /** Told whether the form has unsaved changes, whenever that changes. */
  onDirtyChange?: (dirty: boolean) => void;
}

const valuesOf = (item: ContentDetail): EditorFormValues => ({ body: toBodyValues(item.channel, item.current.body) });

/**
 * Writes the next version with optimistic concurrency: `If-Match` carries the ETag of the version
 * the form was filled from (`base`), never one fetched in the background, so a colleague's newer
 * version answers 412 instead of being silently replaced.
 */
export function ContentEditorForm({ scope, latest, refetch, editable, readOnlyReason, onDirtyChange }: ContentEditorFormProps) {
  const channel = latest.data.channel;
  const [base, setBase] = useState(latest);
  const [conflict, setConflict] = useState<{ error: unknown; comparing: boolean } | null>(null);
  const [unplaced, setUnplaced] = useState<FieldMessage[] | null>(null);
  const [reloading, setReloading] = useState(false);
  const form = useForm<EditorFormValues>({ resolver: zodResolver(editorFormSchema(channel)), defaultValues: valuesOf(base.data) });
  const save = useCreateVersion(scope, base.data.id);
  const dirty = form.formState.isDirty;
  useEffect(() => {
    onDirtyChange?.(dirty);
  }, [dirty, onDirtyChange]);

  const startFrom = (tagged: Tagged<ContentDetail>) => {
    setBase(tagged);
    setConflict(null);
    setUnplaced(null);
    save.reset();
    form.reset(valuesOf(tagged.data));
  };

  const onSubmit = async (values: EditorFormValues) => {
    setUnplaced(null);
    if (changedFields(channel, values.body, base.data.current.body).length === 0) {
      form.reset(values);
      notifications.show({ message: "Nothing changed, so no new version was saved." });
      return;
    }
    try {
      const saved = await save.mutateAsync({ body: toApiBody(channel, values.body), etag: etagOfContent(base) });
      startFrom(withCurrentVersion(base, saved));
      notifications.show({ color: "green", message: `Version ${saved.data.number} saved.` });
    } catch (error) {
      if (isConflict(error)) setConflict({ error, comparing: false });
      else setUnplaced(placeContentErrors(error, form.setError, { channel }));
    }
  };

  const withFreshCopy = async (then: (fresh: Tagged<ContentDetail>) => void) => {
    setReloading(true);
    try {
      const fresh = await refetch();
      if (fresh) then(fresh);
    } finally {
      setReloading(false);
    }
  };
  const reload = () => void withFreshCopy(startFrom);
  const compare = () => void withFreshCopy(() => setConflict((current) => current && { ...current, comparing: true }));
  // Rebase: the saved version with the fields this person changed put back on top. Saving then
  // writes the next version after the saved one, keeping a colleague's edits to other fields.
  const keepMine = () => {
    const mine = form.getValues().body;
    const changed = changedFields(channel, mine, base.data.current.body);
    startFrom(latest);
    for (const name of changed) {
      form.setValue(`body.${name}`, mine[name] ?? "", { shouldDirty: true, shouldValidate: true });
    }
  };

  return (
    <FormProvider {...form}>
      <form onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="Content editor">
        <Stack maw={880}>
          {!editable && (
            <Alert color="gray" variant="light" title="Read only">
              {readOnlyReason ?? "Your role can read this content but not change it."}
            </Alert>
          )}
          {conflict && <ConflictAlert error={conflict.error} onReload={reload} onCompare={compare} busy={reloading} />}
          {conflict?.comparing && (
            <Paper withBorder p="md">
              <Stack>
                <CompareValues
                  rows={bodyCompareRows(channel, form.getValues().body, latest.data.current.body)}
                  caption={`Your changes next to version ${latest.data.current_version}, saved in the meantime`}
                />
                <Group>
                  <Button variant="default" onClick={reload} disabled={reloading}>
                    Use the saved version
                  </Button>
                  <Button onClick={keepMine}>Keep my changes</Button>
                </Group>
                <Text size="xs" c="dimmed">
                  Keeping yours puts the fields you changed on top of the saved version; the others take the saved
                  values. Nothing is saved until you save a version.
                </Text>
              </Stack>
            </Paper>
          )}
          <Fieldset variant="unstyled" legend={<Text fw={600}>Version {base.data.current_version}</Text>}>
            <BodyFields channel={channel} readOnly={!editable} />
          </Fieldset>
          {save.error && !isConflict(save.error) && (
            <ProblemAlert
              error={save.error}
              title="The version was not saved"
              message={correctionMessage(save.error, unplaced)}
              unplaced={unplaced ?? undefined}
            />
          )}
          {editable && (
            <Group>
              <Button type="submit" loading={form.formState.isSubmitting} disabled={!form.formState.isDirty}>
                Save version
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
