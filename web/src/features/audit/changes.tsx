import { Table } from "@mantine/core";

import type { AuditEvent } from "../../api/types";

export interface ChangeRow {
  field: string;
  before: string;
  after: string;
}

/** A value from `changes`, as text: "—" for none, JSON for anything that is not a string. */
export function formatChangeValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** `changes` is `field -> [before, after]`; anything else is shown as the "after" value. */
export function changeRows(changes: AuditEvent["changes"]): ChangeRow[] {
  return Object.entries(changes).map(([field, change]) => {
    const pair: readonly unknown[] | null = Array.isArray(change) && change.length === 2 ? (change as unknown[]) : null;
    return pair
      ? { field, before: formatChangeValue(pair[0]), after: formatChangeValue(pair[1]) }
      : { field, before: "—", after: formatChangeValue(change) };
  });
}

/** An event's before/after summary, one row per changed field. */
export function ChangesTable({ rows, caption }: { rows: readonly ChangeRow[]; caption: string }) {
  return (
    <Table withTableBorder verticalSpacing={4} fz="sm" captionSide="top">
      <Table.Caption style={{ textAlign: "start" }}>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col" w="20%">
            Field
          </Table.Th>
          <Table.Th scope="col" w="40%">
            Before
          </Table.Th>
          <Table.Th scope="col" w="40%">
            After
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.field}>
            <Table.Th scope="row">{row.field}</Table.Th>
            <Table.Td style={{ wordBreak: "break-word", whiteSpace: "pre-wrap" }}>{row.before}</Table.Td>
            <Table.Td style={{ wordBreak: "break-word", whiteSpace: "pre-wrap" }}>{row.after}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
