import { Badge, Button, Table, Text, VisuallyHidden } from "@mantine/core";

import type { Version } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import type { Author } from "./use-author-name";

export interface VersionTableProps {
  versions: readonly Version[];
  currentVersion: number;
  authorName: (author: Author) => string;
  /** Show what version `number` changed from the one before it. */
  onCompareWithPrevious: (number: number) => void;
}

export function VersionTable({ versions, currentVersion, authorName, onCompareWithPrevious }: VersionTableProps) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" highlightOnHover>
        <VisuallyHidden component="caption">Versions, newest first</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Author</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((version) => (
            <Table.Tr key={version.number}>
              <Table.Th scope="row" fw={600}>
                {version.number}{" "}
                {version.number === currentVersion && (
                  <Badge size="xs" variant="light" ml={4}>
                    current
                  </Badge>
                )}
              </Table.Th>
              <Table.Td>
                <Text size="sm">{formatDateTime(version.created_at)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{authorName(version.author)}</Text>
              </Table.Td>
              <Table.Td>
                {version.number > 1 && (
                  <Button size="compact-sm" variant="subtle" onClick={() => onCompareWithPrevious(version.number)}>
                    Show changes in version {version.number}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
