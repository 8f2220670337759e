import { Badge, Group, Stack, Table, Text, VisuallyHidden } from "@mantine/core";

import { AnchorLink } from "../../components/links";
import { formatDateTime } from "../../lib/format";
import { DocumentActions } from "./DocumentActions";
import { DocumentStatusBadge } from "./DocumentStatusBadge";
import { DOCUMENT_TYPE_LABELS, formatBytes } from "./labels";
import type { KnowledgeDocument } from "./types";

export interface DocumentTableProps {
  workspaceId: string;
  documents: readonly KnowledgeDocument[];
  canWrite: boolean;
}

export function DocumentTable({ workspaceId, documents, canWrite }: DocumentTableProps) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover verticalSpacing="sm">
        <VisuallyHidden component="caption">Documents, newest first</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Document</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Tags</Table.Th>
            <Table.Th scope="col">Type</Table.Th>
            <Table.Th scope="col">Uploaded</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {documents.map((document) => (
            <Table.Tr key={document.id}>
              <Table.Td maw={320}>
                <Stack gap={2}>
                  <AnchorLink
                    to="/w/$workspaceId/knowledge/$documentId"
                    params={{ workspaceId, documentId: document.id }}
                    fw={600}
                    style={{ overflowWrap: "anywhere" }}
                  >
                    {document.title}
                  </AnchorLink>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
                    {document.filename} · {formatBytes(document.size_bytes)}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td maw={260}>
                <Stack gap={4} align="flex-start">
                  <DocumentStatusBadge status={document.status} />
                  {document.status === "failed" && document.failure_reason && (
                    <Text size="xs" c="red.8">
                      {document.failure_reason}
                    </Text>
                  )}
                  {document.status === "indexed" && (
                    <Text size="xs" c="dimmed">
                      {document.chunk_count} {document.chunk_count === 1 ? "passage" : "passages"}
                      {document.page_count ? `, ${document.page_count} pages` : ""}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>
                <TagList tags={document.tags} />
              </Table.Td>
              <Table.Td>{DOCUMENT_TYPE_LABELS[document.document_type]}</Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(document.created_at)}</Text>
              </Table.Td>
              <Table.Td>
                <DocumentActions workspaceId={workspaceId} document={document} canWrite={canWrite} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function TagList({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        No tags
      </Text>
    );
  }
  return (
    <Group gap={4} component="ul" aria-label="Tags" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {tags.map((tag) => (
        <li key={tag}>
          <Badge variant="light" color="gray" size="sm" tt="none">
            {tag}
          </Badge>
        </li>
      ))}
    </Group>
  );
}
