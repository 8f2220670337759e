// Document tags as the API stores them (DocumentUpdate.tags in openapi/v1.json).

export const TAG_RULES = { maxTags: 20, maxLength: 50 } as const;

/** Trimmed, lowercase, split at spaces and commas, each once, within the limits. */
export function normaliseTags(tags: readonly string[]): string[] {
  const clean = tags.flatMap((tag) => tag.split(/[\s,]+/)).map((tag) => tag.trim().toLowerCase());
  return [...new Set(clean.filter((tag) => tag.length > 0 && tag.length <= TAG_RULES.maxLength))].slice(0, TAG_RULES.maxTags);
}
