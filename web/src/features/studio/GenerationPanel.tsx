import { Badge, Group, Paper, Stack, Title } from "@mantine/core";
import { useId } from "react";

import type { Tagged } from "../../api/client";
import { ApiError } from "../../api/problem";
import type { ContentDetail } from "../../api/types";
import { ProblemAlert } from "../../components/ProblemAlert";
import type { ContentScope } from "../content/queries";
import { BUDGET_ERROR_CODE, BudgetExceededAlert } from "./BudgetExceededAlert";
import { GenerationProgress } from "./GenerationProgress";
import { VariantGrid } from "./VariantGrid";
import type { GenerationState } from "./generation-state";
import { OPERATION_LABELS } from "./labels";
import type { Connection } from "./sse";
import type { GenerationStatus } from "./types";

const STATUS_LABELS: Record<GenerationStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
};

// Dark shades, as outlined text on white: 5:1 or more.
const STATUS_COLORS: Record<GenerationStatus, string> = {
  queued: "gray.8",
  running: "blue.9",
  succeeded: "teal.9",
  failed: "red.9",
};

export interface GenerationPanelProps {
  scope: ContentScope;
  item: Tagged<ContentDetail>;
  state: GenerationState;
  connection: Connection;
  onReconnect: () => void;
  canUse: boolean;
  onVersionCreated: () => void;
  onShowProvenance: (versionNumber: number) => void;
}

/** One generation: its progress while it runs, then its drafts side by side, or why it failed. */
export function GenerationPanel({ scope, item, state, connection, onReconnect, canUse, onVersionCreated, onShowProvenance }: GenerationPanelProps) {
  const headingId = useId();
  const title = state.operation === "generate" ? "Generated drafts" : `Rewrite: ${OPERATION_LABELS[state.operation].toLowerCase()}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={2} size="h4" id={headingId}>
            {title}
          </Title>
          <Group gap="xs">
            <Badge variant="outline" color={STATUS_COLORS[state.status]} tt="none">
              {STATUS_LABELS[state.status]}
            </Badge>
            {/* The model is always named; the offline default says "offline composer". */}
            <Badge variant="outline" color="gray.7" tt="none">
              Model: {state.modelLabel ?? (state.status === "failed" ? "none" : "chosen when it starts")}
            </Badge>
          </Group>
        </Group>
        <GenerationProgress state={state} channel={item.data.channel} connection={connection} onReconnect={onReconnect} />
        {state.status === "failed" &&
          (state.error?.code === BUDGET_ERROR_CODE ? (
            <BudgetExceededAlert workspaceId={scope.workspaceId} detail={state.error.reason} />
          ) : (
            <ProblemAlert
              title="Nothing was saved"
              error={new ApiError({ type: "about:blank", title: "The generation failed", status: 422, detail: state.error?.reason ?? null })}
            />
          ))}
        {state.status === "succeeded" && state.variants.length > 0 && (
          <VariantGrid
            scope={scope}
            item={item}
            variants={state.variants}
            modelLabel={state.modelLabel}
            canUse={canUse}
            onVersionCreated={onVersionCreated}
            onShowProvenance={onShowProvenance}
          />
        )}
      </Stack>
    </Paper>
  );
}
