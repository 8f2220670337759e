import { Badge, Button, Group, Paper, ScrollArea, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useId } from "react";

import { CAMPAIGN_STATUS_LABELS, CHANNEL_LABELS } from "../../api/labels";
import { campaignStatusValues } from "../../api/schema.gen";
import type { CampaignStatus } from "../../api/types";
import { AnchorLink } from "../../components/links";
import { QueryState } from "../../components/QueryState";
import { formatDateRange } from "../../lib/format";
import { type CampaignFilters, campaignColumnQuery } from "./queries";

export interface CampaignBoardProps {
  workspaceId: string;
  filters: Omit<CampaignFilters, "status">;
}

/** Campaigns by status, one column per status of the contract's CampaignStatus. */
export function CampaignBoard({ workspaceId, filters }: CampaignBoardProps) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: campaignStatusValues.length }} spacing="md">
      {campaignStatusValues.map((status) => (
        <BoardColumn key={status} workspaceId={workspaceId} status={status} filters={filters} />
      ))}
    </SimpleGrid>
  );
}

function BoardColumn({ workspaceId, status, filters }: CampaignBoardProps & { status: CampaignStatus }) {
  const query = useInfiniteQuery(campaignColumnQuery(workspaceId, status, filters));
  const headingId = useId();
  const campaigns = query.data?.pages.flatMap((page) => page.items) ?? [];
  const label = CAMPAIGN_STATUS_LABELS[status];
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder p="sm" radius="md" bg="var(--mantine-color-gray-0)">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5" id={headingId}>
          {label}
        </Title>
        {query.data && (
          <Badge variant="light" color="gray" aria-label={`${campaigns.length}${query.hasNextPage ? " or more" : ""} campaigns`}>
            {campaigns.length}
            {query.hasNextPage ? "+" : ""}
          </Badge>
        )}
      </Group>
      <QueryState
        query={query}
        loadingLabel={`Loading ${label.toLowerCase()} campaigns`}
        isEmpty={() => campaigns.length === 0}
        empty={{ title: `No ${label.toLowerCase()} campaigns` }}
      >
        {() => (
          <ScrollArea.Autosize mah={640} type="auto">
            <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {campaigns.map((campaign) => (
                <Paper component="li" key={campaign.id} withBorder p="sm" radius="sm">
                  <AnchorLink
                    to="/w/$workspaceId/campaigns/$campaignId"
                    params={{ workspaceId, campaignId: campaign.id }}
                    fw={600}
                  >
                    {campaign.name}
                  </AnchorLink>
                  <Text size="xs" c="dimmed">
                    {formatDateRange(campaign.start_date, campaign.end_date)}
                  </Text>
                  {campaign.channels.length > 0 && (
                    <Text size="xs">{campaign.channels.map((channel) => CHANNEL_LABELS[channel]).join(", ")}</Text>
                  )}
                </Paper>
              ))}
            </Stack>
            {query.hasNextPage && (
              <Button
                variant="subtle"
                size="xs"
                fullWidth
                mt="xs"
                onClick={() => void query.fetchNextPage()}
                loading={query.isFetchingNextPage}
              >
                Load more {label.toLowerCase()}
              </Button>
            )}
          </ScrollArea.Autosize>
        )}
      </QueryState>
    </Paper>
  );
}
