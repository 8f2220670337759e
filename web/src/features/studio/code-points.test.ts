import { describe, expect, it } from "vitest";

import { sliceCodePoints, spliceCodePoints, toCodePointOffset, toUtf16Index } from "./code-points";

// What Python's `len`/slicing say (the API's units): "🏃" is one code point, two UTF-16 units.
const RUNNER = "🏃";

describe("code point offsets", () => {
  it("equal UTF-16 indexes in text without astral characters, accents included", () => {
    const text = "Café crème, naïve";
    for (let offset = 0; offset <= text.length; offset += 1) {
      expect(toUtf16Index(text, offset)).toBe(offset);
      expect(toCodePointOffset(text, offset)).toBe(offset);
    }
  });

  it("count an emoji once, and shift everything after it", () => {
    const text = `${RUNNER} Run injury-proof`;
    // Python: text.index("injury") == 6; in UTF-16 it is 7.
    expect(toUtf16Index(text, 6)).toBe(7);
    expect(text.slice(toUtf16Index(text, 6), toUtf16Index(text, 18))).toBe("injury-proof");
    expect(toCodePointOffset(text, 7)).toBe(6);
    expect(sliceCodePoints(text, 0, 1)).toBe(RUNNER);
  });

  it("handle several astral characters, flags (two code points each) and combining accents", () => {
    const text = `🇩🇪${RUNNER}e\u0301x`; // flag = 2 code points, runner = 1, e + combining acute = 2, x
    expect(Array.from(text)).toHaveLength(6);
    expect(sliceCodePoints(text, 0, 2)).toBe("🇩🇪");
    expect(sliceCodePoints(text, 2, 3)).toBe(RUNNER);
    expect(sliceCodePoints(text, 3, 5)).toBe("e\u0301");
    expect(sliceCodePoints(text, 5, 6)).toBe("x");
    expect(toCodePointOffset(text, text.length)).toBe(6);
  });

  it("clip offsets outside the text and never split a surrogate pair", () => {
    const text = `a${RUNNER}b`;
    expect(toUtf16Index(text, -3)).toBe(0);
    expect(toUtf16Index(text, 99)).toBe(text.length);
    expect(toUtf16Index(text, Number.NaN)).toBe(0);
    // UTF-16 index 2 is inside the runner: it counts as that character.
    expect(toCodePointOffset(text, 2)).toBe(2);
    expect(sliceCodePoints(text, 5, 9)).toBe("");
    expect(sliceCodePoints(text, 2, 1)).toBe("");
  });

  it("splice as the API applies a fix: text[:start] + replacement + text[end:]", () => {
    const text = `${RUNNER}${RUNNER} cheap shoes`;
    expect(spliceCodePoints(text, 3, 8, "great value")).toBe(`${RUNNER}${RUNNER} great value shoes`);
    expect(spliceCodePoints(text, 2, 2, "!")).toBe(`${RUNNER}${RUNNER}! cheap shoes`);
    expect(spliceCodePoints("Straße", 4, 6, "sse")).toBe("Strasse");
  });
});
