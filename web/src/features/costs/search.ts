// The cost dashboard's URL: `/costs?period=&from=&to=`. zod/mini keeps this light (the router
// table imports it); a malformed value is dropped rather than failing the page.
import * as z from "zod/mini";

export const PERIOD_KINDS = ["month", "30d", "90d", "custom"] as const;

const optional = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

export const costsSearchSchema = z.object({
  period: optional(z.enum(PERIOD_KINDS)),
  /** Custom period only: first and last day (UTC), both included. */
  from: optional(z.iso.date()),
  to: optional(z.iso.date()),
});

export type CostsSearch = z.output<typeof costsSearchSchema>;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
