import { Group, Table, Text, VisuallyHidden } from "@mantine/core";

import { CHANNEL_LABELS } from "../../api/labels";
import type { Campaign } from "../../api/types";
import { AnchorLink } from "../../components/links";
import { formatDateRange, formatDateTime } from "../../lib/format";
import { CampaignStatusBadge } from "./CampaignStatusBadge";

export function CampaignTable({ workspaceId, campaigns }: { workspaceId: string; campaigns: readonly Campaign[] }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover verticalSpacing="sm">
        <VisuallyHidden component="caption">Campaigns</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Channels</Table.Th>
            <Table.Th scope="col">Dates</Table.Th>
            <Table.Th scope="col">Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {campaigns.map((campaign) => (
            <Table.Tr key={campaign.id}>
              <Table.Td>
                <AnchorLink
                  to="/w/$workspaceId/campaigns/$campaignId"
                  params={{ workspaceId, campaignId: campaign.id }}
                  fw={600}
                >
                  {campaign.name}
                </AnchorLink>
              </Table.Td>
              <Table.Td>
                <CampaignStatusBadge status={campaign.status} />
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Text size="sm">{campaign.channels.map((channel) => CHANNEL_LABELS[channel]).join(", ") || "—"}</Text>
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateRange(campaign.start_date, campaign.end_date)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(campaign.updated_at)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
