import { Badge, Group, Paper, Stack, Text, VisuallyHidden } from "@mantine/core";

import { AnchorLink } from "../../components/links";
import { citationLocation, citationLocationLabel, highlightSegments } from "./highlights";
import { DOCUMENT_TYPE_LABELS } from "./labels";
import type { SearchResult } from "./types";

export interface CitationListProps {
  workspaceId: string;
  results: readonly SearchResult[];
}

/** Search results as citations, best first: where each passage is, and the matched words marked. */
export function CitationList({ workspaceId, results }: CitationListProps) {
  return (
    <Stack component="ol" gap="sm" aria-label="Results, best first" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {results.map((result, index) => (
        <li key={result.chunk_id}>
          <Citation workspaceId={workspaceId} result={result} rank={index + 1} />
        </li>
      ))}
    </Stack>
  );
}

function Citation({ workspaceId, result, rank }: { workspaceId: string; result: SearchResult; rank: number }) {
  const { document } = result;
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-label={`Result ${rank}: ${document.title}, ${citationLocationLabel(result)}`}>
      <Stack gap={6}>
        <Group gap="xs" justify="space-between" wrap="wrap" align="baseline">
          <Group gap="xs" wrap="wrap" align="baseline">
            <Text span size="sm" c="dimmed" aria-hidden="true">
              {rank}.
            </Text>
            <AnchorLink
              to="/w/$workspaceId/knowledge/$documentId"
              params={{ workspaceId, documentId: document.id }}
              search={{ chunk: result.ordinal }}
              fw={600}
              style={{ overflowWrap: "anywhere" }}
            >
              {document.title}
            </AnchorLink>
            <Text span size="sm" fw={500}>
              <span aria-hidden="true">{citationLocation(result)}</span>
              <VisuallyHidden>{citationLocationLabel(result)}</VisuallyHidden>
            </Text>
          </Group>
          <Scores result={result} />
        </Group>
        <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
          {document.filename} · {DOCUMENT_TYPE_LABELS[document.document_type]} · passage {result.ordinal + 1}
          {document.tags.length > 0 && ` · ${document.tags.join(", ")}`}
        </Text>
        <Snippet result={result} />
        <details>
          <summary>
            <Text span size="sm">
              Whole passage
            </Text>
          </summary>
          <Text size="sm" mt={4} style={{ whiteSpace: "pre-wrap" }}>
            {result.text}
          </Text>
        </details>
      </Stack>
    </Paper>
  );
}

/** The snippet as text, with the matched words in <mark> elements built from the offsets. */
export function Snippet({ result }: { result: Pick<SearchResult, "snippet" | "highlights"> }) {
  return (
    <Text component="blockquote" size="sm" m={0} pl="sm" style={{ borderLeft: "3px solid var(--mantine-color-gray-4)" }}>
      {highlightSegments(result.snippet, result.highlights).map((segment, index) =>
        segment.marked ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </Text>
  );
}

const score = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const similarity = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** The ranks behind the order, compactly: fused score, keyword rank, meaning rank and similarity. */
function Scores({ result }: { result: SearchResult }) {
  const { scores } = result;
  const parts = [`score ${score.format(scores.fused)}`];
  if (scores.lexical_rank !== null && scores.lexical_rank !== undefined) parts.push(`keywords #${scores.lexical_rank}`);
  if (scores.vector_rank !== null && scores.vector_rank !== undefined) {
    const sim = scores.vector_similarity !== null && scores.vector_similarity !== undefined ? ` (${similarity.format(scores.vector_similarity)})` : "";
    parts.push(`meaning #${scores.vector_rank}${sim}`);
  }
  return (
    <Group gap={4} wrap="wrap">
      {parts.map((part) => (
        <Badge key={part} size="xs" variant="outline" color="gray.7" tt="none">
          {part}
        </Badge>
      ))}
    </Group>
  );
}
