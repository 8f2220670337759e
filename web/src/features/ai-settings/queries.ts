import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { type Tagged, api, ifMatch, unwrap, unwrapTagged } from "../../api/client";
import type { components } from "../../api/schema.gen";

type Schemas = components["schemas"];
export type AISettings = Schemas["AISettingsRead"];
export type AISettingsUpdate = Schemas["AISettingsUpdate"];
export type RouteSpec = Schemas["RouteSpec"];
export type ProviderKey = Schemas["ProviderKeyRead"];
export type UsableProviderKey = Schemas["UsableProviderKey"];
export type ProviderKeyCreate = Schemas["ProviderKeyCreate"];
export type ProviderKeyUpdate = Schemas["ProviderKeyUpdate"];

const SETTINGS_PATH = "/api/v1/workspaces/{workspace_id}/ai-settings";
const ORG_KEYS_PATH = "/api/v1/organizations/{organization_id}/provider-keys";

export const aiSettingsKeys = {
  settings: (workspaceId: string) => ["workspaces", workspaceId, "ai-settings"] as const,
  usableKeys: (workspaceId: string) => ["workspaces", workspaceId, "ai-settings", "provider-keys"] as const,
  orgKeys: (organizationId: string) => ["organizations", organizationId, "provider-keys"] as const,
};

/** The settings (revision 0: the defaults) with the ETag to send as `If-Match` when saving. */
export const aiSettingsQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: aiSettingsKeys.settings(workspaceId),
    queryFn: async ({ signal }) => {
      const tagged = await unwrapTagged(api.GET(SETTINGS_PATH, { params: { path: { workspace_id: workspaceId } }, signal }));
      return { data: tagged.data, etag: tagged.etag ?? tagged.data.etag };
    },
  });

/** The organization's keys a route of this workspace may name (needs ai_settings:manage). */
export const usableKeysQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: aiSettingsKeys.usableKeys(workspaceId),
    queryFn: ({ signal }) =>
      unwrap(api.GET(`${SETTINGS_PATH}/provider-keys`, { params: { path: { workspace_id: workspaceId } }, signal })),
  });

export const providerKeysQuery = (organizationId: string) =>
  queryOptions({
    queryKey: aiSettingsKeys.orgKeys(organizationId),
    queryFn: ({ signal }) =>
      unwrap(api.GET(ORG_KEYS_PATH, { params: { path: { organization_id: organizationId } }, signal })),
  });

export function useSaveAISettings(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    /** `etag`: the one the form was filled from, so a colleague's save in between answers 412. */
    mutationFn: async ({ body, etag }: { body: AISettingsUpdate; etag: string | null }): Promise<Tagged<AISettings>> => {
      const saved = await unwrapTagged(
        api.PUT(SETTINGS_PATH, { params: { path: { workspace_id: workspaceId }, header: ifMatch(etag) }, body }),
      );
      return { data: saved.data, etag: saved.etag ?? saved.data.etag };
    },
    onSuccess: (saved) => queryClient.setQueryData(aiSettingsKeys.settings(workspaceId), saved),
  });
}

/** Any change to the organization's keys changes what every workspace's routes may name. */
function useInvalidateKeys(organizationId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: aiSettingsKeys.orgKeys(organizationId) }),
      queryClient.invalidateQueries({ predicate: (query) => query.queryKey.includes("provider-keys") }),
    ]);
}

export function useCreateProviderKey(organizationId: string) {
  const invalidate = useInvalidateKeys(organizationId);
  return useMutation({
    mutationFn: (body: ProviderKeyCreate) =>
      unwrap(api.POST(ORG_KEYS_PATH, { params: { path: { organization_id: organizationId } }, body })),
    onSuccess: invalidate,
  });
}

export function useUpdateProviderKey(organizationId: string) {
  const invalidate = useInvalidateKeys(organizationId);
  return useMutation({
    mutationFn: ({ keyId, body }: { keyId: string; body: ProviderKeyUpdate }) =>
      unwrap(api.PUT(`${ORG_KEYS_PATH}/{key_id}`, { params: { path: { organization_id: organizationId, key_id: keyId } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteProviderKey(organizationId: string) {
  const invalidate = useInvalidateKeys(organizationId);
  return useMutation({
    mutationFn: (keyId: string) =>
      unwrap(api.DELETE(`${ORG_KEYS_PATH}/{key_id}`, { params: { path: { organization_id: organizationId, key_id: keyId } } })),
    onSuccess: invalidate,
  });
}
