// @vitest-environment node
/// <reference types="node" />
// The brand kit form's limits are copied by hand (the kit is nested, the generated tables are
// flat); this fails when openapi/v1.json says otherwise.
import { describe, expect, it } from "vitest";

import { readSpec } from "../../../scripts/api-codegen.mjs";
import { LIMITS } from "./limits";

interface Schema {
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  items?: Schema;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
}

async function schemas(): Promise<Record<string, Schema>> {
  const spec = (await readSpec()) as { components: { schemas: Record<string, Schema> } };
  return spec.components.schemas;
}

/** The non-null variant of an optional field. */
const concrete = (schema: Schema | undefined): Schema =>
  schema?.anyOf?.find((variant) => (variant as { type?: string }).type !== "null") ?? schema ?? {};

describe("the brand kit form's limits", () => {
  it("match the brand kit schemas in openapi/v1.json", async () => {
    const all = await schemas();
    const field = (schema: string, name: string) => concrete(all[schema]?.properties?.[name]);

    expect(field("BrandVoice", "summary").maxLength).toBe(LIMITS.summary);
    expect(field("BrandVoice", "audience").maxLength).toBe(LIMITS.audience);
    expect(field("BrandVoice", "tone")).toMatchObject({ maxItems: LIMITS.tone.maxItems, items: { maxLength: LIMITS.tone.maxLength } });
    for (const examples of ["do_examples", "dont_examples"]) {
      expect(field("BrandVoice", examples)).toMatchObject({
        maxItems: LIMITS.examples.maxItems,
        items: { maxLength: LIMITS.examples.maxLength },
      });
    }
    expect(field("BrandRules", "banned_terms").maxItems).toBe(LIMITS.bannedTerms.maxItems);
    expect(field("BrandRules", "disclaimers").maxItems).toBe(LIMITS.disclaimers.maxItems);
    expect(field("BrandRules", "approved_claims").maxItems).toBe(LIMITS.claims.maxItems);
    expect(field("BrandRules", "competitors").maxItems).toBe(LIMITS.competitors.maxItems);
    expect(field("BannedTerm", "term").maxLength).toBe(LIMITS.term);
    expect(field("BannedTerm", "replacement").maxLength).toBe(LIMITS.term);
    expect(field("BannedTerm", "reason").maxLength).toBe(LIMITS.reason);
    expect(field("RequiredDisclaimer", "key").pattern).toBe(LIMITS.disclaimerKey);
    expect(field("RequiredDisclaimer", "text").maxLength).toBe(LIMITS.disclaimerText);
    expect(field("RequiredDisclaimer", "triggers")).toMatchObject({
      maxItems: LIMITS.triggers.maxItems,
      items: { maxLength: LIMITS.triggers.maxLength },
    });
    expect(field("ApprovedClaim", "claim").maxLength).toBe(LIMITS.claim);
    expect(field("ApprovedClaim", "source").maxLength).toBe(LIMITS.source);
    expect(field("Competitor", "name").maxLength).toBe(LIMITS.term);
    expect(field("Competitor", "aliases")).toMatchObject({ maxItems: LIMITS.aliases.maxItems, items: { maxLength: LIMITS.aliases.maxLength } });
    expect(field("ChannelOverride", "tone")).toMatchObject({ maxItems: LIMITS.tone.maxItems, items: { maxLength: LIMITS.tone.maxLength } });
    expect(field("ChannelOverride", "extra_banned_terms").maxItems).toBe(LIMITS.overrideBannedTerms.maxItems);
    expect(field("ChannelOverride", "notes").maxLength).toBe(LIMITS.notes);
  });
});
