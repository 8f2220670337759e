import { Badge, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import type { CSSProperties } from "react";

import type { DiffLine, FieldDiff, Segment } from "./diff-model";

// Not colour alone: struck through and underlined too, and announced as "removed"/"added".
const REMOVED: CSSProperties = {
  background: "var(--mantine-color-red-light)",
  textDecoration: "line-through",
  textDecorationThickness: 2,
};
const ADDED: CSSProperties = {
  background: "var(--mantine-color-green-light)",
  textDecoration: "underline",
  textDecorationThickness: 2,
};

const KIND_LABELS: Record<FieldDiff["kind"], string> = { added: "added", removed: "removed", changed: "changed" };

function Words({ segment }: { segment: Segment }) {
  if (segment.kind === "removed") {
    return (
      <del style={REMOVED}>
        <VisuallyHidden>removed: </VisuallyHidden>
        {segment.text}
      </del>
    );
  }
  if (segment.kind === "added") {
    return (
      <ins style={ADDED}>
        <VisuallyHidden>added: </VisuallyHidden>
        {segment.text}
      </ins>
    );
  }
  return <span>{segment.text}</span>;
}

function Side({ lines }: { lines: readonly DiffLine[] }) {
  if (lines.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        (empty)
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {lines.map((line, index) => (
        <div key={index}>
          {line.label && (
            <Text size="xs" c="dimmed" fw={600}>
              {line.label}
            </Text>
          )}
          <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {line.segments.map((segment, at) => (
              <Words key={at} segment={segment} />
            ))}
          </Text>
        </div>
      ))}
    </Stack>
  );
}

export interface VersionDiffTableProps {
  from: number;
  to: number;
  fields: readonly FieldDiff[];
}

/** The changed fields side by side: version `from` on the left, version `to` on the right. */
export function VersionDiffTable({ from, to, fields }: VersionDiffTableProps) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table withTableBorder withColumnBorders verticalSpacing="sm" captionSide="top" layout="fixed">
        <Table.Caption>
          What changed from version {from} to version {to}; fields not listed are the same in both.
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="18%">
              Field
            </Table.Th>
            <Table.Th scope="col">Version {from}</Table.Th>
            <Table.Th scope="col">Version {to}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((field) => (
            <Table.Tr key={field.field}>
              <Table.Th scope="row" style={{ verticalAlign: "top" }}>
                <Stack gap={4} align="flex-start">
                  <span>{field.label}</span>
                  <Badge size="xs" variant="outline" color="gray">
                    {KIND_LABELS[field.kind]}
                  </Badge>
                </Stack>
              </Table.Th>
              <Table.Td style={{ verticalAlign: "top" }}>
                <Side lines={field.before} />
              </Table.Td>
              <Table.Td style={{ verticalAlign: "top" }}>
                <Side lines={field.after} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
