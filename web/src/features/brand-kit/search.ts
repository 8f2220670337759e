// The brand kit history's URL: `?version=&cursor=`. zod/mini keeps this light (the router table
// imports it); a malformed value is dropped rather than failing the page.
import * as z from "zod/mini";

const optional = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

export const brandKitVersionsSearchSchema = z.object({
  // The router parses `?version=2` as the number 2.
  version: optional(z.int().check(z.minimum(1), z.maximum(2_147_483_647))),
  cursor: optional(z.string().check(z.maxLength(200))),
});

export type BrandKitVersionsSearch = z.output<typeof brandKitVersionsSearchSchema>;
