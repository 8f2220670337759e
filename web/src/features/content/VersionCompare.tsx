import { Group, NativeSelect, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { type Ref, useId } from "react";

import type { Channel } from "../../api/types";
import { QueryState } from "../../components/QueryState";
import { VersionDiffTable } from "./VersionDiffTable";
import { sideBySide } from "./diff-model";
import { type ContentScope, versionDiffQuery } from "./queries";

export interface VersionCompareProps {
  scope: ContentScope;
  contentId: string;
  channel: Channel;
  currentVersion: number;
  from: number;
  to: number;
  onChange: (versions: { from: number; to: number }) => void;
  /** The "Differences" region, so a "Compare" button elsewhere can move focus to it. */
  regionRef?: Ref<HTMLDivElement>;
}

/** Two version pickers and what changed between them, side by side. */
export function VersionCompare({ scope, contentId, channel, currentVersion, from, to, onChange, regionRef }: VersionCompareProps) {
  const headingId = useId();
  const options = Array.from({ length: currentVersion }, (_, index) => {
    const number = currentVersion - index;
    return { value: String(number), label: number === currentVersion ? `Version ${number} (current)` : `Version ${number}` };
  });

  return (
    <Stack component="section" aria-labelledby={headingId} gap="sm" mb="xl">
      <Title order={2} size="h4" id={headingId}>
        Compare versions
      </Title>
      {currentVersion < 2 ? (
        <Text size="sm" c="dimmed">
          There is only one version so far, so there is nothing to compare yet.
        </Text>
      ) : (
        <>
          <Group gap="sm" align="flex-end">
            <NativeSelect
              label="From version"
              data={options}
              value={String(from)}
              onChange={(event) => onChange({ from: Number(event.currentTarget.value), to })}
              w={{ base: "100%", sm: 220 }}
            />
            <NativeSelect
              label="To version"
              data={options}
              value={String(to)}
              onChange={(event) => onChange({ from, to: Number(event.currentTarget.value) })}
              w={{ base: "100%", sm: 220 }}
            />
          </Group>
          <div role="region" aria-label="Differences" tabIndex={-1} ref={regionRef}>
            {from === to ? (
              <Text size="sm" c="dimmed">
                Choose two different versions to see what changed.
              </Text>
            ) : (
              <Differences scope={scope} contentId={contentId} channel={channel} from={from} to={to} />
            )}
          </div>
        </>
      )}
    </Stack>
  );
}

function Differences({ scope, contentId, channel, from, to }: Omit<VersionCompareProps, "currentVersion" | "onChange">) {
  const query = useQuery(versionDiffQuery(scope, contentId, from, to));
  return (
    <QueryState
      query={query}
      loadingLabel="Loading the differences"
      errorTitle="The differences could not be loaded"
      isEmpty={(diff) => diff.changes.length === 0}
      empty={{ title: "No differences", description: `Versions ${from} and ${to} have the same content.` }}
    >
      {(diff) => <VersionDiffTable from={from} to={to} fields={sideBySide(channel, diff)} />}
    </QueryState>
  );
}
