import {
  type QueryClient,
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";

import { type Tagged, api, ifMatch, unwrap, unwrapTagged } from "../../api/client";
import { campaignStatusValues } from "../../api/schema.gen";
import type { Campaign, CampaignCreate, CampaignStatus, CampaignUpdate, Channel } from "../../api/types";
import type { CampaignSearch } from "./search";

export const PAGE_SIZE = 25;

export interface CampaignFilters {
  status?: CampaignStatus;
  channel?: Channel;
  q?: string;
}

export const campaignKeys = {
  all: (workspaceId: string) => ["workspaces", workspaceId, "campaigns"] as const,
  lists: (workspaceId: string) => [...campaignKeys.all(workspaceId), "list"] as const,
  detail: (workspaceId: string, campaignId: string) => [...campaignKeys.all(workspaceId), "detail", campaignId] as const,
};

const LIST_PATH = "/api/v1/workspaces/{workspace_id}/campaigns";
const ITEM_PATH = "/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}";

function listCampaigns(workspaceId: string, filters: CampaignFilters, cursor: string | undefined, signal: AbortSignal) {
  return unwrap(
    api.GET(LIST_PATH, {
      params: { path: { workspace_id: workspaceId }, query: { ...filters, cursor, limit: PAGE_SIZE } },
      signal,
    }),
  );
}

/** One page of the list, at `cursor` (undefined: the first page). */
export const campaignPageQuery = (workspaceId: string, filters: CampaignFilters, cursor: string | undefined) =>
  queryOptions({
    queryKey: [...campaignKeys.lists(workspaceId), "page", filters, cursor ?? null],
    queryFn: ({ signal }) => listCampaigns(workspaceId, filters, cursor, signal),
    // Keep the current page on screen while the next one or a new filter loads.
    placeholderData: keepPreviousData,
  });

/** A board column: every campaign of one status, a page at a time ("Load more"). */
export const campaignColumnQuery = (workspaceId: string, status: CampaignStatus, filters: Omit<CampaignFilters, "status">) =>
  infiniteQueryOptions({
    queryKey: [...campaignKeys.lists(workspaceId), "column", status, filters],
    queryFn: ({ pageParam, signal }) => listCampaigns(workspaceId, { ...filters, status }, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

/**
 * Starts loading what the campaigns screen shows for `search` (a page of the list, or every board
 * column), with the queries CampaignsPage reads, so its route loader fetches them alongside the
 * screen's code.
 */
export function prefetchCampaigns(queryClient: QueryClient, workspaceId: string, search: CampaignSearch): void {
  const { status, channel, q, view, cursor } = search;
  if (view === "board") {
    for (const column of campaignStatusValues) {
      void queryClient.prefetchInfiniteQuery(campaignColumnQuery(workspaceId, column, { channel, q }));
    }
    return;
  }
  void queryClient.prefetchQuery(campaignPageQuery(workspaceId, { status, channel, q }, cursor));
}

/** A campaign with the ETag to send as `If-Match` when updating it. */
export const campaignQuery = (workspaceId: string, campaignId: string) =>
  queryOptions({
    queryKey: campaignKeys.detail(workspaceId, campaignId),
    queryFn: ({ signal }) =>
      unwrapTagged(
        api.GET(ITEM_PATH, { params: { path: { workspace_id: workspaceId, campaign_id: campaignId } }, signal }),
      ),
  });

export function useCreateCampaign(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CampaignCreate) =>
      unwrapTagged(api.POST(LIST_PATH, { params: { path: { workspace_id: workspaceId } }, body })),
    onSuccess: (created) => {
      queryClient.setQueryData(campaignKeys.detail(workspaceId, created.data.id), created);
      return queryClient.invalidateQueries({ queryKey: campaignKeys.lists(workspaceId) });
    },
  });
}

export function useUpdateCampaign(workspaceId: string, campaignId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    /** `etag`: the one the edited values were read with, so a concurrent change answers 412. */
    mutationFn: ({ body, etag }: { body: CampaignUpdate; etag: string | null }) =>
      unwrapTagged(
        api.PATCH(ITEM_PATH, {
          params: { path: { workspace_id: workspaceId, campaign_id: campaignId }, header: ifMatch(etag) },
          body,
        }),
      ),
    onSuccess: (saved) => saveInCache(queryClient, workspaceId, saved),
  });
}

export function useArchiveCampaign(workspaceId: string, campaignId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrapTagged(
        api.POST(`${ITEM_PATH}/archive`, { params: { path: { workspace_id: workspaceId, campaign_id: campaignId } } }),
      ),
    onSuccess: (saved) => saveInCache(queryClient, workspaceId, saved),
  });
}

function saveInCache(queryClient: ReturnType<typeof useQueryClient>, workspaceId: string, saved: Tagged<Campaign>) {
  queryClient.setQueryData(campaignKeys.detail(workspaceId, saved.data.id), saved);
  return queryClient.invalidateQueries({ queryKey: campaignKeys.lists(workspaceId) });
}
