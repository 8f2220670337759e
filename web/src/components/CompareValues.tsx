import { Badge, Table, Text } from "@mantine/core";

export interface CompareRow {
  label: string;
  mine: string;
  saved: string;
}

export interface CompareValuesProps {
  rows: readonly CompareRow[];
  caption?: string;
}

/** The person's unsaved values next to the saved ones, after a 412; differing rows are marked. */
export function CompareValues({ rows, caption = "Your values next to the saved ones" }: CompareValuesProps) {
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table withTableBorder withColumnBorders verticalSpacing="xs" captionSide="top">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Field</Table.Th>
            <Table.Th scope="col">Yours</Table.Th>
            <Table.Th scope="col">Saved now</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const differs = row.mine !== row.saved;
            return (
              <Table.Tr key={row.label} bg={differs ? "var(--mantine-color-yellow-light)" : undefined}>
                <Table.Th scope="row">
                  {row.label}{" "}
                  {differs && (
                    <Badge size="xs" color="dark" variant="filled" ml={4}>
                      differs
                    </Badge>
                  )}
                </Table.Th>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                    {row.mine || "—"}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                    {row.saved || "—"}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
