// The content screens' URLs. zod/mini keeps this light (the router table imports it); a
// malformed value is dropped rather than failing the page.
import * as z from "zod/mini";

import { channelValues } from "../../api/schema.gen";

const optional = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);
const cursor = optional(z.string().check(z.maxLength(200)));
// The router parses `?from=2` as the number 2.
const versionNumber = optional(z.int().check(z.minimum(1), z.maximum(2_147_483_647)));

/** `…/contents?channel=&cursor=` */
export const contentListSearchSchema = z.object({
  channel: optional(z.enum(channelValues)),
  cursor,
});

export type ContentListSearch = z.output<typeof contentListSearchSchema>;

/** `…/versions?from=&to=&cursor=`: the two versions compared, and the page of the list. */
export const versionHistorySearchSchema = z.object({
  from: versionNumber,
  to: versionNumber,
  cursor,
});

export type VersionHistorySearch = z.output<typeof versionHistorySearchSchema>;
