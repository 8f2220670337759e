// Report periods as whole UTC days (the ledger's days are UTC): presets and custom ranges.
import type { CostsSearch, PeriodKind } from "./search";

/** The API's longest report (finops MAX_REPORT_DAYS). */
export const MAX_REPORT_DAYS = 366;

export interface Period {
  kind: PeriodKind;
  /** First day, YYYY-MM-DD (UTC), included. */
  from: string;
  /** Last day, YYYY-MM-DD (UTC), included. */
  to: string;
}

export const PERIOD_LABELS: Record<PeriodKind, string> = {
  month: "This month",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  custom: "Custom",
};

const DAY_MS = 86_400_000;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (number: number) => new Date(number * DAY_MS).toISOString().slice(0, 10);

/** Today in UTC, YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(dayNumber(day) + days);
}

/** How many days `from`..`to` covers, both included. */
export function daysIn(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

const firstOfMonth = (day: string) => `${day.slice(0, 8)}01`;

/** The period the URL asks for; "this month" (the 1st to today) unless it says otherwise. */
export function resolvePeriod(search: CostsSearch, today: string = todayUtc()): Period {
  const kind = search.period ?? "month";
  switch (kind) {
    case "30d":
      return { kind, from: addDays(today, -29), to: today };
    case "90d":
      return { kind, from: addDays(today, -89), to: today };
    case "custom":
      // A custom period with a day missing fills it in as "this month" would.
      return { kind, from: search.from ?? firstOfMonth(today), to: search.to ?? today };
    default:
      return { kind: "month", from: firstOfMonth(today), to: today };
  }
}

export interface RangeErrors {
  from?: string;
  to?: string;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day: `2026-02-30` does not survive the round trip. */
const isDay = (value: string) => ISO_DAY.test(value) && !Number.isNaN(dayNumber(value)) && dayOf(dayNumber(value)) === value;

/** What is wrong with a custom range as typed, per field; null when the API will take it. */
export function customRangeErrors(from: string, to: string): RangeErrors | null {
  const errors: RangeErrors = {};
  if (!isDay(from)) errors.from = "Enter the first day.";
  if (!isDay(to)) errors.to = "Enter the last day.";
  if (!errors.from && !errors.to) {
    if (to < from) errors.to = "The last day is before the first.";
    else if (daysIn(from, to) > MAX_REPORT_DAYS) errors.to = `A report covers at most ${MAX_REPORT_DAYS} days.`;
  }
  return errors.from || errors.to ? errors : null;
}

/** The month a budget period label (`2026-11`) ends: the first day of the next month (UTC). */
export function nextMonthStart(period: string): Date | null {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]), 1));
}
