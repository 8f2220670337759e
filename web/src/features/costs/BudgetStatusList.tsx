import { Paper, SimpleGrid, Text, Title } from "@mantine/core";
import { useId } from "react";

import { BudgetProgress } from "./BudgetProgress";
import { formatMonth } from "./format";
import type { Budgets } from "./types";

/** This month for the workspace and each campaign with a budget. */
export function BudgetStatusList({ budgets, campaignName }: { budgets: Budgets; campaignName: (id: string) => string }) {
  const headingId = useId();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId} mb="lg">
      <Title order={2} size="h4" id={headingId}>
        {formatMonth(budgets.period)} so far
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Budgets run per calendar month (UTC). Reserved: held by AI calls still running.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Scope title="Workspace">
          <BudgetProgress status={budgets.workspace} name="Workspace" />
        </Scope>
        {budgets.campaigns.map((status) => {
          const name = campaignName(status.campaign_id ?? "");
          return (
            <Scope key={status.campaign_id} title={name}>
              <BudgetProgress status={status} name={name} />
            </Scope>
          );
        })}
      </SimpleGrid>
    </Paper>
  );
}

function Scope({ title, children }: { title: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <div role="group" aria-labelledby={id}>
      <Title order={3} size="h5" id={id} mb={6}>
        {title}
      </Title>
      {children}
    </div>
  );
}
