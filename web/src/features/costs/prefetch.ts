// What the cost dashboard's route loader starts: every report the screen shows for the URL's period.
import type { QueryClient } from "@tanstack/react-query";

import { resolvePeriod } from "./period";
import { usageQuery } from "./queries";
import type { CostsSearch } from "./search";
import type { GroupBy } from "./types";

const REPORTS: readonly GroupBy[] = ["day", "model", "campaign", "user", "task"];

export function prefetchCosts(queryClient: QueryClient, workspaceId: string, search: CostsSearch): void {
  const period = resolvePeriod(search);
  for (const groupBy of REPORTS) void queryClient.prefetchQuery(usageQuery(workspaceId, groupBy, period));
}
