import { Alert, Button, Code, Group, List, Stack, Text } from "@mantine/core";

import type { TemplateProblem } from "./prompt-templates";

/** A problem the API found, with its line's text as it was sent (null: no line). */
export type SentTemplateProblem = TemplateProblem & { text: string | null };

export interface TemplateProblemsListProps {
  problems: SentTemplateProblem[];
  /** Selects the line in the editor. */
  onGoToLine: (line: number) => void;
}

/** Why the API refused the template: each problem, its line, and a way to jump to it. */
export function TemplateProblemsList({ problems, onGoToLine }: TemplateProblemsListProps) {
  return (
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
                  <Button size="compact-xs" variant="white" color="red" onClick={() => onGoToLine(problem.line ?? 1)}>
                    Go to line {problem.line}
                  </Button>
                </Group>
              )}
            </Stack>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
