import { Group } from "@mantine/core";

import { ButtonLink } from "../../components/links";

/** Usage and budgets: the two views of the workspace's AI costs. */
export function CostTabs({ workspaceId, current }: { workspaceId: string; current: "usage" | "budgets" }) {
  return (
    <Group gap="xs" component="nav" aria-label="Cost views" mb="md">
      <ButtonLink
        to="/w/$workspaceId/costs"
        params={{ workspaceId }}
        activeOptions={{ exact: true, includeSearch: false }}
        variant={current === "usage" ? "filled" : "default"}
        size="xs"
      >
        Usage
      </ButtonLink>
      <ButtonLink
        to="/w/$workspaceId/costs/budgets"
        params={{ workspaceId }}
        activeOptions={{ exact: true, includeSearch: false }}
        variant={current === "budgets" ? "filled" : "default"}
        size="xs"
      >
        Budgets
      </ButtonLink>
    </Group>
  );
}
