// @vitest-environment node
/// <reference types="node" />
// The title limit is not in the generated tables; this keeps the form's copy in step with the contract.
import { describe, expect, it } from "vitest";

import { readSpec } from "../../../scripts/api-codegen.mjs";
import { TITLE_MAX_LENGTH } from "./content-form";

describe("the content form's limits", () => {
  it("match ContentCreate.title in openapi/v1.json", async () => {
    const spec = (await readSpec()) as { components: { schemas: Record<string, { properties: Record<string, { maxLength?: number }> }> } };
    expect(spec.components.schemas.ContentCreate?.properties.title?.maxLength).toBe(TITLE_MAX_LENGTH);
  });
});
