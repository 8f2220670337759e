import { Badge, Button, Table, Text, VisuallyHidden } from "@mantine/core";

import { PROMPT_TASK_LABELS, type PromptTask, type PromptTemplate } from "./prompt-templates";
import { type AuthorName, savedLabel, versionLabel } from "./template-labels";

export interface CurrentTemplatesTableProps {
  /** Each task's current version. */
  templates: PromptTemplate[];
  /** The task whose editor is open, if any. */
  open: PromptTask | null;
  /** Opens the task's editor, or closes it when it is the open one. */
  onToggle: (task: PromptTask) => void;
  editable: boolean;
  authorName: AuthorName;
}

/** The template each task uses now, with a button that opens (or closes) its editor. */
export function CurrentTemplatesTable({ templates, open, onToggle, editable, authorName }: CurrentTemplatesTableProps) {
  const verb = editable ? "Edit" : "View";
  return (
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
                  onClick={() => onToggle(template.task)}
                >
                  {verb} the {PROMPT_TASK_LABELS[template.task].toLowerCase()} template
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
