import { Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import type { Tagged } from "../../api/client";
import type { ContentBody, ContentDetail } from "../../api/types";
import { ProblemAlert } from "../../components/ProblemAlert";
import { QueryState } from "../../components/QueryState";
import { ButtonLink } from "../../components/links";
import { VersionDiffTable } from "../content/VersionDiffTable";
import { sideBySide } from "../content/diff-model";
import { type ContentScope, etagOfContent, useCreateVersion, versionDiffQuery } from "../content/queries";
import { BodyView } from "./BodyView";
import { versionQuery } from "./queries";
import type { Variant } from "./types";

export interface VariantGridProps {
  scope: ContentScope;
  item: Tagged<ContentDetail>;
  variants: readonly Variant[];
  modelLabel: string | null;
  /** May make a draft the current version. */
  canUse: boolean;
  onVersionCreated: () => void;
  onShowProvenance: (versionNumber: number) => void;
}

/** The drafts side by side, each with its text, check score and what can be done with it. */
export function VariantGrid({ scope, item, variants, modelLabel, canUse, onVersionCreated, onShowProvenance }: VariantGridProps) {
  const [comparing, setComparing] = useState<number | null>(null);
  const save = useCreateVersion(scope, item.data.id);
  const current = item.data.current_version;

  const use = async (variant: Variant, body: ContentBody) => {
    try {
      const saved = await save.mutateAsync({ body, etag: etagOfContent(item) });
      notifications.show({ color: "green", message: `Draft ${variant.index} is now version ${saved.data.number}, the current one.` });
      onVersionCreated();
    } catch {
      // Shown above the drafts, from the mutation's error.
    }
  };

  return (
    <Stack gap="sm">
      {save.error && <ProblemAlert error={save.error} title="The draft was not made current" />}
      <SimpleGrid cols={{ base: 1, md: Math.min(variants.length, 2), xl: Math.min(variants.length, 3) }} spacing="sm">
        {variants.map((variant) => (
          <VariantCard
            key={variant.index}
            scope={scope}
            item={item.data}
            variant={variant}
            modelLabel={modelLabel}
            canUse={canUse}
            busy={save.isPending}
            onUse={(body) => void use(variant, body)}
            onCompare={() => setComparing(variant.version_number)}
            onShowProvenance={() => onShowProvenance(variant.version_number)}
          />
        ))}
      </SimpleGrid>
      <Modal
        opened={comparing !== null}
        onClose={() => setComparing(null)}
        size="xl"
        title={comparing === null ? "" : `Version ${comparing} compared with the current version ${current}`}
      >
        {comparing !== null && <Comparison scope={scope} item={item.data} version={comparing} />}
      </Modal>
    </Stack>
  );
}

interface VariantCardProps {
  scope: ContentScope;
  item: ContentDetail;
  variant: Variant;
  modelLabel: string | null;
  canUse: boolean;
  busy: boolean;
  onUse: (body: ContentBody) => void;
  onCompare: () => void;
  onShowProvenance: () => void;
}

function VariantCard({ scope, item, variant, modelLabel, canUse, busy, onUse, onCompare, onShowProvenance }: VariantCardProps) {
  const query = useQuery(versionQuery(scope, item.id, variant.version_number));
  const isCurrent = variant.version_number === item.current_version;
  const name = `Draft ${variant.index}`;
  return (
    <Paper withBorder p="sm" component="article" aria-label={`${name}, version ${variant.version_number}`}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={700} size="sm">
            {name} · version {variant.version_number}
          </Text>
          {isCurrent && (
            <Badge variant="light" color="blue" tt="none">
              Current version
            </Badge>
          )}
        </Group>
        <Group gap="xs" wrap="wrap">
          <ScoreBadge variant={variant} />
          <Badge variant="outline" color="gray.7" tt="none">
            Model: {modelLabel ?? "unknown"}
          </Badge>
        </Group>
        <QueryState query={query} loadingLabel={`Loading ${name.toLowerCase()}`} errorTitle={`${name} could not be loaded`}>
          {(version) => (
            <>
              <BodyView channel={item.channel} body={version.body} />
              <Group gap="xs" wrap="wrap">
                {canUse && !isCurrent && (
                  <Button size="xs" disabled={busy} onClick={() => onUse(version.body)} aria-label={`Use this version: ${name.toLowerCase()}`}>
                    Use this version
                  </Button>
                )}
                <ButtonLink
                  size="xs"
                  variant="default"
                  to="/w/$workspaceId/campaigns/$campaignId/contents/$contentId/versions"
                  params={{ workspaceId: scope.workspaceId, campaignId: scope.campaignId, contentId: item.id }}
                  search={{ to: variant.version_number }}
                  aria-label={`Open ${name.toLowerCase()} in the history`}
                >
                  Open
                </ButtonLink>
                <Button size="xs" variant="default" disabled={isCurrent} onClick={onCompare} aria-label={`Compare with current: ${name.toLowerCase()}`}>
                  Compare with current
                </Button>
                <Button size="xs" variant="subtle" onClick={onShowProvenance} aria-label={`Provenance of ${name.toLowerCase()}`}>
                  Provenance
                </Button>
              </Group>
            </>
          )}
        </QueryState>
      </Stack>
    </Paper>
  );
}

/** The draft's check result in words: score and whether it passes the workspace's minimum. */
function ScoreBadge({ variant }: { variant: Variant }) {
  if (variant.score === null || variant.score === undefined) {
    return (
      <Badge variant="outline" color="gray.7" tt="none">
        Not checked
      </Badge>
    );
  }
  const passed = variant.passed === true;
  return (
    <Badge variant="outline" color={passed ? "teal.9" : "red.9"} tt="none">
      Score {variant.score} · {passed ? "passes" : "below the minimum"}
    </Badge>
  );
}

/** The draft next to the current version, word by word. */
function Comparison({ scope, item, version }: { scope: ContentScope; item: ContentDetail; version: number }) {
  const current = item.current_version;
  const query = useQuery(versionDiffQuery(scope, item.id, current, version));
  return (
    <QueryState
      query={query}
      loadingLabel="Loading the differences"
      errorTitle="The differences could not be loaded"
      isEmpty={(diff) => diff.changes.length === 0}
      empty={{ title: "No differences", description: `Versions ${version} and ${current} have the same content.` }}
    >
      {(diff) => <VersionDiffTable from={current} to={version} fields={sideBySide(item.channel, diff)} />}
    </QueryState>
  );
}
