import { Alert, Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";

import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { usePermissions } from "../workspaces/queries";
import { BudgetForm } from "./BudgetForm";
import { BudgetStatusList } from "./BudgetStatusList";
import { CostTabs } from "./CostTabs";
import { useDirectory } from "./labels";
import { budgetsQuery, campaignNamesQuery } from "./queries";

const route = getRouteApi("/authed/w/$workspaceId/costs/budgets");

/** Monthly AI budgets: where spend stands, and (for managers) the limits, thresholds and hard limits. */
export function BudgetsPage() {
  const { workspaceId } = route.useParams();
  const query = useQuery(budgetsQuery(workspaceId));
  const { can } = usePermissions(workspaceId);
  const canManage = can("budgets:manage");
  const directory = useDirectory(workspaceId);
  const campaigns = useQuery({ ...campaignNamesQuery(workspaceId), enabled: canManage });

  return (
    <>
      <PageHeader
        title="Budgets"
        description="Monthly caps on what AI calls may cost, for the workspace and single campaigns. Amounts in USD."
      />
      <CostTabs workspaceId={workspaceId} current="budgets" />
      <QueryState query={query} loadingLabel="Loading the budgets" errorTitle="The budgets could not be loaded">
        {(tagged) => (
          <Stack gap={0}>
            <BudgetStatusList budgets={tagged.data} campaignName={directory.campaignName} />
            {canManage ? (
              <QueryState query={campaigns} loadingLabel="Loading the campaigns" errorTitle="The campaigns could not be loaded">
                {(names) => (
                  <BudgetForm
                    key={workspaceId}
                    workspaceId={workspaceId}
                    latest={tagged}
                    refetch={async () => (await query.refetch()).data}
                    campaigns={names}
                    campaignName={directory.campaignName}
                  />
                )}
              </QueryState>
            ) : (
              <Alert color="gray" variant="light" title="Read only">
                Your role can see the budgets but not change them; managers set them.
              </Alert>
            )}
          </Stack>
        )}
      </QueryState>
    </>
  );
}
