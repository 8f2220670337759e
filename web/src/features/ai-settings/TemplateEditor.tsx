import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, Paper, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";

import { ProblemAlert } from "../../components/ProblemAlert";
import {
  PROMPT_TASK_LABELS,
  type PromptTemplate,
  type TemplateFormValues,
  lineText,
  noteProblem,
  templateFormSchema,
  templateProblems,
  useSaveTemplate,
} from "./prompt-templates";
import type { AuthorName } from "./template-labels";
import { type SentTemplateProblem, TemplateProblemsList } from "./TemplateProblemsList";
import { TemplateVariablesTable } from "./TemplateVariablesTable";
import { TemplateVersionHistory } from "./TemplateVersionHistory";

export interface TemplateEditorProps {
  workspaceId: string;
  /** The task's current version (refreshed after each save). */
  current: PromptTemplate;
  editable: boolean;
  authorName: AuthorName;
  onClose: () => void;
}

/**
 * One task's template: its variables, the text (saved as a new version; the API's problems are
 * listed with their lines), and the task's history.
 */
export function TemplateEditor({ workspaceId, current, editable, authorName, onClose }: TemplateEditorProps) {
  const task = current.task;
  const label = PROMPT_TASK_LABELS[task];
  const headingId = useId();
  // The version the text was opened from: saving over a newer one says so.
  const [baseVersion, setBaseVersion] = useState(current.version);
  // What the API found wrong, each with its line's text as it was sent.
  const [problems, setProblems] = useState<SentTemplateProblem[] | null>(null);
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  const save = useSaveTemplate(workspaceId, task);
  const form = useForm<TemplateFormValues>({
    resolver: zodResolver(templateFormSchema),
    defaultValues: { template: current.template, note: "" },
  });
  const { ref: templateRef, ...templateField } = form.register("template");

  const onSubmit = async (values: TemplateFormValues) => {
    setProblems(null);
    try {
      const saved = await save.mutateAsync({ template: values.template, note: values.note.trim() });
      const skipped = saved.version > baseVersion + 1;
      setBaseVersion(saved.version);
      form.reset({ template: saved.template, note: "" });
      save.reset();
      notifications.show({
        color: skipped ? "yellow" : "green",
        message: skipped
          ? `${label} template saved as version ${saved.version}. Someone saved version ${saved.version - 1} after you opened it; it is in the history.`
          : `${label} template saved as version ${saved.version}.`,
      });
    } catch (error) {
      const found = templateProblems(error, values.template);
      setProblems(found.map((problem) => ({ ...problem, text: problem.line === null ? null : lineText(values.template, problem.line) })));
      const note = noteProblem(error);
      if (note) form.setError("note", { type: "server", message: note });
      if (found.length > 0) textarea.current?.focus();
    }
  };

  const goToLine = (line: number) => {
    const element = textarea.current;
    if (!element) return;
    const lines = element.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
    element.focus();
    element.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  };

  const useVersion = (version: PromptTemplate) => {
    form.setValue("template", version.template, { shouldDirty: true, shouldValidate: true });
    setProblems(null);
    textarea.current?.focus();
  };

  const clientError = form.formState.errors.template?.message;
  const firstProblem = problems?.[0];
  const templateError =
    clientError ??
    (firstProblem
      ? `${firstProblem.line !== null ? `Line ${firstProblem.line}: ` : ""}${firstProblem.message}${problems.length > 1 ? ` (and ${problems.length - 1} more below)` : ""}`
      : undefined);
  const otherError = save.error && problems?.length === 0 && !noteProblem(save.error) ? save.error : null;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <form onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label={`${label} template`}>
        <Stack gap="md">
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={3} size="h4" id={headingId}>
                {label} template
              </Title>
              <Text size="sm" c="dimmed">
                Generations use {current.builtin ? "the built-in template" : `version ${current.version}`}.
              </Text>
            </div>
            <Button variant="subtle" size="xs" onClick={onClose}>
              Close
            </Button>
          </Group>
          <TemplateVariablesTable template={current} />
          <Textarea
            {...templateField}
            ref={(element) => {
              templateRef(element);
              textarea.current = element;
            }}
            label="Template text"
            description={editable ? "Jinja: {{ variable }}, {% if %}, {% for %}. Only the variables listed above." : undefined}
            autosize
            minRows={12}
            maxRows={30}
            spellCheck={false}
            readOnly={!editable}
            error={templateError}
            styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", fontSize: "var(--mantine-font-size-sm)" } }}
          />
          {problems !== null && problems.length > 0 && <TemplateProblemsList problems={problems} onGoToLine={goToLine} />}
          {otherError !== null && <ProblemAlert error={otherError} title="The template was not saved" />}
          {editable && (
            <Group align="flex-end" justify="space-between">
              <TextInput
                {...form.register("note")}
                label="What changed"
                description="Optional; shown in the history."
                error={form.formState.errors.note?.message}
                maw={480}
                style={{ flex: 1 }}
              />
              <Group gap="sm">
                <Button
                  variant="default"
                  onClick={() => {
                    form.reset();
                    setProblems(null);
                    save.reset();
                  }}
                  disabled={!form.formState.isDirty}
                >
                  Discard changes
                </Button>
                <Button type="submit" loading={form.formState.isSubmitting} disabled={!form.formState.isDirty}>
                  Save as a new version
                </Button>
              </Group>
            </Group>
          )}
          <TemplateVersionHistory workspaceId={workspaceId} task={task} editable={editable} authorName={authorName} onUse={useVersion} />
        </Stack>
      </form>
    </Paper>
  );
}
