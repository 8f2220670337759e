import { zodResolver } from "@hookform/resolvers/zod";
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  List,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";

import { ProblemAlert } from "../../components/ProblemAlert";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../lib/format";
import { useAuthorName } from "../content/use-author-name";
import {
  PROMPT_TASK_LABELS,
  type PromptTask,
  type PromptTemplate,
  type TemplateFormValues,
  type TemplateProblem,
  lineText,
  noteProblem,
  promptTemplatesQuery,
  templateFormSchema,
  templateProblems,
  templateVersionsQuery,
  useSaveTemplate,
} from "./prompt-templates";

type AuthorName = ReturnType<typeof useAuthorName>;

export interface PromptTemplatesSectionProps {
  workspaceId: string;
  /** ai_settings:manage: may save new versions; everyone else reads them. */
  editable: boolean;
}

const versionLabel = (template: PromptTemplate) => (template.builtin ? "Built in" : `Version ${template.version}`);
const savedLabel = (template: PromptTemplate, authorName: AuthorName) =>
  template.created_at === null
    ? "Ships with Brandflow"
    : `${formatDateTime(template.created_at)}${template.created_by ? ` by ${authorName(template.created_by)}` : ""}`;

/**
 * The prompt template of each task: which version generations use, who saved it and when; an
 * editor that saves the text as a new version (the API checks its variables and syntax), and
 * the task's history. People without ai_settings:manage see the same without saving.
 */
