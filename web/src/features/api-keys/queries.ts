import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { Permission } from "../../api/types";

export const apiKeyKeys = {
  all: (workspaceId: string) => ["workspaces", workspaceId, "api-keys"] as const,
};

const KEYS_PATH = "/api/v1/workspaces/{workspace_id}/api-keys";
const KEY_PATH = "/api/v1/workspaces/{workspace_id}/api-keys/{key_id}";

export const apiKeysQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: apiKeyKeys.all(workspaceId),
    queryFn: ({ signal }) => unwrap(api.GET(KEYS_PATH, { params: { path: { workspace_id: workspaceId } }, signal })),
  });

export function useCreateApiKey(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; permissions: Permission[] }) =>
      unwrap(api.POST(KEYS_PATH, { params: { path: { workspace_id: workspaceId } }, body })),
    // Only the list is refreshed; the answer, which holds the secret, is never put in a cache.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all(workspaceId) }),
    // Nor kept with the finished mutation: forget it as soon as the dialog showing it closes.
    gcTime: 0,
  });
}

export function useRevokeApiKey(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) =>
      unwrap(api.DELETE(KEY_PATH, { params: { path: { workspace_id: workspaceId, key_id: keyId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all(workspaceId) }),
  });
}
