import { Badge, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { QueryState } from "../../components/QueryState";
import { CHART_COLORS, TICK } from "./chart-style";
import { formatCount, formatUsd, formatUsdShort, shareOf } from "./format";
import { type Directory, GROUP_COLUMN, GROUP_TITLES, groupLabel } from "./labels";
import type { Period } from "./period";
import { scrollRegion } from "./scroll-region";
import { WARNING_TEXT } from "./tones";
import { usageQuery } from "./queries";
import type { GroupBy, UsageGroup } from "./types";

type Dimension = Exclude<GroupBy, "day">;

/** The chart shows the costliest few; the table lists them all. */
const CHART_TOP = 8;

export interface BreakdownProps {
  workspaceId: string;
  groupBy: Dimension;
  period: Period;
  directory: Directory;
}

/** Usage of the period split by model, campaign, person or task: a bar chart of the top costs and a table of all. */
export function Breakdown({ workspaceId, groupBy, period, directory }: BreakdownProps) {
  const query = useQuery(usageQuery(workspaceId, groupBy, period));
  const headingId = useId();
  const title = GROUP_TITLES[groupBy];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="sm">
        {title}
      </Title>
      <QueryState
        query={query}
        loadingLabel={`Loading costs ${title.toLowerCase()}`}
        isEmpty={(report) => report.groups.length === 0}
        empty={{ title: "No calls in this period" }}
      >
        {(report) => {
          const rows = report.groups.map((group) => ({ group, label: groupLabel(groupBy, group, directory) }));
          return (
            <Stack gap="md">
              <TopCostChart rows={rows} title={title} />
              <BreakdownTable rows={rows} column={GROUP_COLUMN[groupBy]} title={title} total={report.totals.cost} />
            </Stack>
          );
        }}
      </QueryState>
    </Paper>
  );
}

interface Row {
  group: UsageGroup;
  label: string;
}

function TopCostChart({ rows, title }: { rows: readonly Row[]; title: string }) {
  const top = rows
    .filter((row) => Number(row.group.cost) > 0)
    .slice(0, CHART_TOP)
    .map((row) => ({ label: row.label, cost: Number(row.group.cost) }));
  if (top.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing here cost money: every call was free (a local model, the offline composer or a cache hit) or had no known price.
      </Text>
    );
  }
  const summary = `Cost ${title.toLowerCase()}, highest first: ${top.map((row) => `${row.label} ${formatUsd(row.cost)}`).join(", ")}.`;
  return (
    <div role="img" aria-label={summary} style={{ width: "100%", height: Math.max(120, top.length * 36 + 40) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={top} layout="vertical" accessibilityLayer={false} margin={{ top: 0, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} horizontal={false} />
          <XAxis type="number" tick={TICK} tickFormatter={(value: number) => formatUsdShort(value)} />
          <YAxis type="category" dataKey="label" tick={TICK} width={140} tickLine={false} />
          <Tooltip formatter={(value) => formatUsd(typeof value === "number" ? value : Number(value))} />
          <Bar dataKey="cost" name="Cost" fill={CHART_COLORS.cost} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function BreakdownTable({ rows, column, title, total }: { rows: readonly Row[]; column: string; title: string; total: string }) {
  const caption = `Usage ${title.toLowerCase()}, costliest first`;
  return (
    <Table.ScrollContainer minWidth={640} scrollAreaProps={scrollRegion(caption)}>
      <Table striped captionSide="top" verticalSpacing="xs">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{column}</Table.Th>
            <Table.Th scope="col" ta="right">
              Calls
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Tokens in
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Tokens out
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Cache hits
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Cost
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Share
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ group, label }) => (
            <Table.Tr key={`${group.key ?? ""}:${group.actor_type ?? ""}:${group.provider ?? ""}`}>
              <Table.Th scope="row" fw={400}>
                {label}
                {group.unpriced_calls > 0 && (
                  <Badge ml="xs" size="xs" variant="outline" color={WARNING_TEXT} tt="none">
                    {group.unpriced_calls} unpriced
                  </Badge>
                )}
              </Table.Th>
              <Table.Td ta="right">{formatCount(group.calls)}</Table.Td>
              <Table.Td ta="right">{formatCount(group.input_tokens)}</Table.Td>
              <Table.Td ta="right">{formatCount(group.output_tokens)}</Table.Td>
              <Table.Td ta="right">{formatCount(group.cache_hits)}</Table.Td>
              <Table.Td ta="right">{formatUsd(group.cost)}</Table.Td>
              <Table.Td ta="right">{`${Math.round(shareOf(group.cost, total))}%`}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
