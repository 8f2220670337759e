import { Badge, Group, Select, Table, Text, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";

import { WORKSPACE_ROLE_LABELS } from "../../api/labels";
import type { Member, WorkspaceRole } from "../../api/types";
import { useSession } from "../../auth/session";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDateTime } from "../../lib/format";
import { ConfirmButton } from "../../components/ConfirmButton";
import { useChangeRole, useRemoveMember } from "./queries";
import { ROLE_OPTIONS, asRole } from "./roles";

export interface MembersTableProps {
  workspaceId: string;
  members: readonly Member[];
  /** members:manage: roles become selects and each row gets a Remove button. */
  canManage: boolean;
  /** Reads the list again, e.g. after a 409 caused by a stale view. */
  onReload: () => void;
}

export function MembersTable({ workspaceId, members, canManage, onReload }: MembersTableProps) {
  const currentUserId = useSession()?.user.id;
  const changeRole = useChangeRole(workspaceId, currentUserId);
  const remove = useRemoveMember(workspaceId, currentUserId);
  const nameOf = (userId: string) => members.find((member) => member.user_id === userId)?.display_name ?? "the member";
  const pending = changeRole.isPending ? changeRole.variables : undefined;

  const setRole = (member: Member, role: WorkspaceRole) => {
    if (role === member.role) return;
    changeRole.mutate(
      { userId: member.user_id, role },
      {
        onSuccess: (saved) =>
          notifications.show({ color: "green", message: `${saved.display_name} is now ${WORKSPACE_ROLE_LABELS[saved.role]}.` }),
      },
    );
  };

  const removeMember = async (member: Member) => {
    await remove.mutateAsync(member.user_id);
    notifications.show({ color: "green", message: `${member.display_name} was removed from the workspace.` });
  };

  return (
    <>
      {changeRole.error && (
        <ProblemAlert
          error={changeRole.error}
          title={`The role of ${nameOf(changeRole.variables?.userId ?? "")} was not changed`}
          onRetry={() => {
            changeRole.reset();
            onReload();
          }}
          retryLabel="Reload members"
        />
      )}
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm">
          <VisuallyHidden component="caption">Members</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Joined</Table.Th>
              {canManage && (
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((member) => {
              const isPendingRow = pending?.userId === member.user_id;
              return (
                <Table.Tr key={member.user_id}>
                  <Table.Th scope="row" fw={500}>
                    <Group gap="xs" wrap="nowrap">
                      {member.display_name}
                      {member.user_id === currentUserId && (
                        <Badge size="xs" variant="light" color="gray">
                          You
                        </Badge>
                      )}
                    </Group>
                  </Table.Th>
                  <Table.Td>{member.email}</Table.Td>
                  <Table.Td>
                    {canManage ? (
                      // Mantine's Select, not a native one: it changes the role only on Enter or a
                      // click, never while arrow keys move through the options.
                      <Select
                        aria-label={`Role for ${member.display_name}`}
                        data={ROLE_OPTIONS}
                        value={isPendingRow && pending ? pending.role : member.role}
                        onChange={(value) => {
                          const role = asRole(value);
                          if (role) setRole(member, role);
                        }}
                        allowDeselect={false}
                        disabled={isPendingRow}
                        size="xs"
                        w={170}
                      />
                    ) : (
                      WORKSPACE_ROLE_LABELS[member.role]
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(member.joined_at)}</Text>
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <ConfirmButton
                        aria-label={`Remove ${member.display_name}`}
                        title={`Remove ${member.display_name}?`}
                        description={`${member.display_name} (${member.email}) loses access to this workspace at once. You can invite them again later.`}
                        confirmLabel="Remove member"
                        errorTitle={`${member.display_name} was not removed`}
                        onConfirm={() => removeMember(member)}
                      >
                        Remove
                      </ConfirmButton>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
