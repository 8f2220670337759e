import { describe, expect, it } from "vitest";

import { markPieces, spansOf, worstSeverity } from "./finding-marks";
import type { Finding } from "./types";

const finding = (overrides: Partial<Finding>): Finding => ({
  id: "f",
  kind: "banned_term",
  severity: "major",
  message: "",
  field: "text",
  start: 0,
  end: 1,
  rule: { section: "rules.banned_terms" },
  ...overrides,
});

describe("markPieces", () => {
  it("marks a span given in code points after an emoji", () => {
    const text = "🏃 Our injury-proof shoe";
    // Python: "🏃 Our injury-proof shoe".index("injury-proof") == 6
    expect(markPieces(text, [{ start: 6, end: 18, ref: 1 }])).toEqual([
      { text: "🏃 Our ", refs: [] },
      { text: "injury-proof", refs: [1] },
      { text: " shoe", refs: [] },
    ]);
  });

  it("splits overlapping spans where each starts and ends", () => {
    expect(markPieces("abcdef", [{ start: 1, end: 4, ref: 1 }, { start: 3, end: 5, ref: 2 }])).toEqual([
      { text: "a", refs: [] },
      { text: "bc", refs: [1] },
      { text: "d", refs: [1, 2] },
      { text: "e", refs: [2] },
      { text: "f", refs: [] },
    ]);
  });

  it("keeps accented text whole and drops empty or out-of-range spans", () => {
    expect(markPieces("Crème brûlée", [{ start: 6, end: 12, ref: 1 }, { start: 3, end: 3, ref: 2 }, { start: 40, end: 50, ref: 3 }])).toEqual([
      { text: "Crème ", refs: [] },
      { text: "brûlée", refs: [1] },
    ]);
    expect(markPieces("", [])).toEqual([{ text: "", refs: [] }]);
  });
});

describe("spansOf and worstSeverity", () => {
  it("numbers the findings of one field by their place in the list", () => {
    const findings = [
      finding({ field: "headlines[0]", start: 0, end: 3 }),
      finding({ field: "text", start: 2, end: 5 }),
      finding({ field: null, start: null, end: null, kind: "missing_disclaimer" }),
      finding({ field: "text", start: 7, end: 9 }),
    ];
    expect(spansOf(findings, "text")).toEqual([
      { start: 2, end: 5, ref: 2 },
      { start: 7, end: 9, ref: 4 },
    ]);
  });

  it("picks the most severe", () => {
    expect(worstSeverity([{ severity: "minor" }, { severity: "blocker" }, { severity: "major" }])).toBe("blocker");
    expect(worstSeverity([])).toBeNull();
  });
});
