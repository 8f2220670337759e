import { Badge, Group, Progress, Stack, Text } from "@mantine/core";

import { budgetBar, budgetLevel } from "./budget-status";
import { formatPercent, formatUsd } from "./format";
import { WARNING_TEXT } from "./tones";
import type { BudgetStatus } from "./types";

const LEVEL_BADGES = {
  soft: { label: "Warning reached", color: WARNING_TEXT },
  blocked: { label: "Limit reached: paused", color: "red.9" },
  over: { label: "Over the limit", color: "red.9" },
} as const;

// At least 3:1 against the bar's light track (WCAG non-text contrast).
const SPENT_COLORS = { ok: "blue.7", soft: "orange.9", blocked: "red.8", over: "red.8" } as const;

/** One scope's month: spent and reserved against its limit, or just the spend without a budget. */
export function BudgetProgress({ status, name }: { status: BudgetStatus; name: string }) {
  const bar = budgetBar(status);
  const level = budgetLevel(status);
  if (!bar) {
    return (
      <Text size="sm">
        {formatUsd(status.spent)} spent this month{Number(status.reserved) > 0 ? `, ${formatUsd(status.reserved)} reserved` : ""}. No budget.
      </Text>
    );
  }
  const badge = level === "ok" ? null : LEVEL_BADGES[level];
  return (
    <Stack gap={6}>
      <Progress.Root size="lg">
        <Progress.Section
          value={bar.spent}
          color={SPENT_COLORS[level]}
          aria-label={`${name}: spent, ${formatPercent(status.percent_used)} of the limit`}
        />
        {bar.reserved > 0 && (
          <Progress.Section value={bar.reserved} color="gray.6" striped aria-label={`${name}: reserved by calls in progress`} />
        )}
      </Progress.Root>
      <Group gap="xs" justify="space-between" wrap="wrap">
        <Text size="sm">
          <strong>{formatUsd(status.spent)}</strong> spent
          {Number(status.reserved) > 0 && <> + {formatUsd(status.reserved)} reserved</>} of {formatUsd(status.monthly_limit)} (
          {formatPercent(status.percent_used)}) · {formatUsd(status.remaining)} left
        </Text>
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            Warns at {status.soft_threshold_percent}% · {status.hard_limit ? "Hard limit" : "Warn only"}
          </Text>
          {badge && (
            <Badge size="sm" variant="outline" color={badge.color} tt="none">
              {badge.label}
            </Badge>
          )}
        </Group>
      </Group>
    </Stack>
  );
}
