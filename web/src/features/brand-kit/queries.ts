import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { type Tagged, api, ifMatch, unwrap, unwrapTagged } from "../../api/client";
import type { BrandKit, BrandKitUpdate } from "./types";

export const VERSION_PAGE_SIZE = 20;

const KIT_PATH = "/api/v1/workspaces/{workspace_id}/brand-kit";
const VERSIONS_PATH = `${KIT_PATH}/versions` as const;

export const brandKitKeys = {
  all: (workspaceId: string) => ["workspaces", workspaceId, "brand-kit"] as const,
  current: (workspaceId: string) => [...brandKitKeys.all(workspaceId), "current"] as const,
  versions: (workspaceId: string) => [...brandKitKeys.all(workspaceId), "versions"] as const,
  version: (workspaceId: string, number: number) => [...brandKitKeys.all(workspaceId), "version", number] as const,
};

/** The current kit (version 0: never saved) with the ETag to send as `If-Match` when saving. */
export const brandKitQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: brandKitKeys.current(workspaceId),
    queryFn: async ({ signal }) => {
      const tagged = await unwrapTagged(api.GET(KIT_PATH, { params: { path: { workspace_id: workspaceId } }, signal }));
      return { data: tagged.data, etag: tagged.etag ?? tagged.data.etag };
    },
  });

export const brandKitVersionsQuery = (workspaceId: string, cursor?: string) =>
  queryOptions({
    queryKey: [...brandKitKeys.versions(workspaceId), cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET(VERSIONS_PATH, {
          params: { path: { workspace_id: workspaceId }, query: { cursor, limit: VERSION_PAGE_SIZE } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });

/** A saved version; versions never change. */
export const brandKitVersionQuery = (workspaceId: string, number: number) =>
  queryOptions({
    queryKey: brandKitKeys.version(workspaceId, number),
    queryFn: ({ signal }) =>
      unwrap(api.GET(`${VERSIONS_PATH}/{number}`, { params: { path: { workspace_id: workspaceId, number } }, signal })),
    staleTime: Infinity,
  });

export function useSaveBrandKit(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    /** `etag`: the one the edited kit was read with, so a concurrent save answers 412. */
    mutationFn: async ({ body, etag }: { body: BrandKitUpdate; etag: string | null }): Promise<Tagged<BrandKit>> => {
      const saved = await unwrapTagged(
        api.PUT(KIT_PATH, { params: { path: { workspace_id: workspaceId }, header: ifMatch(etag) }, body }),
      );
      return { data: saved.data, etag: saved.etag ?? saved.data.etag };
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(brandKitKeys.current(workspaceId), saved);
      return queryClient.invalidateQueries({ queryKey: brandKitKeys.versions(workspaceId) });
    },
  });
}
