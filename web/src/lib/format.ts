// Dates and money as the person's browser locale writes them.

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A calendar date from the API (`YYYY-MM-DD`); formatted in UTC so it never shifts a day. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return "—";
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : dateFormat.format(parsed);
}

/** An instant from the API (ISO 8601 with zone), in the person's time zone. */
export function formatDateTime(instant: string | null | undefined): string {
  if (!instant) return "—";
  const parsed = new Date(instant);
  return Number.isNaN(parsed.getTime()) ? instant : dateTimeFormat.format(parsed);
}

export function formatDateRange(start: string | null | undefined, end: string | null | undefined): string {
  if (!start && !end) return "No dates";
  return `${formatDate(start)} – ${formatDate(end)}`;
}

/** Money arrives as a decimal string; Intl formats it without a float round trip for display. */
export function formatMoney(money: { amount: string | number; currency: string } | null | undefined): string {
  if (!money) return "—";
  try {
    const amount = typeof money.amount === "number" ? money.amount : Number(money.amount);
    return new Intl.NumberFormat(undefined, { style: "currency", currency: money.currency }).format(amount);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}
