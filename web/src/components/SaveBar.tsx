import { Button, Group, Paper, Text } from "@mantine/core";

/** The bar that stays at the bottom of a long form: whether there is anything to save,
 * Discard and Save. */
export function SaveBar({
  dirty,
  submitting,
  onDiscard,
  saveLabel,
}: {
  dirty: boolean;
  submitting: boolean;
  onDiscard: () => void;
  saveLabel: string;
}) {
  return (
    <Paper withBorder p="sm" radius="md" shadow="sm" style={{ position: "sticky", bottom: "var(--mantine-spacing-sm)", zIndex: 2 }}>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {dirty ? "You have unsaved changes." : "No unsaved changes."}
        </Text>
        <Group gap="sm">
          <Button variant="default" onClick={onDiscard} disabled={!dirty}>
            Discard changes
          </Button>
          <Button type="submit" loading={submitting} disabled={!dirty}>
            {saveLabel}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