export function PromptTemplatesSection({ workspaceId, editable }: PromptTemplatesSectionProps) {
  const query = useQuery(promptTemplatesQuery(workspaceId));
  const authorName = useAuthorName(workspaceId);
  const [open, setOpen] = useState<PromptTask | null>(null);
  const headingId = useId();
  const verb = editable ? "Edit" : "View";

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId} maw={960}>
      <Title order={2} size="h3" id={headingId}>
        Prompt templates
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        The text each task sends to the model, in Jinja. Saving one writes a new version; new generations use the newest.
        {editable ? "" : " Managers change them; you can see each version."}
      </Text>
      <QueryState query={query} loadingLabel="Loading the prompt templates">
        {(templates) => {
          const opened = templates.find((template) => template.task === open);
          return (
            <Stack gap="lg">
              <Table.ScrollContainer minWidth={560}>
                <Table verticalSpacing="sm">
                  <VisuallyHidden component="caption">The template each task uses now</VisuallyHidden>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Task</Table.Th>
                      <Table.Th scope="col">Version</Table.Th>
                      <Table.Th scope="col">Saved</Table.Th>
                      <Table.Th scope="col">Note</Table.Th>
                      <Table.Th scope="col">
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {templates.map((template) => (
                      <Table.Tr key={template.task}>
                        <Table.Th scope="row">{PROMPT_TASK_LABELS[template.task]}</Table.Th>
                        <Table.Td>
                          <Badge variant="light" color={template.builtin ? "gray" : "blue"} tt="none">
                            {versionLabel(template)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{savedLabel(template, authorName)}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{template.builtin ? "" : template.note}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Button
                            size="xs"
                            variant={open === template.task ? "filled" : "default"}
                            aria-expanded={open === template.task}
                            onClick={() => setOpen(open === template.task ? null : template.task)}
                          >
                            {verb} the {PROMPT_TASK_LABELS[template.task].toLowerCase()} template
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {opened && (
                <TemplateEditor
                  key={opened.task}
                  workspaceId={workspaceId}
                  current={opened}
                  editable={editable}
                  authorName={authorName}
                  onClose={() => setOpen(null)}
                />
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Paper>
  );
}

interface TemplateEditorProps {
  workspaceId: string;
  /** The task's current version (refreshed after each save). */
  current: PromptTemplate;
  editable: boolean;
  authorName: AuthorName;
  onClose: () => void;
}

function TemplateEditor({ workspaceId, current, editable, authorName, onClose }: TemplateEditorProps) {
  const task = current.task;
  const label = PROMPT_TASK_LABELS[task];
  const headingId = useId();
  // The version the text was opened from: saving over a newer one says so.
  const [baseVersion, setBaseVersion] = useState(current.version);
  // What the API found wrong, each with its line's text as it was sent.
  const [problems, setProblems] = useState<(TemplateProblem & { text: string | null })[] | null>(null);
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
          <VariableList template={current} />
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
          {problems !== null && problems.length > 0 && (
            <Alert color="red" variant="light" title="The template was not saved" role="alert">
              <List size="sm" spacing="xs">
                {problems.map((problem) => (
                  <List.Item key={`${problem.line}:${problem.message}`}>
                    <Stack gap={4}>
                      <Text size="sm">
                        {problem.line !== null && <strong>Line {problem.line}: </strong>}
                        {problem.message}
                      </Text>
                      {problem.line !== null && (
                        <Group gap="xs" wrap="nowrap">
                          {problem.text !== null && <Code>{problem.text}</Code>}
                          <Button size="compact-xs" variant="white" color="red" onClick={() => goToLine(problem.line ?? 1)}>
                            Go to line {problem.line}
                          </Button>
                        </Group>
                      )}
                    </Stack>
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
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
          <VersionHistory workspaceId={workspaceId} task={task} editable={editable} authorName={authorName} onUse={useVersion} />
        </Stack>
      </form>
    </Paper>
  );
}

function VariableList({ template }: { template: PromptTemplate }) {
  const required = new Set(template.required);
  const names = Object.keys(template.variables).sort();
  const headingId = useId();
  return (
    <Stack gap={4} component="section" aria-labelledby={headingId}>
      <Title order={4} size="h5" id={headingId}>
        Variables
      </Title>
      <Text size="xs" c="dimmed">
        What this task&apos;s template may use; the required ones must appear.
      </Text>
      <Table.ScrollContainer minWidth={480}>
        <Table verticalSpacing={4} fz="sm">
          <VisuallyHidden component="caption">Variables of the {PROMPT_TASK_LABELS[template.task].toLowerCase()} template</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Variable</Table.Th>
              <Table.Th scope="col">What it holds</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {names.map((name) => (
              <Table.Tr key={name}>
                <Table.Th scope="row" fw={400}>
                  <Code>{name}</Code>
                  {required.has(name) && (
                    <Badge size="xs" variant="outline" color="gray.7" ml={6} tt="none">
                      required
                    </Badge>
                  )}
                </Table.Th>
                <Table.Td>{template.variables[name]}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

interface VersionHistoryProps {
  workspaceId: string;
  task: PromptTask;
  editable: boolean;
  authorName: AuthorName;
  onUse: (version: PromptTemplate) => void;
}

function VersionHistory({ workspaceId, task, editable, authorName, onUse }: VersionHistoryProps) {
  const query = useQuery(templateVersionsQuery(workspaceId, task));
  const [shown, setShown] = useState<number | null>(null);
  const headingId = useId();
  const label = PROMPT_TASK_LABELS[task].toLowerCase();
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={4} size="h5" id={headingId}>
        History
      </Title>
      <QueryState query={query} loadingLabel="Loading the template's versions">
        {(versions) => {
          const selected = versions.find((version) => version.version === shown);
          return (
            <>
              <Table.ScrollContainer minWidth={560}>
                <Table verticalSpacing={6} fz="sm">
                  <VisuallyHidden component="caption">Versions of the {label} template, newest first</VisuallyHidden>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Version</Table.Th>
                      <Table.Th scope="col">Saved</Table.Th>
                      <Table.Th scope="col">Note</Table.Th>
                      <Table.Th scope="col">
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {versions.map((version) => (
                      <Table.Tr key={version.version}>
                        <Table.Th scope="row" fw={600}>
                          {version.builtin ? "Built in (0)" : version.version}
                          {version.current && (
                            <Badge size="xs" variant="light" ml={6}>
                              current
                            </Badge>
                          )}
                        </Table.Th>
                        <Table.Td>{savedLabel(version, authorName)}</Table.Td>
                        <Table.Td>{version.builtin ? "" : version.note}</Table.Td>
                        <Table.Td>
                          <Button
                            size="compact-xs"
                            variant="default"
                            aria-expanded={shown === version.version}
                            onClick={() => setShown(shown === version.version ? null : version.version)}
                          >
                            Show version {version.version}
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {selected && (
                <Stack gap="xs">
                  <Group justify="space-between">
                    <Text size="sm" fw={600}>
                      {selected.builtin ? "The built-in template" : `Version ${selected.version}`}
                    </Text>
                    {editable && (
                      <Button size="compact-xs" variant="default" onClick={() => onUse(selected)}>
                        Put version {selected.version} in the editor
                      </Button>
                    )}
                  </Group>
                  <Code
                    block
                    role="region"
                    tabIndex={0}
                    aria-label={`Text of version ${selected.version}`}
                    style={{ maxHeight: 320, overflow: "auto" }}
                  >
                    {selected.template}
                  </Code>
                </Stack>
              )}
            </>
          );
        }}
      </QueryState>
    </Stack>
  );
}
