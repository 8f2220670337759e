import { Alert, Stack, Text } from "@mantine/core";

import { isApiError } from "../../api/problem";
import { AnchorLink } from "../../components/links";
import { usePermissions } from "../workspaces/queries";

/** A hard budget stopped the request: the API's 402 problem, or a generation's `budget-exceeded` error. */
export const isBudgetExceeded = (error: unknown) => isApiError(error) && (error.status === 402 || error.type.endsWith("/budget-exceeded"));

export const BUDGET_ERROR_CODE = "budget-exceeded";

/** Why nothing was written, and where budgets are set (for those who may see them). */
export function BudgetExceededAlert({ workspaceId, detail }: { workspaceId: string; detail: string | null }) {
  const { can } = usePermissions(workspaceId);
  return (
    <Alert color="red" variant="light" title="Budget exceeded" role="alert">
      <Stack gap={6}>
        <Text size="sm">{detail ?? "This request would exceed a monthly AI budget."} Nothing was spent.</Text>
        {can("usage:read") ? (
          <AnchorLink to="/w/$workspaceId/costs/budgets" params={{ workspaceId }} size="sm" fw={600}>
            Review the budgets
          </AnchorLink>
        ) : (
          <Text size="sm">Ask a manager of this workspace to raise the budget.</Text>
        )}
      </Stack>
    </Alert>
  );
}
