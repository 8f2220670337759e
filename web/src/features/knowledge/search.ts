// The knowledge screens' URLs. zod/mini keeps this light (the router table imports it); a
// malformed value is dropped rather than failing the page.
import * as z from "zod/mini";

import { documentStatusValues, documentTypeValues, searchModeValues } from "../../api/schema.gen";

const optional = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);
const tag = z.string().check(z.minLength(1), z.maxLength(50));
/** `?tag=a&tag=b` arrives as an array, a single `?tag=a` as a string: both become a list. */
const tagList = optional(
  z.pipe(
    z.union([tag, z.array(tag).check(z.maxLength(20))]),
    z.transform((value) => (Array.isArray(value) ? value : [value])),
  ),
);

/** `/knowledge?status=&type=&tag=&q=&cursor=` */
export const librarySearchSchema = z.object({
  status: optional(z.enum(documentStatusValues)),
  type: optional(z.enum(documentTypeValues)),
  tag: tagList,
  q: optional(z.string().check(z.maxLength(200))),
  cursor: optional(z.string().check(z.maxLength(200))),
});

export type LibrarySearch = z.output<typeof librarySearchSchema>;

/** `/knowledge/search?q=&mode=&tag=&type=` */
export const knowledgeSearchSchema = z.object({
  q: optional(z.string().check(z.maxLength(1000))),
  mode: optional(z.enum(searchModeValues)),
  tag: tagList,
  type: optional(
    z.pipe(
      z.union([z.enum(documentTypeValues), z.array(z.enum(documentTypeValues)).check(z.maxLength(5))]),
      z.transform((value) => (Array.isArray(value) ? value : [value])),
    ),
  ),
});

export type KnowledgeSearch = z.output<typeof knowledgeSearchSchema>;

/** `/knowledge/$documentId?chunk=` (the chunk a citation points to, by ordinal). */
export const documentSearchSchema = z.object({
  chunk: optional(z.int().check(z.minimum(0), z.maximum(1_000_000))),
});

export type DocumentSearch = z.output<typeof documentSearchSchema>;
