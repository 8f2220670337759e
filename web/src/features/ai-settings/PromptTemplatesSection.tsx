import { Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";

import { QueryState } from "../../components/QueryState";
import { useAuthorName } from "../content/use-author-name";
import { CurrentTemplatesTable } from "./CurrentTemplatesTable";
import { type PromptTask, promptTemplatesQuery } from "./prompt-templates";
import { TemplateEditor } from "./TemplateEditor";

export interface PromptTemplatesSectionProps {
  workspaceId: string;
  /** ai_settings:manage: may save new versions; everyone else reads them. */
  editable: boolean;
}

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
              <CurrentTemplatesTable
                templates={templates}
                open={open}
                onToggle={(task) => setOpen(open === task ? null : task)}
                editable={editable}
                authorName={authorName}
              />
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
