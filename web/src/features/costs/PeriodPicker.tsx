import { Button, Group, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";

import { formatDateRange } from "../../lib/format";
import { PERIOD_LABELS, type Period, type RangeErrors, customRangeErrors } from "./period";
import { PERIOD_KINDS, type CostsSearch, type PeriodKind } from "./search";

export interface PeriodPickerProps {
  period: Period;
  /** Called with the URL's new search when the person picks a preset or applies a custom range. */
  onChange: (search: CostsSearch) => void;
}

/** This month, the last 30 or 90 days, or any range of whole UTC days (at most 366). */
export function PeriodPicker({ period, onChange }: PeriodPickerProps) {
  // "Custom" opens the range fields; the report changes only once a range is applied.
  const [kind, setKind] = useState<PeriodKind>(period.kind);
  const pick = (value: string) => {
    const next = value as PeriodKind;
    setKind(next);
    if (next === "month") onChange({});
    else if (next !== "custom") onChange({ period: next });
  };

  return (
    <Stack gap="xs" mb="lg">
      <Group gap="md" align="center" wrap="wrap">
        <SegmentedControl
          aria-label="Period"
          value={kind}
          onChange={pick}
          data={PERIOD_KINDS.map((value) => ({ value, label: PERIOD_LABELS[value] }))}
        />
        <Text size="sm" c="dimmed">
          {formatDateRange(period.from, period.to)} (UTC)
        </Text>
      </Group>
      {kind === "custom" && <CustomRange period={period} onApply={(from, to) => onChange({ period: "custom", from, to })} />}
    </Stack>
  );
}

function CustomRange({ period, onApply }: { period: Period; onApply: (from: string, to: string) => void }) {
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [errors, setErrors] = useState<RangeErrors | null>(null);
  const apply = (event: React.FormEvent) => {
    event.preventDefault();
    const found = customRangeErrors(from, to);
    setErrors(found);
    if (!found) onApply(from, to);
  };
  return (
    <form aria-label="Custom period" noValidate onSubmit={apply}>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput type="date" label="First day" value={from} onChange={(event) => setFrom(event.currentTarget.value)} error={errors?.from} />
        <TextInput type="date" label="Last day" value={to} onChange={(event) => setTo(event.currentTarget.value)} error={errors?.to} />
        <Button type="submit" mt={25}>
          Show period
        </Button>
      </Group>
    </form>
  );
}
