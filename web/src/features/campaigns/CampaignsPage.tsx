import { Button } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useRouterState } from "@tanstack/react-router";

import { CursorPager } from "../../components/CursorPager";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { usePermissions } from "../workspaces/queries";
import { CampaignBoard } from "./CampaignBoard";
import { CampaignFilters } from "./CampaignFilters";
import { CampaignTable } from "./CampaignTable";
import { CreateCampaignModal } from "./CreateCampaignModal";
import { campaignPageQuery } from "./queries";
import type { CampaignSearch } from "./search";

const route = getRouteApi("/authed/w/$workspaceId/campaigns");
const NO_TRAIL: readonly string[] = [];

export function CampaignsPage() {
  const { workspaceId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { can } = usePermissions(workspaceId);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const canWrite = can("campaigns:write");

  // A filter change starts again at the first page.
  const changeSearch = (patch: Partial<CampaignSearch>) =>
    void navigate({ search: (previous) => ({ ...previous, ...patch, cursor: undefined }), replace: true });

  const newCampaign = canWrite ? <Button onClick={openCreate}>New campaign</Button> : null;
  const filters = { status: search.status, channel: search.channel, q: search.q };

  return (
    <>
      <PageHeader title="Campaigns" actions={newCampaign} />
      <CampaignFilters search={search} onChange={changeSearch} />
      {search.view === "board" ? (
        <CampaignBoard workspaceId={workspaceId} filters={{ channel: search.channel, q: search.q }} />
      ) : (
        <CampaignList workspaceId={workspaceId} filters={filters} cursor={search.cursor} emptyAction={newCampaign} />
      )}
      {canWrite && <CreateCampaignModal workspaceId={workspaceId} opened={creating} onClose={closeCreate} />}
    </>
  );
}

interface CampaignListProps {
  workspaceId: string;
  filters: { status?: CampaignSearch["status"]; channel?: CampaignSearch["channel"]; q?: string };
  cursor: string | undefined;
  emptyAction: React.ReactNode;
}

function CampaignList({ workspaceId, filters, cursor, emptyAction }: CampaignListProps) {
  const query = useQuery(campaignPageQuery(workspaceId, filters, cursor));
  const navigate = route.useNavigate();
  const trail = useRouterState({ select: (state) => state.location.state.cursorTrail }) ?? NO_TRAIL;
  const filtered = Boolean(filters.status || filters.channel || filters.q);

  return (
    <QueryState
      query={query}
      loadingLabel="Loading campaigns"
      isEmpty={(page) => page.items.length === 0 && cursor === undefined}
      empty={
        filtered
          ? { title: "No campaigns match", description: "Try another search, status or channel." }
          : { title: "No campaigns yet", description: "A campaign holds a brief and its content.", action: emptyAction }
      }
    >
      {(page) => (
        <>
          <CampaignTable workspaceId={workspaceId} campaigns={page.items} />
          <CursorPager
            noun="campaigns"
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
