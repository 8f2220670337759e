import { queryOptions, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { Permission } from "../../api/types";

export const meQuery = () =>
  queryOptions({
    queryKey: ["me"],
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/me", { signal })),
    staleTime: 60_000,
  });

export const workspaceQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: ["workspaces", workspaceId],
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}", { params: { path: { workspace_id: workspaceId } }, signal })),
    staleTime: 60_000,
  });

export interface WorkspacePermissions {
  /** False until the workspace has loaded: hide controls rather than flash them. */
  can: (permission: Permission) => boolean;
  isLoading: boolean;
}

/** What the signed-in person may do in this workspace (`permissions` of GET /workspaces/{id}). */
export function usePermissions(workspaceId: string): WorkspacePermissions {
  const { data, isPending } = useQuery(workspaceQuery(workspaceId));
  const granted = new Set(data?.permissions ?? []);
  return { can: (permission) => granted.has(permission), isLoading: isPending };
}
