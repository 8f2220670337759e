import { keepPreviousData, queryOptions } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { toAuditQuery } from "./filters";
import type { AuditSearch } from "./search";

export const auditKeys = {
  all: (workspaceId: string) => ["workspaces", workspaceId, "audit-events"] as const,
};

/** One page of events for the URL's filters and cursor. */
export const auditEventsQuery = (workspaceId: string, search: AuditSearch) => {
  const query = toAuditQuery(search);
  return queryOptions({
    queryKey: [...auditKeys.all(workspaceId), query],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/audit-events", {
          params: { path: { workspace_id: workspaceId }, query },
          signal,
        }),
      ),
    // Keep the current page on screen while the next one or a new filter loads.
    placeholderData: keepPreviousData,
  });
};
