import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";

import type { Tagged } from "../../api/client";
import { isApiError } from "../../api/problem";
import type { ContentDetail } from "../../api/types";
import { ProblemAlert } from "../../components/ProblemAlert";
import { QueryState } from "../../components/QueryState";
import { type ContentScope, etagOfContent, useCreateVersion } from "../content/queries";
import { FindingList } from "./FindingList";
import { HighlightedBody } from "./HighlightedBody";
import { applyFixes } from "./fixes";
import { checkQuery, useRecheck } from "./queries";
import type { Check, TextFix } from "./types";

export interface CheckPanelProps {
  scope: ContentScope;
  item: Tagged<ContentDetail>;
  /** May fix findings (a new version) and run the check again. */
  canFix: boolean;
  /** A fix was saved as the item's next version. */
  onVersionCreated: () => void;
}

/** The current version's compliance check: score, pass or fail, the flagged text and the findings. */
export function CheckPanel({ scope, item, canFix, onVersionCreated }: CheckPanelProps) {
  const headingId = useId();
  const { id: contentId, current_version: number } = item.data;
  const query = useQuery(checkQuery(scope, contentId, number));
  const recheck = useRecheck(scope, contentId, number);
  const save = useCreateVersion(scope, contentId);

  const apply = async (fixes: readonly TextFix[]) => {
    const outcome = applyFixes(item.data.current.body, fixes);
    if (outcome.applied.length === 0) {
      notifications.show({ color: "red", message: "The fix no longer fits this version's text, so nothing was changed." });
      return;
    }
    try {
      const saved = await save.mutateAsync({ body: outcome.body, etag: etagOfContent(item) });
      const count = outcome.applied.length;
      notifications.show({
        color: "green",
        message: `Version ${saved.data.number} saved with ${count === 1 ? "the fix" : `${count} fixes`} applied.`,
      });
      onVersionCreated();
    } catch {
      // Shown below, from the mutation's error.
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id={headingId}>
            Compliance check of version {number}
          </Title>
          {canFix && (
            <Button size="xs" variant="default" loading={recheck.isPending} onClick={() => recheck.mutate()}>
              Check again
            </Button>
          )}
        </Group>
        {recheck.error && <ProblemAlert error={recheck.error} title="The check could not run" />}
        {save.error && (
          <ProblemAlert
            error={save.error}
            title="The fix was not saved"
            message={
              isApiError(save.error) && save.error.isConflict
                ? "Someone saved a newer version meanwhile; the check now shows it. Apply the fix again if it still applies."
                : undefined
            }
          />
        )}
        <QueryState query={query} loadingLabel="Checking the current version" errorTitle="The check could not be loaded">
          {(check) => (
            <CheckResult
              check={check}
              item={item.data}
              onApply={canFix ? (fixes) => void apply(fixes) : undefined}
              busy={save.isPending}
            />
          )}
        </QueryState>
      </Stack>
    </Paper>
  );
}

interface CheckResultProps {
  check: Check;
  item: ContentDetail;
  onApply?: (fixes: readonly TextFix[]) => void;
  busy: boolean;
}

function CheckResult({ check, item, onApply, busy }: CheckResultProps) {
  const idPrefix = useId().replaceAll(":", "");
  const fixes = check.findings.flatMap((finding) => (finding.fix ? [finding.fix] : []));
  // Fixes refer to the checked version's offsets: only that version, while it is current, takes them.
  const fixable = onApply && check.version_number === item.current_version ? onApply : undefined;
  return (
    <Stack gap="sm">
      <CheckSummary check={check} />
      {check.findings.length === 0 ? (
        <Text size="sm">No findings: this version follows every rule checked ({check.checked_rules_count}).</Text>
      ) : (
        <>
          <HighlightedBody channel={item.channel} body={item.current.body} findings={check.findings} idPrefix={idPrefix} />
          {fixable && fixes.length > 1 && (
            <Group>
              <Button size="xs" variant="light" disabled={busy} onClick={() => fixable(fixes)}>
                Apply all {fixes.length} fixes
              </Button>
            </Group>
          )}
          <FindingList
            channel={item.channel}
            body={item.current.body}
            findings={check.findings}
            idPrefix={idPrefix}
            onApply={fixable && ((fix) => fixable([fix]))}
            busy={busy}
          />
        </>
      )}
    </Stack>
  );
}

/** Score, pass or fail in words (not colour only), and what it was measured against. */
export function CheckSummary({ check }: { check: Check }) {
  const blocked = check.findings.some((finding) => finding.severity === "blocker");
  const verdict = check.passed ? "Passes" : blocked ? "Blocked" : "Below the minimum";
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="wrap">
        <Badge size="lg" variant="filled" color={check.passed ? "teal.9" : "red.9"} tt="none">
          Score {check.score} of 100
        </Badge>
        <Badge size="lg" variant="outline" color={check.passed ? "teal.9" : "red.9"} tt="none">
          {verdict}
        </Badge>
        <Text size="sm">
          {check.findings.length === 1 ? "1 finding" : `${check.findings.length} findings`}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        Minimum score to submit for review: {check.min_score}.{" "}
        {check.brand_kit_version > 0 ? `Checked against brand kit version ${check.brand_kit_version}` : "No brand kit yet"}
        {check.judge ? `; tone judged by ${check.judge}.` : "."}
      </Text>
      {blocked && !check.passed && (
        <Alert color="red" variant="light" p="xs">
          A blocker stops this version from being submitted for review, whatever its score.
        </Alert>
      )}
    </Stack>
  );
}
