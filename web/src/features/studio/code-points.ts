// The API counts text offsets in Unicode code points (Python's `str` indices); JavaScript strings
// index UTF-16 code units, where an emoji or any character beyond U+FFFF takes two. These convert
// between the two, so a finding's span marks exactly the characters the API flagged.

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** The UTF-16 index of code point `offset` in `text`; clipped to `[0, text.length]`. */
export function toUtf16Index(text: string, offset: number): number {
  if (!Number.isFinite(offset) || offset <= 0) return 0;
  let index = 0;
  for (let points = 0; points < offset && index < text.length; points += 1) {
    const pair = isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1));
    index += pair ? 2 : 1;
  }
  return index;
}

/** The code point offset of UTF-16 index `index` (one inside a surrogate pair counts its character). */
export function toCodePointOffset(text: string, index: number): number {
  const end = Math.max(0, Math.min(text.length, Math.floor(index)));
  let points = 0;
  for (let at = 0; at < end; at += 1) {
    points += 1;
    if (isHighSurrogate(text.charCodeAt(at)) && isLowSurrogate(text.charCodeAt(at + 1))) at += 1;
  }
  return points;
}

/** `text[start:end]` as Python slices it (code points), clipped to the text. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  return text.slice(toUtf16Index(text, start), toUtf16Index(text, Math.max(start, end)));
}

/** `text[:start] + replacement + text[end:]`, in code points: how the API applies a fix. */
export function spliceCodePoints(text: string, start: number, end: number, replacement: string): string {
  const from = toUtf16Index(text, start);
  const to = toUtf16Index(text, Math.max(start, end));
  return text.slice(0, from) + replacement + text.slice(to);
}
