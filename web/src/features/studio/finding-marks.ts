// A text field split at its findings' spans, so the screen can wrap each flagged piece in a
// <mark>. Spans are code points (as the API counts them) and are converted to UTF-16 here;
// overlapping spans split the text where each starts and ends, and a piece lists every finding
// that covers it. Rendered as text, never as HTML.
import { toUtf16Index } from "./code-points";
import type { Finding, Severity } from "./types";

export const SEVERITY_ORDER: readonly Severity[] = ["blocker", "major", "minor", "info"];

export interface Span {
  start: number;
  end: number;
  /** Which finding: its number in the findings list. */
  ref: number;
}

export interface MarkedPiece {
  text: string;
  /** The findings covering this piece (empty: not flagged). */
  refs: number[];
}

/** Splits `text` at the spans (code point offsets); spans outside the text are clipped, empty ones dropped. */
export function markPieces(text: string, spans: readonly Span[]): MarkedPiece[] {
  const units = spans
    .map((span) => ({ start: toUtf16Index(text, span.start), end: toUtf16Index(text, span.end), ref: span.ref }))
    .filter((span) => span.end > span.start);
  const cuts = [...new Set([0, text.length, ...units.flatMap((span) => [span.start, span.end])])].sort((a, b) => a - b);
  const pieces: MarkedPiece[] = [];
  for (let index = 0; index < cuts.length - 1; index += 1) {
    const from = cuts[index] ?? 0;
    const to = cuts[index + 1] ?? text.length;
    const refs = units.filter((span) => span.start <= from && to <= span.end).map((span) => span.ref);
    const last = pieces.at(-1);
    if (last && sameRefs(last.refs, refs)) last.text += text.slice(from, to);
    else pieces.push({ text: text.slice(from, to), refs });
  }
  return pieces.length > 0 ? pieces : [{ text, refs: [] }];
}

const sameRefs = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((ref, at) => ref === b[at]);

/** The worst severity among `findings`. */
export function worstSeverity(findings: readonly Pick<Finding, "severity">[]): Severity | null {
  let worst: Severity | null = null;
  for (const { severity } of findings) {
    if (worst === null || SEVERITY_ORDER.indexOf(severity) < SEVERITY_ORDER.indexOf(worst)) worst = severity;
  }
  return worst;
}

/** The spans of the findings flagging `path`, numbered by their place in `findings` (from 1). */
export function spansOf(findings: readonly Finding[], path: string): Span[] {
  return findings.flatMap((finding, index) =>
    finding.field === path && typeof finding.start === "number" && typeof finding.end === "number"
      ? [{ start: finding.start, end: finding.end, ref: index + 1 }]
      : [],
  );
}
