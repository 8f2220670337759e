import { Badge, Button, Code, Group, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";

import { QueryState } from "../../components/QueryState";
import { PROMPT_TASK_LABELS, type PromptTask, type PromptTemplate, templateVersionsQuery } from "./prompt-templates";
import { type AuthorName, savedLabel } from "./template-labels";

export interface TemplateVersionHistoryProps {
  workspaceId: string;
  task: PromptTask;
  editable: boolean;
  authorName: AuthorName;
  /** Puts a version's text in the editor. */
  onUse: (version: PromptTemplate) => void;
}

/** Every version of a task's template, newest first; each one's text can be shown (and reused). */
export function TemplateVersionHistory({ workspaceId, task, editable, authorName, onUse }: TemplateVersionHistoryProps) {
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
              {selected && <ShownVersionText version={selected} editable={editable} onUse={onUse} />}
            </>
          );
        }}
      </QueryState>
    </Stack>
  );
}

interface ShownVersionTextProps {
  version: PromptTemplate;
  editable: boolean;
  onUse: (version: PromptTemplate) => void;
}

/** The text of the version picked in the history, and (for editors) a way to reuse it. */
function ShownVersionText({ version, editable, onUse }: ShownVersionTextProps) {
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {version.builtin ? "The built-in template" : `Version ${version.version}`}
        </Text>
        {editable && (
          <Button size="compact-xs" variant="default" onClick={() => onUse(version)}>
            Put version {version.version} in the editor
          </Button>
        )}
      </Group>
      <Code
        block
        role="region"
        tabIndex={0}
        aria-label={`Text of version ${version.version}`}
        style={{ maxHeight: 320, overflow: "auto" }}
      >
        {version.template}
      </Code>
    </Stack>
  );
}
