import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useRouterState } from "@tanstack/react-router";

import { CursorPager } from "../../components/CursorPager";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { useActorDirectory } from "./actors";
import { AuditFilters } from "./AuditFilters";
import { AuditTable } from "./AuditTable";
import { hasFilters, toFilterValues } from "./filters";
import { auditEventsQuery } from "./queries";
import type { AuditSearch } from "./search";

const route = getRouteApi("/authed/w/$workspaceId/audit");
const NO_TRAIL: readonly string[] = [];

/** Who changed what in the workspace, newest first, filtered through the URL. */
export function AuditLogPage() {
  const { workspaceId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(auditEventsQuery(workspaceId, search));
  const actors = useActorDirectory(workspaceId);
  const trail = useRouterState({ select: (state) => state.location.state.cursorTrail }) ?? NO_TRAIL;

  const applyFilters = (next: AuditSearch) => void navigate({ search: next });

  return (
    <>
      <PageHeader title="Audit log" description="Who changed what in this workspace, newest first." />
      <AuditFilters
        key={JSON.stringify(toFilterValues(search))}
        search={search}
        members={actors.members}
        apiKeys={actors.apiKeys}
        onApply={applyFilters}
      />
      <QueryState
        query={query}
        loadingLabel="Loading the audit log"
        isEmpty={(page) => page.items.length === 0 && search.cursor === undefined}
        empty={
          hasFilters(search)
            ? { title: "No events match these filters", description: "Widen the dates or clear a filter." }
            : { title: "Nothing recorded yet", description: "Changes to campaigns, content, members and keys appear here." }
        }
      >
        {(page) => (
          <>
            <AuditTable workspaceId={workspaceId} events={page.items} actorName={actors.nameOf} />
            <CursorPager
              noun="audit events"
              cursor={search.cursor}
              nextCursor={page.next_cursor}
              trail={trail}
              busy={query.isPlaceholderData}
              onNavigate={(cursor, cursorTrail) =>
                void navigate({ search: (previous) => ({ ...previous, cursor }), state: { cursorTrail } })
              }
            />
          </>
        )}
      </QueryState>
    </>
  );
}
