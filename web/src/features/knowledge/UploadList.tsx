import { Button, Group, Progress, Stack, Text, VisuallyHidden } from "@mantine/core";
import { useId } from "react";

import { AnchorLink } from "../../components/links";
import { formatBytes } from "./labels";
import type { UploadItem, useUploadQueue } from "./use-upload-queue";

export interface UploadListProps {
  queue: ReturnType<typeof useUploadQueue>;
  workspaceId: string;
}

/** The files of this session's uploads, newest first, each with its progress or outcome. */
export function UploadList({ queue, workspaceId }: UploadListProps) {
  const { items } = queue;
  const finished = items.filter((item) => item.state === "done");
  const uploaded = finished.filter((item) => item.outcome?.kind === "uploaded").length;
  const headingId = useId();
  return (
    <>
      {/* One short sentence per change, rather than every percentage. */}
      <VisuallyHidden role="status" aria-live="polite">
        {items.length > 0 && `${finished.length} of ${items.length} uploads finished, ${uploaded} added to the library.`}
      </VisuallyHidden>
      {items.length > 0 && (
        <Stack gap="xs">
          <Group justify="space-between">
            <Text size="sm" fw={600} id={headingId}>
              Uploads
            </Text>
            {finished.length > 0 && (
              <Button size="compact-sm" variant="subtle" onClick={queue.clearFinished}>
                Clear finished
              </Button>
            )}
          </Group>
          <Stack component="ul" gap="xs" aria-labelledby={headingId} style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {items.map((item) => (
              <UploadRow key={item.id} item={item} queue={queue} workspaceId={workspaceId} />
            ))}
          </Stack>
        </Stack>
      )}
    </>
  );
}

function UploadRow({ item, queue, workspaceId }: { item: UploadItem; queue: UploadListProps["queue"]; workspaceId: string }) {
  const percent = Math.round(item.progress * 100);
  return (
    <li>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Text size="sm" fw={500} style={{ overflowWrap: "anywhere" }}>
            {item.name}{" "}
            <Text span size="xs" c="dimmed">
              ({formatBytes(item.size)})
            </Text>
          </Text>
          {item.state !== "done" && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => queue.cancel(item.id)} aria-label={`Cancel uploading ${item.name}`}>
              Cancel
            </Button>
          )}
          {queue.canRetry(item) && (
            <Button size="compact-xs" variant="light" onClick={() => queue.retry(item.id)} aria-label={`Try uploading ${item.name} again`}>
              Try again
            </Button>
          )}
        </Group>
        {item.state !== "done" ? (
          <>
            <Progress.Root size="md" aria-hidden={item.state === "waiting" ? true : undefined}>
              <Progress.Section value={percent} aria-label={`Uploading ${item.name}`} />
            </Progress.Root>
            <Text size="xs" c="dimmed">
              {item.state === "waiting" ? "Waiting…" : percent < 100 ? `${percent}% sent` : "Sent; the server is checking it…"}
            </Text>
          </>
        ) : (
          <Outcome item={item} workspaceId={workspaceId} />
        )}
      </Stack>
    </li>
  );
}

function Outcome({ item, workspaceId }: { item: UploadItem; workspaceId: string }) {
  const outcome = item.outcome;
  if (!outcome) return null;
  // The status word carries the colour (all at 4.5:1 or more on white); the sentence and its
  // link stay in the text colour, the link underlined so it does not rely on colour.
  const status = (word: string, color: string) => (
    <Text span fw={700} c={color}>
      {word}
    </Text>
  );
  switch (outcome.kind) {
    case "uploaded":
      return (
        <Text size="sm">
          {status("Uploaded.", "teal.9")} It is queued for indexing.{" "}
          <AnchorLink
            to="/w/$workspaceId/knowledge/$documentId"
            params={{ workspaceId, documentId: outcome.document.id }}
            size="sm"
            underline="always"
          >
            Open “{outcome.document.title}”
          </AnchorLink>
        </Text>
      );
    case "duplicate":
      return (
        <Text size="sm">
          {status("Not uploaded:", "gray.9")} {outcome.message}{" "}
          {outcome.documentId && (
            <AnchorLink
              to="/w/$workspaceId/knowledge/$documentId"
              params={{ workspaceId, documentId: outcome.documentId }}
              size="sm"
              underline="always"
            >
              Open the existing document
            </AnchorLink>
          )}
        </Text>
      );
    case "refused":
      return (
        <Text size="sm">
          {status("Refused:", "red.8")} {outcome.message}
        </Text>
      );
    case "failed":
      return (
        <Text size="sm">
          {status("Failed:", "red.8")} {outcome.message}
        </Text>
      );
    case "cancelled":
      return (
        <Text size="sm" c="dimmed">
          Cancelled.
        </Text>
      );
  }
}
