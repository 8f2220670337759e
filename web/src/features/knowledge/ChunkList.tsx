import { Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { QueryState } from "../../components/QueryState";
import { citationLocation } from "./highlights";
import { chunkListQuery } from "./queries";
import type { Chunk } from "./types";

export interface ChunkListProps {
  workspaceId: string;
  documentId: string;
  /** The ordinal of the chunk a citation points to: loaded, scrolled to and marked. */
  target?: number;
}

/** The document's passages as they were indexed, in order: what search cites. */
export function ChunkList({ workspaceId, documentId, target }: ChunkListProps) {
  const query = useInfiniteQuery(chunkListQuery(workspaceId, documentId));
  const chunks = query.data?.pages.flatMap((page) => page.items);
  const targetLoaded = target !== undefined && chunks?.some((chunk) => chunk.ordinal === target);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;

  // A citation of a later passage: fetch pages until it is there.
  useEffect(() => {
    if (target !== undefined && chunks && !targetLoaded && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [target, chunks, targetLoaded, hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <QueryState
      query={{ data: chunks, error: query.error, refetch: query.refetch }}
      loadingLabel="Loading passages"
      isEmpty={(list) => list.length === 0}
      empty={{ title: "No passages", description: "The document has no indexed text yet." }}
    >
      {(list) => (
        <Stack gap="sm">
          <Stack component="ol" gap="sm" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label="Passages">
            {list.map((chunk) => (
              <ChunkItem key={chunk.id} chunk={chunk} cited={chunk.ordinal === target} />
            ))}
          </Stack>
          {hasNextPage && (
            <Group>
              <Button variant="default" onClick={() => void fetchNextPage()} loading={isFetchingNextPage}>
                Load more passages
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </QueryState>
  );
}

function ChunkItem({ chunk, cited }: { chunk: Chunk; cited: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (cited) {
      ref.current?.scrollIntoView({ block: "center" });
      ref.current?.focus({ preventScroll: true });
    }
  }, [cited]);
  const headingId = `passage-${chunk.ordinal}`;
  return (
    <li ref={ref} tabIndex={cited ? -1 : undefined} aria-labelledby={headingId} aria-current={cited ? "location" : undefined}>
      <Paper
        withBorder
        p="sm"
        radius="md"
        style={cited ? { borderColor: "var(--mantine-color-yellow-7)", borderWidth: 2, background: "var(--mantine-color-yellow-0)" } : undefined}
      >
        <Group gap="xs" mb={4}>
          <Title order={3} size="h6" id={headingId}>
            Passage {chunk.ordinal + 1}
          </Title>
          <Text size="xs" c="dimmed">
            {citationLocation(chunk)}
          </Text>
          {cited && (
            <Badge size="xs" color="dark" variant="filled">
              cited
            </Badge>
          )}
        </Group>
        <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
          {chunk.text}
        </Text>
      </Paper>
    </li>
  );
}
