import { Text, VisuallyHidden } from "@mantine/core";

import { limitUsage } from "../api/field-specs";

export interface LimitCounterProps {
  used: number;
  max?: number;
  min?: number;
  /** What is counted: "characters" for text, "items" or e.g. "hashtags" for lists. */
  unit?: string;
}

/**
 * "12 / 280" under a field, red once over the limit. Screen readers get the sentence
 * (through the field's description) instead of the fraction.
 */
export function LimitCounter({ used, max, min, unit = "characters" }: LimitCounterProps) {
  const usage = limitUsage(used, { max, min });
  const sentence = usage.over
    ? `${used - (max ?? 0)} ${unit} over the limit of ${max}`
    : max !== undefined
      ? `${used} of at most ${max} ${unit}`
      : `${used} ${unit}`;
  return (
    <Text component="span" size="xs" c={usage.over ? "red.8" : "dimmed"} fw={usage.over ? 700 : undefined}>
      <span aria-hidden="true">{max !== undefined ? `${used} / ${max}` : used}</span>
      <VisuallyHidden>{sentence}</VisuallyHidden>
    </Text>
  );
}
