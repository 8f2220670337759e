import { describe, expect, it } from "vitest";

import { citationLocation, citationLocationLabel, highlightSegments } from "./highlights";

describe("highlightSegments", () => {
  it("marks the ranges and keeps the text between them", () => {
    expect(highlightSegments("Grip that holds on wet rock", [{ start: 0, end: 4 }, { start: 19, end: 22 }])).toEqual([
      { text: "Grip", marked: true },
      { text: " that holds on ", marked: false },
      { text: "wet", marked: true },
      { text: " rock", marked: false },
    ]);
  });

  it("counts code points, as the API does, so an emoji before a match does not shift it", () => {
    // "🏃" is one code point but two UTF-16 units.
    expect(highlightSegments("🏃 trail run", [{ start: 2, end: 7 }])).toEqual([
      { text: "🏃 ", marked: false },
      { text: "trail", marked: true },
      { text: " run", marked: false },
    ]);
  });

  it("merges overlapping ranges, sorts them and clips ranges past the end", () => {
    expect(highlightSegments("abcdef", [{ start: 4, end: 99 }, { start: 1, end: 3 }, { start: 2, end: 4 }])).toEqual([
      { text: "a", marked: false },
      { text: "bcdef", marked: true },
    ]);
  });

  it("ignores empty and inverted ranges", () => {
    expect(highlightSegments("abc", [{ start: 2, end: 2 }, { start: 3, end: 1 }])).toEqual([{ text: "abc", marked: false }]);
    expect(highlightSegments("", [])).toEqual([{ text: "", marked: false }]);
  });

  it("keeps markup as text", () => {
    const segments = highlightSegments("<img src=x onerror=alert(1)> bold", [{ start: 29, end: 33 }]);
    expect(segments.map((segment) => segment.text).join("")).toBe("<img src=x onerror=alert(1)> bold");
  });
});

describe("citationLocation", () => {
  it("names the page of a PDF chunk", () => {
    expect(citationLocation({ page: 3, start_offset: 120, end_offset: 480 })).toBe("p. 3");
    expect(citationLocationLabel({ page: 3, start_offset: 120, end_offset: 480 })).toBe("page 3");
  });

  it("names the characters of other chunks", () => {
    expect(citationLocation({ page: null, start_offset: 120, end_offset: 480 })).toBe("chars 120–480");
    expect(citationLocationLabel({ page: null, start_offset: 120, end_offset: 480 })).toBe("characters 120 to 480");
  });
});
