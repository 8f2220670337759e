import { Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";

import type { Tagged } from "../../api/client";
import type { ContentDetail } from "../../api/types";
import type { ContentScope } from "../content/queries";
import { usePermissions } from "../workspaces/queries";
import { CheckPanel } from "./CheckPanel";
import { GenerationPanel } from "./GenerationPanel";
import { ProvenancePanel } from "./ProvenancePanel";
import { WritePanel } from "./WritePanel";
import { isFinished } from "./generation-state";
import { checkQuery } from "./queries";
import type { EventSourceFactory } from "./sse";
import { useGeneration } from "./use-generation";

export interface StudioPanelProps {
  scope: ContentScope;
  item: Tagged<ContentDetail>;
  /** The content may change (`content:write`, campaign not archived). */
  editable: boolean;
  /** The item got new versions here (a generation, a fix, a draft made current). */
  onVersionsChanged: () => void;
  /** Tests pass a fake EventSource. */
  eventSource?: EventSourceFactory;
}

/**
 * The AI studio inside the content editor: the current version's compliance check with its
 * fixes, generation and rewrites with their drafts streaming in, and each version's provenance.
 * Writing needs `ai:generate`; everyone who reads the content sees the check and the provenance.
 */
export function StudioPanel({ scope, item, editable, onVersionsChanged, eventSource }: StudioPanelProps) {
  const { can } = usePermissions(scope.workspaceId);
  const canWrite = editable && can("ai:generate");
  const contentId = item.data.id;
  const current = item.data.current_version;
  const generation = useGeneration(scope, contentId, { onSettled: onVersionsChanged, eventSource });
  const check = useQuery(checkQuery(scope, contentId, current)).data;
  const [provenanceOf, setProvenanceOf] = useState<number | null>(null);
  const provenanceRegion = useRef<HTMLElement>(null);
  const running = generation.state !== null && !isFinished(generation.state);

  const showProvenance = (version: number) => {
    setProvenanceOf(version);
    provenanceRegion.current?.focus();
    provenanceRegion.current?.scrollIntoView({ block: "start" });
  };

  return (
    <Stack gap="lg" mt="xl" maw={1200}>
      <CheckPanel scope={scope} item={item} canFix={canWrite} onVersionCreated={onVersionsChanged} />
      {canWrite && (
        <WritePanel
          scope={scope}
          item={item}
          hasFindings={(check?.findings.length ?? 0) > 0}
          running={running}
          onStarted={generation.follow}
        />
      )}
      {generation.state && (
        <GenerationPanel
          scope={scope}
          item={item}
          state={generation.state}
          connection={generation.connection}
          onReconnect={generation.reconnect}
          canUse={canWrite}
          onVersionCreated={onVersionsChanged}
          onShowProvenance={showProvenance}
        />
      )}
      <ProvenancePanel
        scope={scope}
        contentId={contentId}
        currentVersion={current}
        version={Math.min(provenanceOf ?? current, current)}
        onVersionChange={setProvenanceOf}
        regionRef={provenanceRegion}
      />
    </Stack>
  );
}
