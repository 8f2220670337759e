// Chart colours: Mantine's darker shades, each at least 3:1 against white (WCAG non-text contrast).
export const CHART_COLORS = {
  cost: "#1971c2", // blue.8
  input: "#1971c2", // blue.8
  cached: "#099268", // teal.8
  output: "#e8590c", // orange.8
  grid: "#dee2e6", // gray.3
  axis: "#495057", // gray.7
} as const;

/** Axis ticks in the app's small text size. */
export const TICK = { fontSize: 12, fill: CHART_COLORS.axis } as const;
