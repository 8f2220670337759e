import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, Stack, TagsInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Controller, FormProvider, useForm } from "react-hook-form";

import { applyFieldErrors } from "../../api/form-errors";
import type { FieldMessage } from "../../api/problem";
import { FormTextField } from "../../components/FormTextField";
import { ProblemAlert } from "../../components/ProblemAlert";
import { type DocumentFormValues, TITLE_MAX_LENGTH, documentFormSchema, toDocumentFormValues, toDocumentUpdate } from "./document-form";
import { useUpdateDocument } from "./queries";
import { TAG_RULES, normaliseTags } from "./tags";
import type { KnowledgeDocument } from "./types";

/** Title and tags of a document; the text and its index stay as they are. */
export function DocumentDetailsForm({ workspaceId, document }: { workspaceId: string; document: KnowledgeDocument }) {
  const form = useForm<DocumentFormValues>({
    resolver: zodResolver(documentFormSchema),
    defaultValues: toDocumentFormValues(document),
  });
  const update = useUpdateDocument(workspaceId, document.id);
  const [unplaced, setUnplaced] = useState<FieldMessage[] | null>(null);

  const onSubmit = async (values: DocumentFormValues) => {
    setUnplaced(null);
    const body = toDocumentUpdate(values, document);
    if (Object.keys(body).length === 0) {
      form.reset(values);
      return;
    }
    try {
      const saved = await update.mutateAsync(body);
      form.reset(toDocumentFormValues(saved));
      notifications.show({ color: "green", message: "Document saved." });
    } catch (error) {
      setUnplaced(applyFieldErrors(error, form.setError, { fields: ["title", "tags"] }));
    }
  };

  return (
    <FormProvider {...form}>
      <form onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="Document details">
        <Stack gap="sm" maw={640}>
          <FormTextField<DocumentFormValues> name="title" label="Title" rules={{ maxLength: TITLE_MAX_LENGTH }} required />
          <Controller
            control={form.control}
            name="tags"
            render={({ field, fieldState }) => (
              <TagsInput
                label="Tags"
                description={`Press Enter or comma after each tag; at most ${TAG_RULES.maxTags}.`}
                value={field.value}
                onChange={(value) => field.onChange(normaliseTags(value))}
                onBlur={field.onBlur}
                ref={field.ref}
                error={fieldState.error?.message ?? (Array.isArray(fieldState.error) ? "Check the tags." : undefined)}
                maxTags={TAG_RULES.maxTags}
                splitChars={[",", " "]}
                clearable
              />
            )}
          />
          {update.error && (
            <ProblemAlert
              error={update.error}
              title="The document was not saved"
              message={unplaced?.length === 0 ? "Correct the fields marked above, then save again." : undefined}
              unplaced={unplaced ?? undefined}
            />
          )}
          <Group>
            <Button type="submit" loading={form.formState.isSubmitting} disabled={!form.formState.isDirty}>
              Save details
            </Button>
            <Button variant="default" onClick={() => form.reset()} disabled={!form.formState.isDirty}>
              Discard changes
            </Button>
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}
