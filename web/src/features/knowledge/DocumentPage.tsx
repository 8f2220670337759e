import { Alert, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import type { ReactNode } from "react";

import { AnchorLink } from "../../components/links";
import { PageBreadcrumbs } from "../../components/PageBreadcrumbs";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../lib/format";
import { usePermissions } from "../workspaces/queries";
import { ChunkList } from "./ChunkList";
import { DocumentActions } from "./DocumentActions";
import { DocumentDetailsForm } from "./DocumentDetailsForm";
import { TagList } from "./DocumentTable";
import { DocumentStatusBadge } from "./DocumentStatusBadge";
import { DOCUMENT_TYPE_LABELS, formatBytes, isInProgress } from "./labels";
import { documentQuery } from "./queries";
import type { KnowledgeDocument } from "./types";

const route = getRouteApi("/authed/w/$workspaceId/knowledge/$documentId");

/** One document: its facts and status, its title and tags, and the passages search cites. */
export function DocumentPage() {
  const { workspaceId, documentId } = route.useParams();
  const { chunk } = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(documentQuery(workspaceId, documentId));
  const { can } = usePermissions(workspaceId);
  const canWrite = can("knowledge:write");
  const document = query.data;

  return (
    <>
      <PageHeader
        title={document?.title ?? "Document"}
        breadcrumbs={
          <PageBreadcrumbs
            trail={[
              <AnchorLink key="knowledge" to="/w/$workspaceId/knowledge" params={{ workspaceId }} size="sm">
                Knowledge
              </AnchorLink>,
            ]}
            current={document?.title ?? "Document"}
          />
        }
        meta={document && <DocumentStatusBadge status={document.status} />}
        actions={
          document && (
            <DocumentActions
              workspaceId={workspaceId}
              document={document}
              canWrite={canWrite}
              size="sm"
              onDeleted={() => void navigate({ to: "/w/$workspaceId/knowledge", params: { workspaceId } })}
            />
          )
        }
      />
      <QueryState query={query} loadingLabel="Loading the document">
        {(loaded) => (
          <Stack gap="lg">
            <StatusNotice document={loaded} />
            <Facts document={loaded} />
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="document-details">
              <Title order={2} size="h4" id="document-details" mb="sm">
                Details
              </Title>
              {canWrite ? (
                <DocumentDetailsForm key={`${loaded.id}:${loaded.updated_at}`} workspaceId={workspaceId} document={loaded} />
              ) : (
                <TagList tags={loaded.tags} />
              )}
            </Paper>
            <section aria-labelledby="document-passages">
              <Title order={2} size="h4" id="document-passages" mb="sm">
                Passages
              </Title>
              {loaded.status === "indexed" ? (
                <ChunkList key={loaded.indexed_at ?? ""} workspaceId={workspaceId} documentId={loaded.id} target={chunk} />
              ) : (
                <Text size="sm" c="dimmed">
                  The passages appear here once the document is indexed.
                </Text>
              )}
            </section>
          </Stack>
        )}
      </QueryState>
    </>
  );
}

function StatusNotice({ document }: { document: KnowledgeDocument }) {
  if (document.status === "failed") {
    return (
      <Alert color="red" variant="light" title="Indexing failed">
        <Text size="sm">{document.failure_reason ?? "The document could not be read."}</Text>
        <Text size="sm" mt={4}>
          Fix the file and upload it again, or re-ingest it if the problem was on our side.
        </Text>
      </Alert>
    );
  }
  if (isInProgress(document.status)) {
    return (
      <Alert color="blue" variant="light" title="Being indexed" role="status">
        <Text size="sm">Brandflow is reading and indexing this document. This page updates by itself.</Text>
      </Alert>
    );
  }
  return null;
}

function Facts({ document }: { document: KnowledgeDocument }) {
  const facts: [string, ReactNode][] = [
    ["File", document.filename],
    ["Type", DOCUMENT_TYPE_LABELS[document.document_type]],
    ["Size", formatBytes(document.size_bytes)],
    ["Uploaded", formatDateTime(document.created_at)],
    ["Indexed", formatDateTime(document.indexed_at)],
    ["Passages", document.status === "indexed" ? String(document.chunk_count) : "—"],
  ];
  if (document.page_count !== null) facts.push(["Pages", String(document.page_count)]);
  if (document.embedding_model) facts.push(["Embedding model", document.embedding_model]);
  return (
    <Paper withBorder p="md" radius="md">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" component="dl" style={{ margin: 0 }}>
        {facts.map(([label, value]) => (
          <div key={label}>
            <Text component="dt" size="xs" c="dimmed">
              {label}
            </Text>
            <Text component="dd" size="sm" m={0} style={{ overflowWrap: "anywhere" }}>
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

