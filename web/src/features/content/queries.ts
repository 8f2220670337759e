import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { type Tagged, api, ifMatch, unwrap, unwrapTagged } from "../../api/client";
import type { Channel, ContentBody, ContentDetail, Version } from "../../api/types";

const CONTENTS_PATH = "/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}/contents";
const CONTENT_PATH = `${CONTENTS_PATH}/{content_id}` as const;
const VERSIONS_PATH = `${CONTENT_PATH}/versions` as const;

export const CONTENT_PAGE_SIZE = 25;
export const VERSION_PAGE_SIZE = 20;

export interface ContentScope {
  workspaceId: string;
  campaignId: string;
}

const pathOf = (scope: ContentScope) => ({ workspace_id: scope.workspaceId, campaign_id: scope.campaignId });
const itemPathOf = (scope: ContentScope, contentId: string) => ({ ...pathOf(scope), content_id: contentId });

export const contentKeys = {
  all: ({ workspaceId, campaignId }: ContentScope) =>
    ["workspaces", workspaceId, "campaigns", campaignId, "contents"] as const,
  lists: (scope: ContentScope) => [...contentKeys.all(scope), "list"] as const,
  detail: (scope: ContentScope, contentId: string) => [...contentKeys.all(scope), "detail", contentId] as const,
  versions: (scope: ContentScope, contentId: string) => [...contentKeys.detail(scope, contentId), "versions"] as const,
  diff: (scope: ContentScope, contentId: string, from: number, to: number) =>
    [...contentKeys.detail(scope, contentId), "diff", from, to] as const,
};

/** One page of the campaign's content, newest first, at `cursor` (undefined: the first page). */
export const contentListQuery = (scope: ContentScope, filters: { channel?: Channel }, cursor?: string) =>
  queryOptions({
    queryKey: [...contentKeys.lists(scope), filters, cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET(CONTENTS_PATH, {
          params: { path: pathOf(scope), query: { channel: filters.channel, cursor, limit: CONTENT_PAGE_SIZE } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });

/** The item with its current version; `etag` is the If-Match for the next version. */
export const contentQuery = (scope: ContentScope, contentId: string) =>
  queryOptions({
    queryKey: contentKeys.detail(scope, contentId),
    queryFn: ({ signal }) => unwrapTagged(api.GET(CONTENT_PATH, { params: { path: itemPathOf(scope, contentId) }, signal })),
  });

/** The ETag to send as If-Match: the response header, or the current version's own. */
export const etagOfContent = (tagged: Tagged<ContentDetail>) => tagged.etag ?? tagged.data.current.etag;

export const versionListQuery = (scope: ContentScope, contentId: string, cursor?: string) =>
  queryOptions({
    queryKey: [...contentKeys.versions(scope, contentId), cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET(VERSIONS_PATH, {
          params: { path: itemPathOf(scope, contentId), query: { cursor, limit: VERSION_PAGE_SIZE } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });

/** What changed from version `from` (before) to version `to` (after). Versions never change. */
export const versionDiffQuery = (scope: ContentScope, contentId: string, from: number, to: number) =>
  queryOptions({
    queryKey: contentKeys.diff(scope, contentId, from, to),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET(`${VERSIONS_PATH}/{number}/diff`, {
          params: { path: { ...itemPathOf(scope, contentId), number: to }, query: { against: from } },
          signal,
        }),
      ),
    staleTime: Infinity,
  });

/** Names of the workspace's members by user id, to say who wrote a version. */
export const memberNamesQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: ["workspaces", workspaceId, "content-authors"],
    queryFn: async ({ signal }) => {
      const members = await unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/members", { params: { path: { workspace_id: workspaceId } }, signal }),
      );
      return new Map(members.map((member) => [member.user_id, member.display_name]));
    },
    staleTime: 5 * 60_000,
  });

export function useCreateContent(scope: ContentScope) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { title: string; body: ContentBody }) =>
      unwrapTagged(api.POST(CONTENTS_PATH, { params: { path: pathOf(scope) }, body })),
    onSuccess: (created) => {
      queryClient.setQueryData(contentKeys.detail(scope, created.data.id), created);
      return queryClient.invalidateQueries({ queryKey: contentKeys.lists(scope) });
    },
  });
}

export function useCreateVersion(scope: ContentScope, contentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    /** `etag`: the one the edited body was read with, so a concurrent version answers 412. */
    mutationFn: ({ body, etag }: { body: ContentBody; etag: string | null }) =>
      unwrapTagged(
        api.POST(VERSIONS_PATH, { params: { path: itemPathOf(scope, contentId), header: ifMatch(etag) }, body: { body } }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(contentKeys.detail(scope, contentId), (previous: Tagged<ContentDetail> | undefined) =>
        previous && withCurrentVersion(previous, saved),
      );
      void queryClient.invalidateQueries({ queryKey: contentKeys.versions(scope, contentId) });
      return queryClient.invalidateQueries({ queryKey: contentKeys.lists(scope) });
    },
  });
}

/** The item as it is once `saved` became its current version. */
export function withCurrentVersion(item: Tagged<ContentDetail>, saved: Tagged<Version>): Tagged<ContentDetail> {
  return {
    data: { ...item.data, current_version: saved.data.number, current: saved.data, updated_at: saved.data.created_at },
    etag: saved.etag ?? saved.data.etag,
  };
}
