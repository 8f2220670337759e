import { Button, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from "@mantine/core";
import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { CHART_COLORS, TICK } from "./chart-style";
import { formatCount, formatCountShort, formatDay, formatUsd, formatUsdShort } from "./format";
import { scrollRegion } from "./scroll-region";
import type { UsageGroup } from "./types";

type Metric = "cost" | "tokens";

export interface DayRow {
  day: string;
  label: string;
  cost: number;
  /** Input tokens not read from the provider's cache. */
  fresh: number;
  cached: number;
  output: number;
}

/** The day groups as chart rows (the API sends every day of the period, zeros included). */
export function dayRows(groups: readonly UsageGroup[]): DayRow[] {
  return groups.map((group) => ({
    day: group.key ?? "",
    label: formatDay(group.key ?? ""),
    cost: Number(group.cost),
    fresh: Math.max(0, group.input_tokens - group.cached_tokens),
    cached: group.cached_tokens,
    output: group.output_tokens,
  }));
}

/** What the chart shows, in one sentence, for people who cannot see it. */
export function daySummary(groups: readonly UsageGroup[], total: string): string {
  const first = groups[0]?.key;
  const last = groups.at(-1)?.key;
  const top = groups.reduce<UsageGroup | undefined>((best, group) => (!best || Number(group.cost) > Number(best.cost) ? group : best), undefined);
  const range = first && last ? `${formatDay(first)} to ${formatDay(last)}` : "this period";
  const peak = top && Number(top.cost) > 0 ? `; highest ${formatUsd(top.cost)} on ${formatDay(top.key ?? "")}` : "";
  return `Cost per day, ${range}: ${formatUsd(total)} in all${peak}.`;
}

const asNumber = (value: unknown) => (typeof value === "number" ? value : Number(value));

/** Cost or tokens per day as bars (tokens stacked: fresh input, cached input, output), and the numbers as a table. */
export function DailyUsage({ groups, total }: { groups: readonly UsageGroup[]; total: string }) {
  const [metric, setMetric] = useState<Metric>("cost");
  const [showTable, setShowTable] = useState(false);
  const headingId = useId();
  const tableId = useId();
  const rows = dayRows(groups);
  const label =
    metric === "cost"
      ? daySummary(groups, total)
      : `Tokens per day: input not cached, input read from the provider's cache, and output, stacked. ${rows.length} days.`;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId} mb="lg">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Title order={2} size="h4" id={headingId}>
            Per day
          </Title>
          <SegmentedControl
            aria-label="Show per day"
            size="xs"
            value={metric}
            onChange={(value) => setMetric(value === "tokens" ? "tokens" : "cost")}
            data={[
              { value: "cost", label: "Cost" },
              { value: "tokens", label: "Tokens" },
            ]}
          />
        </Group>
        <div role="img" aria-label={label} style={{ width: "100%", height: 280 }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
              <XAxis dataKey="label" tick={TICK} tickLine={false} minTickGap={12} />
              {metric === "cost" ? (
                <>
                  <YAxis tick={TICK} tickFormatter={(value: number) => formatUsdShort(value)} width={80} />
                  <Tooltip formatter={(value) => formatUsd(asNumber(value))} />
                  <Bar dataKey="cost" name="Cost" fill={CHART_COLORS.cost} isAnimationActive={false} />
                </>
              ) : (
                <>
                  <YAxis tick={TICK} tickFormatter={(value: number) => formatCountShort(value)} width={64} />
                  <Tooltip formatter={(value) => formatCount(asNumber(value))} />
                  {/* Labels in text colour: the series colours are too light for small text. */}
                  <Legend formatter={(value: string) => <span style={{ color: CHART_COLORS.axis }}>{value}</span>} />
                  <Bar dataKey="fresh" name="Input" stackId="tokens" fill={CHART_COLORS.input} isAnimationActive={false} />
                  <Bar dataKey="cached" name="Cached input" stackId="tokens" fill={CHART_COLORS.cached} isAnimationActive={false} />
                  <Bar dataKey="output" name="Output" stackId="tokens" fill={CHART_COLORS.output} isAnimationActive={false} />
                </>
              )}
            </BarChart>
          </ResponsiveContainer>
        </div>
        <div>
          <Button variant="subtle" size="xs" aria-expanded={showTable} aria-controls={tableId} onClick={() => setShowTable((shown) => !shown)}>
            {showTable ? "Hide the numbers" : "Show the numbers"}
          </Button>
        </div>
        <div id={tableId} hidden={!showTable}>
          {showTable && <DayTable groups={groups} />}
        </div>
        <Text size="xs" c="dimmed">
          Days are UTC.
        </Text>
      </Stack>
    </Paper>
  );
}

function DayTable({ groups }: { groups: readonly UsageGroup[] }) {
  return (
    <Table.ScrollContainer minWidth={640} scrollAreaProps={scrollRegion("Usage per day")}>
      <Table striped captionSide="top" verticalSpacing="xs">
        <Table.Caption>Usage per day</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Day</Table.Th>
            <Table.Th scope="col" ta="right">
              Calls
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Input tokens
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Cached input
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Output tokens
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Cost
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((group) => (
            <Table.Tr key={group.key}>
              <Table.Th scope="row" fw={400}>
                {formatDay(group.key ?? "")}
              </Table.Th>
              <Table.Td ta="right">{formatCount(group.calls)}</Table.Td>
              <Table.Td ta="right">{formatCount(group.input_tokens)}</Table.Td>
              <Table.Td ta="right">{formatCount(group.cached_tokens)}</Table.Td>
              <Table.Td ta="right">{formatCount(group.output_tokens)}</Table.Td>
              <Table.Td ta="right">{formatUsd(group.cost)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
