// @vitest-environment node
/// <reference types="node" />
// The committed client must match openapi/v1.json: regenerate in memory and compare.
import { readFile } from "node:fs/promises";

import { describe, expect, it } from "vitest";

import { WEB_ROOT, readSpec, renderApiFiles } from "../../scripts/api-codegen.mjs";
import { CAMPAIGN_FIELDS } from "./campaign-fields.gen";
import { CHANNEL_BODIES } from "./channels.gen";
import { channelValues } from "./schema.gen";

describe("generated API files", () => {
  it("match openapi/v1.json", async () => {
    const expected = await renderApiFiles(await readSpec());
    const stale: string[] = [];
    for (const [path, contents] of Object.entries(expected)) {
      const committed = await readFile(new URL(path, WEB_ROOT), "utf8").catch(() => null);
      if (committed !== contents) stale.push(`web/${path}`);
    }
    expect(stale, `stale generated files: run \`npm run gen:api\` (${stale.join(", ")})`).toEqual([]);
  });

  it("describe every channel's body with the contract's limits", () => {
    expect(Object.keys(CHANNEL_BODIES).sort()).toEqual([...channelValues].sort());
    const xText = CHANNEL_BODIES.x.fields.find((field) => field.name === "text");
    expect(xText).toMatchObject({ kind: "text", required: true, rules: { minLength: 1, maxLength: 280 } });
    const headlines = CHANNEL_BODIES.search_ad.fields.find((field) => field.name === "headlines");
    expect(headlines).toMatchObject({ kind: "list", minItems: 3, maxItems: 15, item: { maxLength: 30 } });
    const sections = CHANNEL_BODIES.landing_page.fields.find((field) => field.name === "sections");
    expect(sections).toMatchObject({ kind: "group-list", minItems: 1, maxItems: 30 });
    expect(CAMPAIGN_FIELDS.name.rules.maxLength).toBe(200);
  });
});
