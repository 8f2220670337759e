import { Badge, Button, Group, Paper, Stack, Text } from "@mantine/core";

import type { Channel, ContentBody } from "../../api/types";
import { fieldLabel, textAt } from "./body-texts";
import { sliceCodePoints } from "./code-points";
import { findingAnchor } from "./HighlightedBody";
import { FINDING_KIND_LABELS, RULE_SECTION_LABELS, SEVERITY_LABELS, SEVERITY_STYLES } from "./labels";
import type { Finding, TextFix } from "./types";

export interface FindingListProps {
  channel: Channel;
  /** The checked version's body: fixes refer to its offsets. */
  body: ContentBody;
  findings: readonly Finding[];
  idPrefix: string;
  /** Applies one fix as a new version; absent when the person may not (or the version is not current). */
  onApply?: (fix: TextFix) => void;
  busy?: boolean;
}

/** The rule a finding rests on, e.g. `Brand kit · banned terms #1 “injury-proof”`. */
export function ruleText(finding: Finding): string {
  const { section, index, name, channel } = finding.rule;
  const parts = [RULE_SECTION_LABELS[section]];
  if (typeof index === "number") parts.push(`#${index + 1}`);
  if (name) parts.push(`“${name}”`);
  if (channel) parts.push(`(${channel})`);
  return parts.join(" ");
}

/** What the fix does, in words: replace, insert or remove. */
export function fixText(fix: TextFix, body: ContentBody): string {
  const current = sliceCodePoints(textAt(body, fix.field) ?? "", fix.start, fix.end);
  if (fix.start === fix.end) return `Insert “${fix.replacement}”`;
  if (fix.replacement === "") return `Remove “${current}”`;
  return `Replace “${current}” with “${fix.replacement}”`;
}

/** Findings, most severe first (the API's order), each with its rule, the suggestion and its fix. */
export function FindingList({ channel, body, findings, idPrefix, onApply, busy = false }: FindingListProps) {
  return (
    <Stack component="ol" gap="sm" aria-label="Findings" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {findings.map((finding, index) => {
        const ref = index + 1;
        const style = SEVERITY_STYLES[finding.severity];
        return (
          <li key={finding.id}>
            <Paper
              withBorder
              p="sm"
              id={findingAnchor(idPrefix, ref)}
              tabIndex={-1}
              style={{ borderLeft: `4px ${style.line === "solid" ? "solid" : "double"} var(--mantine-color-${style.color.replace(".", "-")})` }}
            >
              <Stack gap={4}>
                <Group gap="xs" wrap="wrap">
                  <Text span fw={700} size="sm">
                    {ref}.
                  </Text>
                  {/* The hue on the border; the words in dark text, readable whatever the hue. */}
                  <Badge color={style.color} c="dark.7" variant="outline" size="sm">
                    {SEVERITY_LABELS[finding.severity]}
                  </Badge>
                  <Text span fw={600} size="sm">
                    {FINDING_KIND_LABELS[finding.kind]}
                  </Text>
                  {finding.field && (
                    <Text span size="sm" c="dimmed">
                      in {fieldLabel(channel, finding.field)}
                    </Text>
                  )}
                </Group>
                <Text size="sm">{finding.message}</Text>
                {finding.text && (
                  <Text size="sm">
                    Flagged: <q>{finding.text}</q>
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  Rule: {ruleText(finding)}
                </Text>
                {finding.suggestion && <Text size="sm">Suggestion: {finding.suggestion}</Text>}
                {finding.fix && (
                  <Group gap="sm" wrap="wrap">
                    <Text size="sm">Fix: {fixText(finding.fix, body)}</Text>
                    {onApply && (
                      <Button size="xs" variant="light" disabled={busy} onClick={() => finding.fix && onApply(finding.fix)} aria-label={`Apply fix for finding ${ref}`}>
                        Apply fix
                      </Button>
                    )}
                  </Group>
                )}
              </Stack>
            </Paper>
          </li>
        );
      })}
    </Stack>
  );
}
