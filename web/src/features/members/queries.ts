import { type QueryClient, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { WorkspaceRole } from "../../api/types";
import { meQuery, workspaceQuery } from "../workspaces/queries";

export const memberKeys = {
  all: (workspaceId: string) => ["workspaces", workspaceId, "members"] as const,
  invitations: (workspaceId: string) => ["workspaces", workspaceId, "invitations"] as const,
};

const MEMBERS_PATH = "/api/v1/workspaces/{workspace_id}/members";
const MEMBER_PATH = "/api/v1/workspaces/{workspace_id}/members/{user_id}";
const INVITATIONS_PATH = "/api/v1/workspaces/{workspace_id}/invitations";
const INVITATION_PATH = "/api/v1/workspaces/{workspace_id}/invitations/{invitation_id}";

export const membersQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: memberKeys.all(workspaceId),
    queryFn: ({ signal }) => unwrap(api.GET(MEMBERS_PATH, { params: { path: { workspace_id: workspaceId } }, signal })),
  });

/** Every invitation of the workspace, accepted, revoked and expired ones too (members:manage only). */
export const invitationsQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: memberKeys.invitations(workspaceId),
    queryFn: ({ signal }) =>
      unwrap(api.GET(INVITATIONS_PATH, { params: { path: { workspace_id: workspaceId } }, signal })),
  });

/**
 * A change to one's own membership changes one's permissions (and may end one's access), so
 * the workspace and `me` are read again too.
 */
function refreshAfterMemberChange(queryClient: QueryClient, workspaceId: string, ownMembership: boolean) {
  const refreshes = [queryClient.invalidateQueries({ queryKey: memberKeys.all(workspaceId) })];
  if (ownMembership) {
    refreshes.push(
      queryClient.invalidateQueries({ queryKey: workspaceQuery(workspaceId).queryKey, exact: true }),
      queryClient.invalidateQueries({ queryKey: meQuery().queryKey }),
    );
  }
  return Promise.all(refreshes);
}

export function useChangeRole(workspaceId: string, currentUserId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: WorkspaceRole }) =>
      unwrap(api.PATCH(MEMBER_PATH, { params: { path: { workspace_id: workspaceId, user_id: userId } }, body: { role } })),
    onSuccess: (member) => refreshAfterMemberChange(queryClient, workspaceId, member.user_id === currentUserId),
  });
}

export function useRemoveMember(workspaceId: string, currentUserId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      unwrap(api.DELETE(MEMBER_PATH, { params: { path: { workspace_id: workspaceId, user_id: userId } } })),
    onSuccess: (_nothing, userId) => refreshAfterMemberChange(queryClient, workspaceId, userId === currentUserId),
  });
}

export function useInviteMember(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: WorkspaceRole }) =>
      unwrap(api.POST(INVITATIONS_PATH, { params: { path: { workspace_id: workspaceId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.invitations(workspaceId) }),
    // The answer holds the invitation token, shown once: forget it as soon as the dialog closes.
    gcTime: 0,
  });
}

export function useRevokeInvitation(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      unwrap(
        api.DELETE(INVITATION_PATH, { params: { path: { workspace_id: workspaceId, invitation_id: invitationId } } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.invitations(workspaceId) }),
  });
}
