// How the prompt templates' tables name a version and say who saved it when.
import { formatDateTime } from "../../lib/format";
import type { useAuthorName } from "../content/use-author-name";
import type { PromptTemplate } from "./prompt-templates";

export type AuthorName = ReturnType<typeof useAuthorName>;

export const versionLabel = (template: PromptTemplate) => (template.builtin ? "Built in" : `Version ${template.version}`);

export const savedLabel = (template: PromptTemplate, authorName: AuthorName) =>
  template.created_at === null
    ? "Ships with Brandflow"
    : `${formatDateTime(template.created_at)}${template.created_by ? ` by ${authorName(template.created_by)}` : ""}`;
