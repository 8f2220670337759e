// Between the audit log's URL (AuditSearch), its filter form and the API's query parameters.
import * as z from "zod";

import type { paths } from "../../api/schema.gen";
import { AUDIT_FILTER_LIMITS, type AuditSearch } from "./search";

export type AuditQuery = NonNullable<paths["/api/v1/workspaces/{workspace_id}/audit-events"]["get"]["parameters"]["query"]>;

export const AUDIT_PAGE_SIZE = 50;

/** Local midnight at the start of a YYYY-MM-DD day, `days` later, as an ISO instant. */
function startOfDay(day: string, days = 0): string {
  const [year = 0, month = 1, date = 1] = day.split("-").map(Number);
  return new Date(year, month - 1, date + days).toISOString();
}

/**
 * The API's query for the URL's filters. "From" and "To" are whole days in the person's time
 * zone, both included: `occurred_before` is exclusive, so it is the start of the day after "To".
 */
export function toAuditQuery(search: AuditSearch): AuditQuery {
  return {
    action: search.action,
    object_type: search.object_type,
    actor_id: search.actor,
    occurred_after: search.from ? startOfDay(search.from) : undefined,
    occurred_before: search.to ? startOfDay(search.to, 1) : undefined,
    cursor: search.cursor,
    limit: AUDIT_PAGE_SIZE,
  };
}

const upTo = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);
const day = z.union([z.literal(""), z.iso.date("Enter a date as YYYY-MM-DD.")]);

export const auditFilterFormSchema = z
  .object({
    action: upTo(AUDIT_FILTER_LIMITS.action),
    object_type: upTo(AUDIT_FILTER_LIMITS.object_type),
    actor: upTo(AUDIT_FILTER_LIMITS.actor),
    from: day,
    to: day,
  })
  .refine((values) => !values.from || !values.to || values.from <= values.to, {
    path: ["to"],
    message: "“To” is before “From”.",
  });

export type AuditFilterValues = z.infer<typeof auditFilterFormSchema>;

export function toFilterValues(search: AuditSearch): AuditFilterValues {
  return {
    action: search.action ?? "",
    object_type: search.object_type ?? "",
    actor: search.actor ?? "",
    from: search.from ?? "",
    to: search.to ?? "",
  };
}

/** The URL for the form's values: empty fields are left out, and the list starts at its first page. */
export function toAuditSearch(values: AuditFilterValues): AuditSearch {
  return {
    action: values.action || undefined,
    object_type: values.object_type || undefined,
    actor: values.actor || undefined,
    from: values.from || undefined,
    to: values.to || undefined,
    cursor: undefined,
  };
}

export function hasFilters(search: AuditSearch): boolean {
  return Boolean(search.action || search.object_type || search.actor || search.from || search.to);
}
