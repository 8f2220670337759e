// Applying findings' fixes to the version that was checked, as the API's `apply_fixes` does: a
// fix's offsets (code points) refer to that version only; within a field the fixes go right to
// left so earlier offsets stay valid; one overlapping a fix already taken is skipped, not merged.
import { codePointLength } from "../../api/field-specs";
import type { ContentBody } from "../../api/types";
import { textAt, withTextAt } from "./body-texts";
import { spliceCodePoints } from "./code-points";
import type { TextFix } from "./types";

export interface FixOutcome {
  body: ContentBody;
  applied: TextFix[];
  skipped: TextFix[];
}

function overlap(a: TextFix, b: TextFix): boolean {
  if (a.field !== b.field) return false;
  // An insertion collides only with an edit around it.
  if (a.start === a.end) return b.start < a.start && a.start < b.end;
  if (b.start === b.end) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

export function applyFixes(body: ContentBody, fixes: readonly TextFix[]): FixOutcome {
  const applied: TextFix[] = [];
  const skipped: TextFix[] = [];
  for (const fix of fixes) {
    const text = textAt(body, fix.field);
    const fits = text !== null && fix.start <= fix.end && fix.end <= codePointLength(text);
    if (!fits || applied.some((other) => overlap(fix, other))) skipped.push(fix);
    else applied.push(fix);
  }
  let result = body;
  for (const field of new Set(applied.map((fix) => fix.field))) {
    let text = textAt(result, field) ?? "";
    const inField = applied.filter((fix) => fix.field === field).sort((a, b) => b.start - a.start || b.end - a.end);
    for (const fix of inField) text = spliceCodePoints(text, fix.start, fix.end, fix.replacement);
    result = withTextAt(result, field, text);
  }
  return { body: result, applied, skipped };
}
