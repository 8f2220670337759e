import { Alert, Button, Group, List, Paper, SimpleGrid, Stack, Text, VisuallyHidden } from "@mantine/core";

import type { Channel } from "../../api/types";
import { fieldLabel } from "./body-texts";
import { type GenerationState, announcement } from "./generation-state";
import { STEP_LABELS } from "./labels";
import type { Connection } from "./sse";
import { streamPreview } from "./stream-preview";
import { STEPS, type Step } from "./types";

type StepState = "done" | "current" | "waiting";

function stepState(state: GenerationState, step: Step): StepState {
  if (state.status === "succeeded") return "done";
  const reached = state.step === null ? -1 : STEPS.indexOf(state.step);
  const index = STEPS.indexOf(step);
  if (index < reached) return "done";
  return index === reached && state.status !== "failed" ? "current" : "waiting";
}

const STEP_STATE_LABELS: Record<StepState, string> = { done: "done", current: "in progress", waiting: "to do" };
const STEP_MARKS: Record<StepState, string> = { done: "✓", current: "…", waiting: "○" };

/** The pipeline's steps, each with its state in words. */
function Steps({ state }: { state: GenerationState }) {
  return (
    <List size="sm" spacing={2} listStyleType="none" aria-label="Steps" component="ol" pl={0}>
      {STEPS.map((step) => {
        const current = stepState(state, step);
        const writing = step === "generating" && current === "current" && state.writing !== null;
        return (
          <List.Item key={step} fw={current === "current" ? 700 : 400} c={current === "waiting" ? "dimmed" : undefined}>
            <span aria-hidden="true">{STEP_MARKS[current]} </span>
            {STEP_LABELS[step]}
            {writing ? ` (draft ${state.writing} of ${state.requested})` : ""}
            {step === "retrieving" && state.sources !== null ? ` (${state.sources} found)` : ""}
            <VisuallyHidden>{`: ${STEP_STATE_LABELS[current]}`}</VisuallyHidden>
          </List.Item>
        );
      })}
    </List>
  );
}

/** Each draft as the model writes it: the JSON's texts, by field, not the raw JSON. */
function Drafts({ state, channel }: { state: GenerationState; channel: Channel }) {
  const indexes = Array.from({ length: state.requested }, (_, at) => at + 1).filter((index) => state.drafts[index]);
  if (indexes.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, md: Math.min(indexes.length, 3) }} spacing="sm">
      {indexes.map((index) => (
        <Paper key={index} withBorder p="sm" component="article" aria-label={`Draft ${index}, as it is written`} aria-busy={state.status !== "succeeded"}>
          <Text size="xs" fw={700} mb={4}>
            Draft {index}
          </Text>
          <Stack gap={4}>
            {streamPreview(state.drafts[index] ?? "").map((line, at) => (
              <Text key={at} size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                {line.path && (
                  <Text span size="xs" fw={600} c="dimmed">
                    {fieldLabel(channel, line.path)}:{" "}
                  </Text>
                )}
                {line.text}
              </Text>
            ))}
          </Stack>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

export interface GenerationProgressProps {
  state: GenerationState;
  channel: Channel;
  connection: Connection;
  onReconnect: () => void;
}

/** A running (or just finished) generation: its steps, the live status, and the drafts streaming in. */
export function GenerationProgress({ state, channel, connection, onReconnect }: GenerationProgressProps) {
  const running = state.status === "queued" || state.status === "running";
  return (
    <Stack gap="sm">
      {/* Polite, and one sentence per step: never every token. */}
      <Text size="sm" fw={600} role="status" aria-live="polite" aria-atomic="true">
        {announcement(state)}
      </Text>
      {running && connection === "reconnecting" && (
        <Alert color="blue" variant="light" p="xs">
          The connection dropped; reconnecting. The drafts keep being written meanwhile.
        </Alert>
      )}
      {running && connection === "lost" && (
        <Alert color="blue" variant="light" title="Lost the connection">
          <Group gap="sm">
            <Text size="sm">The progress stopped arriving. The generation goes on without it.</Text>
            <Button size="xs" variant="white" onClick={onReconnect}>
              Reconnect
            </Button>
          </Group>
        </Alert>
      )}
      {state.status !== "succeeded" && <Steps state={state} />}
      {state.status !== "succeeded" && <Drafts state={state} channel={channel} />}
    </Stack>
  );
}
