import { Table, Text, VisuallyHidden } from "@mantine/core";

import { CHANNEL_LABELS } from "../../api/labels";
import type { Content } from "../../api/types";
import { AnchorLink } from "../../components/links";
import { formatDateTime } from "../../lib/format";
import type { ContentScope } from "./queries";

export function ContentTable({ scope: { workspaceId, campaignId }, items }: { scope: ContentScope; items: readonly Content[] }) {
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table highlightOnHover verticalSpacing="sm">
        <VisuallyHidden component="caption">Content items</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Title</Table.Th>
            <Table.Th scope="col">Channel</Table.Th>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td>
                <AnchorLink
                  to="/w/$workspaceId/campaigns/$campaignId/contents/$contentId"
                  params={{ workspaceId, campaignId, contentId: item.id }}
                  fw={600}
                >
                  {item.title}
                </AnchorLink>
              </Table.Td>
              <Table.Td>{CHANNEL_LABELS[item.channel]}</Table.Td>
              <Table.Td>{item.current_version}</Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(item.updated_at)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
