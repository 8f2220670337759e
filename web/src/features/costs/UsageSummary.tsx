import { Alert, Box, Paper, Text } from "@mantine/core";

import { formatCount, formatUsd } from "./format";
import { WARNING_TEXT } from "./tones";
import type { UsageTotals } from "./types";

interface Stat {
  label: string;
  value: string;
  hint?: string;
}

function stats(totals: UsageTotals): Stat[] {
  return [
    { label: "Cost", value: formatUsd(totals.cost), hint: "USD, priced calls" },
    { label: "Calls", value: formatCount(totals.calls), hint: "Model and embedding calls" },
    { label: "Tokens in", value: formatCount(totals.input_tokens), hint: "Cached input included" },
    { label: "Tokens out", value: formatCount(totals.output_tokens) },
    { label: "Cached input tokens", value: formatCount(totals.cached_tokens), hint: "Read from the provider's cache, cheaper" },
    { label: "Cache hits", value: formatCount(totals.cache_hits), hint: "Answered free by Brandflow's response cache" },
  ];
}

// As many columns as fit, each at least 10rem wide.
const GRID = { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(10rem, 1fr))", gap: "var(--mantine-spacing-sm)" } as const;

/** The period's totals as a list of figures. */
export function UsageSummary({ totals }: { totals: UsageTotals }) {
  return (
    <>
      <Box component="dl" mt={0} mb="lg" style={GRID}>
        {stats(totals).map((stat) => (
          <Paper key={stat.label} withBorder p="sm" radius="md">
            <Text component="dt" size="sm" c="dimmed">
              {stat.label}
            </Text>
            <Text component="dd" m={0} fw={700} size="xl">
              {stat.value}
            </Text>
            {stat.hint && (
              <Text component="dd" m={0} size="xs" c="dimmed">
                {stat.hint}
              </Text>
            )}
          </Paper>
        ))}
      </Box>
      {totals.unpriced_calls > 0 && (
        <Alert
          color="orange"
          variant="light"
          role="note"
          mb="lg"
          title="Some calls have no price"
          vars={() => ({ root: { "--alert-color": WARNING_TEXT } })}
        >
          {formatCount(totals.unpriced_calls)} {totals.unpriced_calls === 1 ? "call" : "calls"} used a model with no known price; the
          cost above leaves them out. An administrator can add the model's price to Brandflow's price table.
        </Alert>
      )}
    </>
  );
}
