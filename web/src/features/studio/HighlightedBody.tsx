import { Stack, Text, VisuallyHidden } from "@mantine/core";
import type { CSSProperties, MouseEvent } from "react";

import type { Channel, ContentBody } from "../../api/types";
import { bodyTexts } from "./body-texts";
import { type MarkedPiece, markPieces, spansOf, worstSeverity } from "./finding-marks";
import { FINDING_KIND_LABELS, SEVERITY_LABELS, SEVERITY_STYLES } from "./labels";
import type { Finding, Severity } from "./types";

/** The element id of finding `ref` in the list, under the check's own `prefix`. */
export const findingAnchor = (prefix: string, ref: number) => `${prefix}finding-${ref}`;

/** Moves to the finding in the list (focus, for keyboard and screen reader users, not only scroll). */
function goTo(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const target = document.getElementById(id);
  if (!target) return;
  event.preventDefault();
  target.focus();
  target.scrollIntoView({ block: "nearest" });
}

/** For each finding, the last piece it covers: its number is written after that one. */
function lastPieces(pieces: readonly MarkedPiece[]): Map<number, number> {
  const last = new Map<number, number>();
  pieces.forEach((piece, index) => piece.refs.forEach((ref) => last.set(ref, index)));
  return last;
}

function markStyle(severity: Severity): CSSProperties {
  const { background, line, color } = SEVERITY_STYLES[severity];
  const [hue = "gray", shade = "9"] = color.split(".");
  return {
    background,
    color: "inherit",
    textDecorationLine: "underline",
    textDecorationStyle: line,
    textDecorationColor: `var(--mantine-color-${hue}-${shade})`,
    textDecorationThickness: 2,
    textUnderlineOffset: 3,
    padding: "0 1px",
  };
}

export interface HighlightedBodyProps {
  channel: Channel;
  body: ContentBody;
  /** The check's findings, in the order of the list (mark numbers refer to it). */
  findings: readonly Finding[];
  /** Prefix of the findings' element ids (see `findingAnchor`). */
  idPrefix: string;
}

/**
 * The checked version's texts that have findings, each flagged span in a <mark> styled by its
 * worst severity, preceded by the severity in words for screen readers and followed by the
 * findings' numbers, which link to them in the list.
 */
export function HighlightedBody({ channel, body, findings, idPrefix }: HighlightedBodyProps) {
  const fields = bodyTexts(channel, body)
    .map((field) => ({ ...field, spans: spansOf(findings, field.path) }))
    .filter((field) => field.spans.length > 0);
  if (fields.length === 0) return null;
  return (
    <Stack component="dl" gap="sm" m={0} aria-label="Flagged text">
      {fields.map(({ path, label, text, spans }) => {
        const pieces = markPieces(text, spans);
        const last = lastPieces(pieces);
        return (
        <div key={path}>
          <Text component="dt" size="xs" fw={600} c="dimmed">
            {label}
          </Text>
          <Text component="dd" size="sm" m={0} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", lineHeight: 1.9 }}>
            {pieces.map((piece, index) => {
              if (piece.refs.length === 0) return <span key={index}>{piece.text}</span>;
              const covering = piece.refs.map((ref) => findings[ref - 1]).filter((finding) => finding !== undefined);
              const severity = worstSeverity(covering) ?? "info";
              const names = covering.map((finding) => `${SEVERITY_LABELS[finding.severity]} ${FINDING_KIND_LABELS[finding.kind].toLowerCase()}`);
              return (
                <span key={index}>
                  <mark data-severity={severity} style={markStyle(severity)}>
                    <VisuallyHidden>{`${names.join(", ")}: `}</VisuallyHidden>
                    {piece.text}
                  </mark>
                  {piece.refs
                    .filter((ref) => last.get(ref) === index)
                    .map((ref) => {
                      const id = findingAnchor(idPrefix, ref);
                      return (
                        <sup key={ref}>
                          <a href={`#${id}`} onClick={(event) => goTo(event, id)} aria-label={`Finding ${ref}`} style={{ fontWeight: 700 }}>
                            {ref}
                          </a>
                        </sup>
                      );
                    })}
                </span>
              );
            })}
          </Text>
        </div>
        );
      })}
    </Stack>
  );
}
