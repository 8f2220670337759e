// The audit log's URL: `?action=&object_type=&actor=&from=&to=&cursor=`. `from` and `to` are
// calendar days (YYYY-MM-DD) in the person's time zone. zod/mini keeps this out of the entry
// chunk's weight; a malformed value is dropped rather than failing the page.
import * as z from "zod/mini";

const optional = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

/** Limits of audit_events_list's query parameters in openapi/v1.json. */
export const AUDIT_FILTER_LIMITS = { action: 120, object_type: 60, actor: 64 } as const;

export const auditSearchSchema = z.object({
  action: optional(z.string().check(z.minLength(1), z.maxLength(AUDIT_FILTER_LIMITS.action))),
  object_type: optional(z.string().check(z.minLength(1), z.maxLength(AUDIT_FILTER_LIMITS.object_type))),
  actor: optional(z.string().check(z.minLength(1), z.maxLength(AUDIT_FILTER_LIMITS.actor))),
  from: optional(z.iso.date()),
  to: optional(z.iso.date()),
  cursor: optional(z.string().check(z.maxLength(200))),
});

export type AuditSearch = z.output<typeof auditSearchSchema>;
