import { Alert, Button, Group, Stack, Text } from "@mantine/core";

import { problemMessage } from "../api/problem";

export interface ConflictAlertProps {
  /** The 412 error, whose `detail` is shown. */
  error?: unknown;
  /** Discard the person's changes and load the saved version. */
  onReload: () => void;
  /** Show the person's values next to the saved ones (see `CompareValues`). */
  onCompare?: () => void;
  /** True while the saved version is being fetched. */
  busy?: boolean;
}

/**
 * A 412 Precondition Failed: someone saved a change since this screen read the resource.
 * Nothing was overwritten; the person chooses to reload or to compare.
 */
export function ConflictAlert({ error, onReload, onCompare, busy = false }: ConflictAlertProps) {
  return (
    <Alert color="red" variant="light" title="Someone else changed this in the meantime" role="alert">
      <Stack gap="xs">
        <Text size="sm">
          {error
            ? problemMessage(error)
            : "Your changes were not saved, so nothing was overwritten. Reload to see the latest version, or compare it with yours."}
        </Text>
        <Group gap="sm">
          <Button size="xs" onClick={onReload} loading={busy}>
            Reload
          </Button>
          {onCompare && (
            <Button size="xs" variant="default" onClick={onCompare} disabled={busy}>
              Compare
            </Button>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}
