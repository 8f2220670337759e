// The document's editable facts: title and tags (PATCH /knowledge/documents/{id}).
import * as z from "zod";

import { codePointLength } from "../../api/field-specs";
import type { DocumentUpdate, KnowledgeDocument } from "./types";
import { TAG_RULES } from "./tags";

/** DocumentUpdate.title's limit in openapi/v1.json (checked by document-form.contract.test.ts). */
export const TITLE_MAX_LENGTH = 300;

export const documentFormSchema = z.object({
  title: z
    .string()
    .refine((title) => title.trim().length > 0, "Give the document a title.")
    .refine((title) => codePointLength(title.trim()) <= TITLE_MAX_LENGTH, `Use at most ${TITLE_MAX_LENGTH} characters.`),
  tags: z
    .array(
      z
        .string()
        .max(TAG_RULES.maxLength, `A tag has at most ${TAG_RULES.maxLength} characters.`)
        .regex(/^[^\s,]+$/, "A tag has no spaces or commas."),
    )
    .max(TAG_RULES.maxTags, `At most ${TAG_RULES.maxTags} tags.`),
});

export type DocumentFormValues = z.infer<typeof documentFormSchema>;

export const toDocumentFormValues = (document: KnowledgeDocument): DocumentFormValues => ({
  title: document.title,
  tags: [...document.tags],
});

/** Only what changed: PATCH replaces the fields it is sent. */
export function toDocumentUpdate(values: DocumentFormValues, saved: KnowledgeDocument): DocumentUpdate {
  const update: DocumentUpdate = {};
  const title = values.title.trim();
  if (title !== saved.title) update.title = title;
  if (JSON.stringify(values.tags) !== JSON.stringify(saved.tags)) update.tags = values.tags;
  return update;
}
