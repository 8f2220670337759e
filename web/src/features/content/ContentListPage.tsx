import { Button, Group, NativeSelect } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useRouterState } from "@tanstack/react-router";
import type { ReactNode } from "react";

import { CHANNEL_LABELS } from "../../api/labels";
import { channelValues } from "../../api/schema.gen";
import type { Channel } from "../../api/types";
import { CursorPager } from "../../components/CursorPager";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { campaignQuery } from "../campaigns/queries";
import { usePermissions } from "../workspaces/queries";
import { ContentBreadcrumbs } from "./ContentBreadcrumbs";
import { ContentTable } from "./ContentTable";
import { CreateContentModal } from "./CreateContentModal";
import { type ContentScope, contentListQuery } from "./queries";

const route = getRouteApi("/authed/w/$workspaceId/campaigns/$campaignId/contents");
const NO_TRAIL: readonly string[] = [];

/** The content items of one campaign, newest first. */
export function ContentListPage() {
  const { workspaceId, campaignId } = route.useParams();
  const scope = { workspaceId, campaignId };
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const campaign = useQuery(campaignQuery(workspaceId, campaignId)).data?.data;
  const { can } = usePermissions(workspaceId);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  // An archived campaign's content cannot change (the API answers 409).
  const canCreate = can("content:write") && campaign !== undefined && campaign.status !== "archived";
  const newContent = canCreate ? <Button onClick={openCreate}>New content</Button> : null;

  return (
    <>
      <PageHeader
        title="Content"
        documentTitle={campaign ? `Content of ${campaign.name}` : "Content"}
        description={campaign && `Written for the campaign “${campaign.name}”.`}
        breadcrumbs={<ContentBreadcrumbs scope={scope} campaignName={campaign?.name} current="Content" isList />}
        actions={newContent}
      />
      <Group mb="md" role="search" aria-label="Filter content">
        <NativeSelect
          label="Channel"
          data={[{ value: "", label: "Any channel" }, ...channelValues.map((value) => ({ value, label: CHANNEL_LABELS[value] }))]}
          value={search.channel ?? ""}
          onChange={(event) => {
            const channel = (event.currentTarget.value || undefined) as Channel | undefined;
            void navigate({ search: { channel }, replace: true });
          }}
          w={{ base: "100%", sm: 220 }}
        />
      </Group>
      <ContentList scope={scope} channel={search.channel} cursor={search.cursor} emptyAction={newContent} />
      {canCreate && <CreateContentModal scope={scope} channels={campaign.channels} opened={creating} onClose={closeCreate} />}
    </>
  );
}

interface ContentListProps {
  scope: ContentScope;
  channel: Channel | undefined;
  cursor: string | undefined;
  emptyAction: ReactNode;
}

function ContentList({ scope, channel, cursor, emptyAction }: ContentListProps) {
  const query = useQuery(contentListQuery(scope, { channel }, cursor));
  const navigate = route.useNavigate();
  const trail = useRouterState({ select: (state) => state.location.state.cursorTrail }) ?? NO_TRAIL;

  return (
    <QueryState
      query={query}
      loadingLabel="Loading content"
      isEmpty={(page) => page.items.length === 0 && cursor === undefined}
      empty={
        channel
          ? { title: "No content for this channel", description: `Nothing has been written for ${CHANNEL_LABELS[channel]} yet.` }
          : {
              title: "No content yet",
              description: "Posts, emails, ads and pages written for this campaign’s channels appear here.",
              action: emptyAction,
            }
      }
    >
      {(page) => (
        <>
          <ContentTable scope={scope} items={page.items} />
          <CursorPager
            noun="content"
            cursor={cursor}
            nextCursor={page.next_cursor}
            trail={trail}
            busy={query.isPlaceholderData}
            onNavigate={(next, nextTrail) =>
              void navigate({ search: (previous) => ({ ...previous, cursor: next }), state: { cursorTrail: nextTrail } })
            }
          />
        </>
      )}
    </QueryState>
  );
}
