import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { type Tagged, api, ifMatch, unwrap, unwrapTagged } from "../../api/client";
import type { Period } from "./period";
import type { Budgets, BudgetsUpdate, GroupBy } from "./types";

const USAGE_PATH = "/api/v1/workspaces/{workspace_id}/usage";
const BUDGETS_PATH = "/api/v1/workspaces/{workspace_id}/budgets";
const CAMPAIGNS_PATH = "/api/v1/workspaces/{workspace_id}/campaigns";
const CAMPAIGN_PAGE = 200;
const MAX_CAMPAIGN_PAGES = 10;

export const costKeys = {
  all: (workspaceId: string) => ["workspaces", workspaceId, "costs"] as const,
  usage: (workspaceId: string) => [...costKeys.all(workspaceId), "usage"] as const,
  budgets: (workspaceId: string) => [...costKeys.all(workspaceId), "budgets"] as const,
};

/** One report of the ledger: totals and one group per day, model, campaign, user or task. */
export const usageQuery = (workspaceId: string, groupBy: GroupBy, period: Pick<Period, "from" | "to">) =>
  queryOptions({
    queryKey: [...costKeys.usage(workspaceId), groupBy, period.from, period.to],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET(USAGE_PATH, {
          params: { path: { workspace_id: workspaceId }, query: { group_by: groupBy, from: period.from, to: period.to } },
          signal,
        }),
      ),
    // Keep the last period on screen while another one loads.
    placeholderData: keepPreviousData,
  });

/** This month's budgets and spend, with the ETag to send as `If-Match` when saving. */
export const budgetsQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: costKeys.budgets(workspaceId),
    queryFn: async ({ signal }): Promise<Tagged<Budgets>> => {
      const tagged = await unwrapTagged(api.GET(BUDGETS_PATH, { params: { path: { workspace_id: workspaceId } }, signal }));
      return { data: tagged.data, etag: tagged.etag ?? tagged.data.etag };
    },
  });

export function useSaveBudgets(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    /** `etag`: the one the form was filled from, so a colleague's save in between answers 412. */
    mutationFn: async ({ body, etag }: { body: BudgetsUpdate; etag: string | null }): Promise<Tagged<Budgets>> => {
      const saved = await unwrapTagged(
        api.PUT(BUDGETS_PATH, { params: { path: { workspace_id: workspaceId }, header: ifMatch(etag) }, body }),
      );
      return { data: saved.data, etag: saved.etag ?? saved.data.etag };
    },
    // The banner reads the same query, so it follows at once.
    onSuccess: (saved) => queryClient.setQueryData(costKeys.budgets(workspaceId), saved),
  });
}

export interface CampaignName {
  id: string;
  name: string;
}

/**
 * Every campaign's id and name, for the breakdown's labels and the budget picker. Under the
 * campaigns' key prefix (`["workspaces", id, "campaigns"]`), so their changes refresh it.
 */
export const campaignNamesQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: ["workspaces", workspaceId, "campaigns", "names"] as const,
    queryFn: async ({ signal }): Promise<CampaignName[]> => {
      const names: CampaignName[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_CAMPAIGN_PAGES; page += 1) {
        const result = await unwrap(
          api.GET(CAMPAIGNS_PATH, {
            params: { path: { workspace_id: workspaceId }, query: { cursor, limit: CAMPAIGN_PAGE } },
            signal,
          }),
        );
        names.push(...result.items.map((campaign) => ({ id: campaign.id, name: campaign.name })));
        cursor = result.next_cursor ?? undefined;
        if (!cursor) break;
      }
      return names;
    },
    staleTime: 60_000,
  });
