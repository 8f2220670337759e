// A search snippet and its matched ranges as plain-text pieces: the screen renders the marked
// ones in <mark> elements. Never HTML: the snippet is text from an uploaded document.
import type { Highlight, SearchResult } from "./types";

export interface Segment {
  text: string;
  marked: boolean;
}

/**
 * Splits `snippet` at the highlights. Offsets count Unicode code points (as the API, written in
 * Python, does), not UTF-16 units; ranges out of bounds are clipped, overlapping ones merged.
 */
export function highlightSegments(snippet: string, highlights: readonly Highlight[]): Segment[] {
  const points = Array.from(snippet);
  const ranges = highlights
    .map(({ start, end }) => [Math.max(0, Math.floor(start)), Math.min(points.length, Math.floor(end))] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const segments: Segment[] = [];
  let at = 0;
  for (const [start, end] of merged) {
    if (start > at) segments.push({ text: points.slice(at, start).join(""), marked: false });
    segments.push({ text: points.slice(start, end).join(""), marked: true });
    at = end;
  }
  if (at < points.length || segments.length === 0) segments.push({ text: points.slice(at).join(""), marked: false });
  return segments;
}

/** Where a citation points: "p. 3" in a PDF, otherwise the chunk's characters in the text. */
export function citationLocation(result: Pick<SearchResult, "page" | "start_offset" | "end_offset">): string {
  if (result.page !== null && result.page !== undefined) return `p. ${result.page}`;
  const format = new Intl.NumberFormat();
  return `chars ${format.format(result.start_offset)}–${format.format(result.end_offset)}`;
}

/** The same, as a screen reader should say it. */
export function citationLocationLabel(result: Pick<SearchResult, "page" | "start_offset" | "end_offset">): string {
  if (result.page !== null && result.page !== undefined) return `page ${result.page}`;
  return `characters ${result.start_offset} to ${result.end_offset}`;
}
