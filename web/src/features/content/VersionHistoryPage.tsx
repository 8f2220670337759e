import { Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useRouterState } from "@tanstack/react-router";
import { useRef } from "react";

import { CursorPager } from "../../components/CursorPager";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { campaignQuery } from "../campaigns/queries";
import { ContentBreadcrumbs } from "./ContentBreadcrumbs";
import { VersionCompare } from "./VersionCompare";
import { VersionTable } from "./VersionTable";
import { type ContentScope, contentQuery, versionListQuery } from "./queries";
import { useAuthorName } from "./use-author-name";

const route = getRouteApi("/authed/w/$workspaceId/campaigns/$campaignId/contents/$contentId/versions");
const NO_TRAIL: readonly string[] = [];

/** Every version of one content item, and what changed between any two of them. */
export function VersionHistoryPage() {
  const { workspaceId, campaignId, contentId } = route.useParams();
  const scope = { workspaceId, campaignId };
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(contentQuery(scope, contentId));
  const campaign = useQuery(campaignQuery(workspaceId, campaignId)).data?.data;
  const item = query.data?.data;
  const differences = useRef<HTMLDivElement>(null);

  const compare = (versions: { from: number; to: number }) =>
    navigate({ search: (previous) => ({ ...previous, ...versions }), replace: true });
  const compareWithPrevious = (number: number) =>
    void compare({ from: number - 1, to: number }).then(() => differences.current?.focus());

  return (
    <>
      <PageHeader
        title="Version history"
        documentTitle={item ? `History of ${item.title}` : "Version history"}
        breadcrumbs={
          <ContentBreadcrumbs
            scope={scope}
            campaignName={campaign?.name}
            item={{ id: contentId, title: item?.title }}
            current="Version history"
          />
        }
      />
      <QueryState query={query} loadingLabel="Loading the content">
        {({ data }) => {
          // By default: what the current version changed.
          const to = search.to ?? data.current_version;
          const from = search.from ?? Math.max(1, to - 1);
          return (
            <>
              <VersionCompare
                scope={scope}
                contentId={contentId}
                channel={data.channel}
                currentVersion={data.current_version}
                from={from}
                to={to}
                onChange={(versions) => void compare(versions)}
                regionRef={differences}
              />
              <Title order={2} size="h4" mb="sm">
                All versions
              </Title>
              <VersionList
                scope={scope}
                contentId={contentId}
                currentVersion={data.current_version}
                cursor={search.cursor}
                onCompareWithPrevious={compareWithPrevious}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}

interface VersionListProps {
  scope: ContentScope;
  contentId: string;
  currentVersion: number;
  cursor: string | undefined;
  onCompareWithPrevious: (number: number) => void;
}

function VersionList({ scope, contentId, currentVersion, cursor, onCompareWithPrevious }: VersionListProps) {
  const query = useQuery(versionListQuery(scope, contentId, cursor));
  const navigate = route.useNavigate();
  const trail = useRouterState({ select: (state) => state.location.state.cursorTrail }) ?? NO_TRAIL;
  const authorName = useAuthorName(scope.workspaceId);

  return (
    <QueryState
      query={query}
      loadingLabel="Loading versions"
      isEmpty={(page) => page.items.length === 0 && cursor === undefined}
      empty={{ title: "No versions yet" }}
    >
      {(page) => (
        <>
          <VersionTable
            versions={page.items}
            currentVersion={currentVersion}
            authorName={authorName}
            onCompareWithPrevious={onCompareWithPrevious}
          />
          <CursorPager
            noun="versions"
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
