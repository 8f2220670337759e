// @vitest-environment node
/// <reference types="node" />
// The document form's limits are not in the generated tables; this keeps them in step with the contract.
import { describe, expect, it } from "vitest";

import { readSpec } from "../../../scripts/api-codegen.mjs";
import { TITLE_MAX_LENGTH } from "./document-form";
import { TAG_RULES } from "./tags";

type Schema = { maxLength?: number; maxItems?: number; items?: Schema; anyOf?: Schema[]; properties?: Record<string, Schema> };

describe("the knowledge forms' limits", () => {
  it("match DocumentUpdate in openapi/v1.json", async () => {
    const spec = (await readSpec()) as { components: { schemas: Record<string, Schema> } };
    const update = spec.components.schemas.DocumentUpdate?.properties ?? {};
    const concrete = (schema: Schema | undefined) => schema?.anyOf?.find((variant) => "maxLength" in variant || "items" in variant) ?? schema;
    expect(concrete(update.title)?.maxLength).toBe(TITLE_MAX_LENGTH);
    const tags = concrete(update.tags);
    expect(tags?.maxItems).toBe(TAG_RULES.maxTags);
    expect(tags?.items?.maxLength).toBe(TAG_RULES.maxLength);
  });
});
