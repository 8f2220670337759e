import { Badge, Code, List, Table, Text, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";

import { PERMISSION_LABELS } from "../../api/labels";
import type { ApiKey } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { ConfirmButton } from "../../components/ConfirmButton";
import { useRevokeApiKey } from "./queries";

export function ApiKeysTable({ workspaceId, keys }: { workspaceId: string; keys: readonly ApiKey[] }) {
  const revoke = useRevokeApiKey(workspaceId);

  const revokeKey = async (key: ApiKey) => {
    await revoke.mutateAsync(key.id);
    notifications.show({ color: "green", message: `API key “${key.name}” revoked.` });
  };

  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm">
        <VisuallyHidden component="caption">API keys</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Prefix</Table.Th>
            <Table.Th scope="col">Permissions</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Last used</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => (
            <Table.Tr key={key.id}>
              <Table.Th scope="row" fw={500}>
                {key.name}
              </Table.Th>
              <Table.Td>
                <Code>{key.prefix}</Code>
              </Table.Td>
              <Table.Td>
                <List size="sm" spacing={0} listStyleType="none">
                  {key.permissions.map((permission) => (
                    <List.Item key={permission}>{PERMISSION_LABELS[permission]}</List.Item>
                  ))}
                </List>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(key.created_at)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{key.last_used_at ? formatDateTime(key.last_used_at) : "Never"}</Text>
              </Table.Td>
              <Table.Td>
                {/* Outline keeps 4.5:1 contrast at badge size (light does not); teal, as green.9 is 4.36:1 on white. */}
                {key.revoked_at ? (
                  <Badge color="gray" variant="outline" title={`Revoked ${formatDateTime(key.revoked_at)}`}>
                    Revoked
                  </Badge>
                ) : (
                  <Badge color="teal" variant="outline">
                    Active
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {key.revoked_at === null && (
                  <ConfirmButton
                    aria-label={`Revoke ${key.name}`}
                    title={`Revoke “${key.name}”?`}
                    description="Requests with this key fail from now on. Revoking cannot be undone."
                    confirmLabel="Revoke key"
                    errorTitle="The key was not revoked"
                    onConfirm={() => revokeKey(key)}
                  >
                    Revoke
                  </ConfirmButton>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
