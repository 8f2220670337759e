import { Button, Code, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { Fragment, useId, useState } from "react";

import type { AuditEvent } from "../../api/types";
import { AnchorLink } from "../../components/links";
import { formatDateTime } from "../../lib/format";
import { ChangesTable, changeRows } from "./changes";

const COLUMNS = 6;

export interface AuditTableProps {
  workspaceId: string;
  events: readonly AuditEvent[];
  actorName: (actor: AuditEvent["actor"]) => string;
}

/** The events, newest first; each event's changes open in a full-width row beneath it. */
export function AuditTable({ workspaceId, events, actorName }: AuditTableProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const idPrefix = useId();
  const toggle = (eventId: string) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (!next.delete(eventId)) next.add(eventId);
      return next;
    });

  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="sm" style={{ verticalAlign: "top" }}>
        <VisuallyHidden component="caption">Audit events, newest first</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Actor</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Object</Table.Th>
            <Table.Th scope="col">Request id</Table.Th>
            <Table.Th scope="col">Changes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => {
            const rows = changeRows(event.changes);
            const open = expanded.has(event.id);
            const detailsId = `${idPrefix}-${event.id}`;
            const fields = rows.map((row) => row.field).join(", ");
            return (
              <Fragment key={event.id}>
                <Table.Tr>
                  <Table.Td>
                    <Text size="sm" component="time" dateTime={event.occurred_at} style={{ whiteSpace: "nowrap" }}>
                      {formatDateTime(event.occurred_at)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{actorName(event.actor)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{event.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    <ObjectCell workspaceId={workspaceId} event={event} />
                  </Table.Td>
                  <Table.Td>{event.request_id ? <Code fz="xs">{event.request_id}</Code> : <Text size="sm">—</Text>}</Table.Td>
                  <Table.Td>
                    {rows.length === 0 ? (
                      <Text size="sm">—</Text>
                    ) : (
                      <Button
                        variant="subtle"
                        size="compact-sm"
                        aria-expanded={open}
                        aria-controls={open ? detailsId : undefined}
                        onClick={() => toggle(event.id)}
                        styles={{ label: { whiteSpace: "normal", textAlign: "start", lineHeight: 1.4 } }}
                        py={2}
                        h="auto"
                      >
                        <span aria-hidden="true" style={{ marginInlineEnd: 4 }}>
                          {open ? "▾" : "▸"}
                        </span>
                        Changed: {fields}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
                {open && (
                  <Table.Tr id={detailsId}>
                    <Table.Td colSpan={COLUMNS} bg="var(--mantine-color-gray-0)">
                      <ChangesTable rows={rows} caption={`Changes of ${event.action}, ${formatDateTime(event.occurred_at)}`} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The object's type and id; a campaign's id links to its page. */
function ObjectCell({ workspaceId, event }: { workspaceId: string; event: AuditEvent }) {
  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm">{event.object_type}</Text>
      {event.object_type === "campaign" ? (
        <AnchorLink
          to="/w/$workspaceId/campaigns/$campaignId"
          params={{ workspaceId, campaignId: event.object_id }}
          size="xs"
          ff="monospace"
        >
          {event.object_id}
        </AnchorLink>
      ) : (
        <Code fz="xs">{event.object_id}</Code>
      )}
    </Stack>
  );
}
