import { Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";

import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { Breakdown } from "./Breakdown";
import { CostTabs } from "./CostTabs";
import { DailyUsage } from "./DailyUsage";
import { useDirectory } from "./labels";
import { type Period, resolvePeriod } from "./period";
import { PeriodPicker } from "./PeriodPicker";
import { usageQuery } from "./queries";
import type { CostsSearch } from "./search";
import { UsageSummary } from "./UsageSummary";

const route = getRouteApi("/authed/w/$workspaceId/costs");

export const BREAKDOWNS = ["model", "campaign", "user", "task"] as const;

/** What the workspace's model and embedding calls cost: totals, per day, and by model, campaign, person and task. */
export function CostsPage() {
  const { workspaceId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const period = resolvePeriod(search);
  const changePeriod = (next: CostsSearch) => void navigate({ search: next, replace: true });

  return (
    <>
      <PageHeader title="Costs" description="What AI calls cost in this workspace, from the usage ledger. Amounts in USD." />
      <CostTabs workspaceId={workspaceId} current="usage" />
      <PeriodPicker key={`${period.kind}:${period.from}:${period.to}`} period={period} onChange={changePeriod} />
      <Report workspaceId={workspaceId} period={period} />
    </>
  );
}

function Report({ workspaceId, period }: { workspaceId: string; period: Period }) {
  const query = useQuery(usageQuery(workspaceId, "day", period));
  const directory = useDirectory(workspaceId);
  return (
    <QueryState
      query={query}
      loadingLabel="Loading costs"
      errorTitle="The costs could not be loaded"
      isEmpty={(report) => report.totals.calls === 0}
      empty={{
        title: "No AI usage in this period",
        description:
          "Costs show up here once someone generates, rewrites or checks content with a model, or documents are indexed for search. Pick a longer period to look further back.",
      }}
    >
      {(report) => (
        <>
          <UsageSummary totals={report.totals} />
          <DailyUsage groups={report.groups} total={report.totals.cost} />
          <Stack gap="lg">
            {BREAKDOWNS.map((groupBy) => (
              <Breakdown key={groupBy} workspaceId={workspaceId} groupBy={groupBy} period={period} directory={directory} />
            ))}
          </Stack>
        </>
      )}
    </QueryState>
  );
}
