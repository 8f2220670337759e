import { Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";

import { WORKSPACE_ROLE_LABELS } from "../../api/labels";
import type { Invitation } from "../../api/types";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../lib/format";
import { ConfirmButton } from "../../components/ConfirmButton";
import { isPending } from "./invite-form";
import { invitationsQuery, useRevokeInvitation } from "./queries";

/** Invitations not yet accepted, revoked or expired. Needs members:manage (so does the list). */
export function PendingInvitations({ workspaceId }: { workspaceId: string }) {
  const query = useQuery({ ...invitationsQuery(workspaceId), select: (all) => all.filter((item) => isPending(item)) });
  const revoke = useRevokeInvitation(workspaceId);
  const headingId = useId();

  const revokeInvitation = async (invitation: Invitation) => {
    await revoke.mutateAsync(invitation.id);
    notifications.show({ color: "green", message: `The invitation for ${invitation.email} was revoked.` });
  };

  return (
    <section aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mt="xl" mb="sm">
        Pending invitations
      </Title>
      <QueryState
        query={query}
        loadingLabel="Loading invitations"
        isEmpty={(invitations) => invitations.length === 0}
        empty={{ title: "No pending invitations", description: "Invitations you send appear here until they are accepted." }}
      >
        {(invitations) => (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm">
              <VisuallyHidden component="caption">Pending invitations</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Email</Table.Th>
                  <Table.Th scope="col">Role</Table.Th>
                  <Table.Th scope="col">Expires</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {invitations.map((invitation) => (
                  <Table.Tr key={invitation.id}>
                    <Table.Th scope="row" fw={500}>
                      {invitation.email}
                    </Table.Th>
                    <Table.Td>{WORKSPACE_ROLE_LABELS[invitation.role]}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(invitation.expires_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <ConfirmButton
                        aria-label={`Revoke invitation for ${invitation.email}`}
                        title={`Revoke the invitation for ${invitation.email}?`}
                        description="Its token stops working at once. You can invite them again later."
                        confirmLabel="Revoke invitation"
                        errorTitle="The invitation was not revoked"
                        onConfirm={() => revokeInvitation(invitation)}
                      >
                        Revoke
                      </ConfirmButton>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </section>
  );
}
