import { Button } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";

import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { usePermissions } from "../workspaces/queries";
import { InviteMemberModal } from "./InviteMemberModal";
import { MembersTable } from "./MembersTable";
import { PendingInvitations } from "./PendingInvitations";
import { membersQuery } from "./queries";

const route = getRouteApi("/authed/w/$workspaceId/members");

/** The workspace's members and their roles; managers also invite, change roles and remove. */
export function MembersPage() {
  const { workspaceId } = route.useParams();
  const query = useQuery(membersQuery(workspaceId));
  const { can } = usePermissions(workspaceId);
  const canManage = can("members:manage");
  const [inviting, { open: openInvite, close: closeInvite }] = useDisclosure(false);

  return (
    <>
      <PageHeader
        title="Members"
        description="Who works in this workspace, and what their role lets them do."
        actions={canManage ? <Button onClick={openInvite}>Invite member</Button> : null}
      />
      <QueryState
        query={query}
        loadingLabel="Loading members"
        isEmpty={(members) => members.length === 0}
        empty={{ title: "No members yet" }}
      >
        {(members) => (
          <MembersTable
            workspaceId={workspaceId}
            members={members}
            canManage={canManage}
            onReload={() => void query.refetch()}
          />
        )}
      </QueryState>
      {canManage && (
        <>
          <PendingInvitations workspaceId={workspaceId} />
          <InviteMemberModal workspaceId={workspaceId} opened={inviting} onClose={closeInvite} />
        </>
      )}
    </>
  );
}
