import { describe, expect, it } from "vitest";

import { changeRows } from "./changes";

describe("changeRows", () => {
  it("reads field -> [before, after], and shows anything else as the new value", () => {
    expect(changeRows({ role: ["editor", "manager"], status: [null, "planned"], tags: ["a", "b", "c"], budget: { amount: "5" } })).toEqual([
      { field: "role", before: "editor", after: "manager" },
      { field: "status", before: "—", after: "planned" },
      { field: "tags", before: "—", after: '["a","b","c"]' },
      { field: "budget", before: "—", after: '{"amount":"5"}' },
    ]);
  });
});
