// The two content forms: "New content" (channel, title, first body) and the editor (next body).
import * as z from "zod";

import { codePointLength } from "../../api/field-specs";
import type { Channel, ContentBody } from "../../api/types";
import { type BodyValues, toApiBody, toBodyValues } from "./body-form";
import { bodyIssues } from "./body-validation";

/** ContentCreate.title's maxLength in openapi/v1.json (checked by content-form.contract.test.ts). */
export const TITLE_MAX_LENGTH = 200;

const bodyValues = z.custom<BodyValues>((value) => typeof value === "object" && value !== null);

function reportBodyIssues(channel: Channel, body: BodyValues, ctx: z.RefinementCtx) {
  for (const issue of bodyIssues(channel, body)) {
    ctx.addIssue({ code: "custom", path: ["body", ...issue.path.split(".")], message: issue.message });
  }
}

export interface EditorFormValues {
  body: BodyValues;
}

export const editorFormSchema = (channel: Channel) =>
  z.object({ body: bodyValues }).superRefine((values, ctx) => reportBodyIssues(channel, values.body, ctx));

export interface CreateFormValues {
  /** "" until the person picks one. */
  channel: Channel | "";
  title: string;
  body: BodyValues;
}

export const createFormSchema = z
  .object({ channel: z.custom<Channel | "">((value) => typeof value === "string"), title: z.string(), body: bodyValues })
  .superRefine((values, ctx) => {
    const title = values.title.trim();
    if (title === "") ctx.addIssue({ code: "custom", path: ["title"], message: "Give the content a title." });
    else if (codePointLength(title) > TITLE_MAX_LENGTH) {
      ctx.addIssue({ code: "custom", path: ["title"], message: `Use at most ${TITLE_MAX_LENGTH} characters.` });
    }
    if (values.channel === "") ctx.addIssue({ code: "custom", path: ["channel"], message: "Choose a channel." });
    else reportBodyIssues(values.channel, values.body, ctx);
  });

export function newContentValues(channel: Channel | ""): CreateFormValues {
  return { channel, title: "", body: channel ? toBodyValues(channel) : {} };
}

/** ContentCreate for valid values (the resolver has checked that a channel is chosen). */
export function toContentCreate(values: CreateFormValues & { channel: Channel }): { title: string; body: ContentBody } {
  return { title: values.title.trim(), body: toApiBody(values.channel, values.body) };
}
