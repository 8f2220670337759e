// Prompt templates: versioned Jinja text per task (studio prompts). Saving writes the next
// version (never an update); the API checks the text and answers 422 naming the culprit.
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";

import { api, unwrap } from "../../api/client";
import { isApiError } from "../../api/problem";
import type { components } from "../../api/schema.gen";

type Schemas = components["schemas"];
export type PromptTemplate = Schemas["TemplateRead"];
export type PromptTemplateWrite = Schemas["TemplateWrite"];
export type PromptTask = Schemas["PromptTask"];

export const PROMPT_TASK_LABELS: Record<PromptTask, string> = { generate: "Generate", rewrite: "Rewrite" };
/** The API's limits (studio schemas: MAX_TEMPLATE_CHARS, the note's max_length). */
export const TEMPLATE_LIMITS = { maxTemplate: 20_000, maxNote: 300 } as const;

const LIST_PATH = "/api/v1/workspaces/{workspace_id}/prompt-templates";
const TASK_PATH = "/api/v1/workspaces/{workspace_id}/prompt-templates/{task}";

export const promptTemplateKeys = {
  all: (workspaceId: string) => ["workspaces", workspaceId, "prompt-templates"] as const,
  versions: (workspaceId: string, task: PromptTask) => ["workspaces", workspaceId, "prompt-templates", task] as const,
};

/** The template each task uses now (version 0: the built-in one). */
export const promptTemplatesQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: promptTemplateKeys.all(workspaceId),
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET(LIST_PATH, { params: { path: { workspace_id: workspaceId } }, signal }))).items,
  });

/** Every version of the task's template, newest first, ending with the built-in version 0. */
export const templateVersionsQuery = (workspaceId: string, task: PromptTask) =>
  queryOptions({
    queryKey: promptTemplateKeys.versions(workspaceId, task),
    queryFn: ({ signal }) => unwrap(api.GET(TASK_PATH, { params: { path: { workspace_id: workspaceId, task } }, signal })),
  });

export function useSaveTemplate(workspaceId: string, task: PromptTask) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PromptTemplateWrite) =>
      unwrap(api.PUT(TASK_PATH, { params: { path: { workspace_id: workspaceId, task } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: promptTemplateKeys.all(workspaceId) }),
  });
}

export const templateFormSchema = z.object({
  template: z
    .string()
    .refine((text) => text.trim().length > 0, "Write the template.")
    .refine((text) => text.length <= TEMPLATE_LIMITS.maxTemplate, `At most ${TEMPLATE_LIMITS.maxTemplate.toLocaleString("en-US")} characters.`),
  note: z.string().max(TEMPLATE_LIMITS.maxNote, `At most ${TEMPLATE_LIMITS.maxNote} characters.`),
});
export type TemplateFormValues = z.infer<typeof templateFormSchema>;

/** One thing the API found wrong with a template, with the line it is on when known. */
export interface TemplateProblem {
  line: number | null;
  message: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const JINJA_TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;

/**
 * The line (from 1) where `name` is first read as a variable: inside `{{ }}` or `{% %}`, and
 * not as an attribute (`campaign.name` does not read `name`). Null when it is not found.
 */
export function lineOfVariable(source: string, name: string): number | null {
  const variable = new RegExp(`(?<![\\w.])${escapeRegExp(name)}(?!\\w)`);
  for (const tag of source.matchAll(JINJA_TAG)) {
    const found = variable.exec(tag[0]);
    if (found) return source.slice(0, tag.index + found.index).split("\n").length;
  }
  return null;
}

/** The text of line `line` (from 1), or null past the end. */
export function lineText(source: string, line: number): string | null {
  return source.split("\n")[line - 1] ?? null;
}

/**
 * What a 422 says about the template's text, each at its line: a syntax error carries the
 * problem's `line`; an unknown variable (`loc` ends with its name) is found in the text. Errors
 * about other fields (the note) are left out. Empty for any other error.
 */
export function templateProblems(error: unknown, source: string): TemplateProblem[] {
  if (!isApiError(error) || error.status !== 422) return [];
  const problemLine = typeof error.problem.line === "number" ? error.problem.line : null;
  const onTemplate = error.errors.filter(({ loc }) => loc[0] === "body" && loc[1] === "template");
  if (onTemplate.length === 0) {
    return error.errors.length === 0 ? [{ line: problemLine, message: error.detail ?? error.title }] : [];
  }
  return onTemplate.map(({ loc, msg, type }) => {
    const variable = loc[2];
    const line =
      typeof variable === "string" ? (type === "missing_variable" ? null : lineOfVariable(source, variable)) : problemLine;
    return { line, message: msg };
  });
}

/** A 422's errors on the note, for its field. */
export function noteProblem(error: unknown): string | null {
  if (!isApiError(error)) return null;
  return error.errors.find(({ loc }) => loc[0] === "body" && loc[1] === "note")?.msg ?? null;
}
