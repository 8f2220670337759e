import { describe, expect, it } from "vitest";

import type { ContentBody } from "../../api/types";
import { bodyTexts, fieldLabel, textAt, withTextAt } from "./body-texts";
import { applyFixes } from "./fixes";

const AD: ContentBody = {
  channel: "search_ad",
  headlines: ["Cheap trail shoes", "Grip on wet rock", "Free returns"],
  descriptions: ["🏃 Injury-proof and cheap.", "Pre-order today."],
  final_url: "https://acme-running.example/trail",
  path1: "",
  path2: "",
};

describe("body texts by path", () => {
  it("reads, labels and replaces texts at the checks' paths", () => {
    expect(textAt(AD, "headlines[1]")).toBe("Grip on wet rock");
    expect(textAt(AD, "headlines[9]")).toBeNull();
    expect(fieldLabel("search_ad", "headlines[1]")).toBe("Headline 2");
    expect(fieldLabel("landing_page", "sections[0].body_markdown")).toMatch(/^Section 1 · /);
    const changed = withTextAt(AD, "descriptions[1]", "Order now.");
    expect(textAt(changed, "descriptions[1]")).toBe("Order now.");
    expect(textAt(AD, "descriptions[1]")).toBe("Pre-order today."); // a copy, not the original
    expect(bodyTexts("search_ad", AD).map((text) => text.path)).toEqual([
      "headlines[0]",
      "headlines[1]",
      "headlines[2]",
      "descriptions[0]",
      "descriptions[1]",
      "final_url",
    ]);
  });
});

describe("applyFixes", () => {
  it("applies fixes right to left within a field, in code points", () => {
    const outcome = applyFixes(AD, [
      { field: "descriptions[0]", start: 2, end: 14, replacement: "Supportive" },
      { field: "descriptions[0]", start: 19, end: 24, replacement: "great value" },
      { field: "headlines[0]", start: 0, end: 5, replacement: "Great value" },
    ]);
    expect(outcome.skipped).toEqual([]);
    expect(textAt(outcome.body, "descriptions[0]")).toBe("🏃 Supportive and great value.");
    expect(textAt(outcome.body, "headlines[0]")).toBe("Great value trail shoes");
  });

  it("skips a fix that overlaps one already taken, or no longer fits its field", () => {
    const first = { field: "headlines[0]", start: 0, end: 5, replacement: "Great value" };
    const overlapping = { field: "headlines[0]", start: 3, end: 8, replacement: "x" };
    const outside = { field: "headlines[2]", start: 5, end: 99, replacement: "x" };
    const missing = { field: "headlines[7]", start: 0, end: 1, replacement: "x" };
    const outcome = applyFixes(AD, [first, overlapping, outside, missing]);
    expect(outcome.applied).toEqual([first]);
    expect(outcome.skipped).toEqual([overlapping, outside, missing]);
  });

  it("changes nothing when no fix applies", () => {
    const outcome = applyFixes(AD, [{ field: "headlines[0]", start: 30, end: 31, replacement: "x" }]);
    expect(outcome.body).toBe(AD);
    expect(outcome.applied).toEqual([]);
  });
});
