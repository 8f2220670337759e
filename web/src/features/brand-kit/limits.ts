// The brand kit's limits, as the API validates them. Not in the generated tables (the kit is
// nested); limits.contract.test.ts keeps every number here in step with openapi/v1.json.
export const LIMITS = {
  summary: 1000,
  audience: 2000,
  tone: { maxItems: 12, maxLength: 40 },
  examples: { maxItems: 20, maxLength: 500 },
  bannedTerms: { maxItems: 200 },
  overrideBannedTerms: { maxItems: 50 },
  term: 100,
  reason: 300,
  disclaimers: { maxItems: 50 },
  disclaimerText: 1000,
  disclaimerKey: "^[a-z0-9][a-z0-9_-]{0,49}$",
  triggers: { maxItems: 30, maxLength: 100 },
  claims: { maxItems: 100 },
  claim: 500,
  source: 300,
  competitors: { maxItems: 50 },
  aliases: { maxItems: 10, maxLength: 100 },
  notes: 1000,
} as const;
