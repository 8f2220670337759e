import { Badge, Code, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useId } from "react";

import { PROMPT_TASK_LABELS, type PromptTemplate } from "./prompt-templates";

/** The variables a task's template may use, the required ones marked. */
export function TemplateVariablesTable({ template }: { template: PromptTemplate }) {
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
