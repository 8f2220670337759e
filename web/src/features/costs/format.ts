// How costs and counts read. The API sends USD as exact decimal strings; model calls often cost
// fractions of a cent, so small amounts keep three significant digits instead of rounding to $0.00.

/** The ledger stores costs to 12 decimals (a picodollar); nothing finer exists. */
const MAX_FRACTION_DIGITS = 12;

const usdFormats = new Map<number, Intl.NumberFormat>();
function usdFormat(maxFractionDigits: number): Intl.NumberFormat {
  let format = usdFormats.get(maxFractionDigits);
  if (!format) {
    format = new Intl.NumberFormat(undefined, {
      style: "currency",
      currency: "USD",
      minimumFractionDigits: 2,
      maximumFractionDigits: maxFractionDigits,
    });
    usdFormats.set(maxFractionDigits, format);
  }
  return format;
}

/** Cents from a dollar up; below a dollar, three significant digits (at least the cents). */
export function fractionDigitsFor(value: number): number {
  const size = Math.abs(value);
  if (size === 0 || size >= 1) return 2;
  return Math.min(MAX_FRACTION_DIGITS, Math.max(2, 2 - Math.floor(Math.log10(size))));
}

const toNumber = (amount: string | number) => (typeof amount === "number" ? amount : Number(amount));

/** A USD amount from the API: `"0.00000015"` → `$0.00000015`, `"12.345678"` → `$12.35`. */
export function formatUsd(amount: string | number | null | undefined): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  const value = toNumber(amount);
  if (!Number.isFinite(value)) return `${String(amount)} USD`;
  return usdFormat(fractionDigitsFor(value)).format(value);
}

const compactUsd = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  notation: "compact",
  maximumSignificantDigits: 3,
});

/** Short amounts for chart axes: `$1.2K`, `$0.0042`. */
export function formatUsdShort(value: number): string {
  return Math.abs(value) >= 1000 ? compactUsd.format(value) : formatUsd(value);
}

const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compactCount = new Intl.NumberFormat(undefined, { notation: "compact", maximumSignificantDigits: 3 });

export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** Short counts for chart axes: `12K`, `3.4M`. */
export function formatCountShort(value: number): string {
  return compactCount.format(value);
}

const percentFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** A percentage from the API (`"85.25"`), e.g. `85.3%`. */
export function formatPercent(percent: string | number | null | undefined): string {
  if (percent === null || percent === undefined || percent === "") return "—";
  const value = toNumber(percent);
  return Number.isFinite(value) ? `${percentFormat.format(value)}%` : "—";
}

/** `value` as a share of `total`, in percent (0 when the total is 0). */
export function shareOf(value: string | number, total: string | number): number {
  const whole = toNumber(total);
  return whole > 0 ? (toNumber(value) / whole) * 100 : 0;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" });

/** A ledger day (`2026-11-03`), short: `Nov 3`. */
export function formatDay(day: string): string {
  const parsed = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? day : dayFormat.format(parsed);
}

/** A budget period (`2026-11`): `November 2026`. */
export function formatMonth(period: string): string {
  const parsed = new Date(`${period}-01T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? period : monthFormat.format(parsed);
}
