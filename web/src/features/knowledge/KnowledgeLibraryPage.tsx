import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useRouterState } from "@tanstack/react-router";

import { CursorPager } from "../../components/CursorPager";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { usePermissions } from "../workspaces/queries";
import { DocumentTable } from "./DocumentTable";
import { KnowledgeTabs } from "./KnowledgeTabs";
import { LibraryFilters } from "./LibraryFilters";
import { type DocumentFilters, documentListQuery } from "./queries";
import type { LibrarySearch } from "./search";
import { UploadPanel } from "./UploadPanel";

const route = getRouteApi("/authed/w/$workspaceId/knowledge");
const NO_TRAIL: readonly string[] = [];

export const libraryFilters = (search: LibrarySearch): DocumentFilters => ({
  status: search.status,
  document_type: search.type,
  tag: search.tag,
  q: search.q,
});

/** The workspace's documents: upload, watch them being indexed, tag, re-ingest, delete. */
export function KnowledgeLibraryPage() {
  const { workspaceId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { can } = usePermissions(workspaceId);
  const canWrite = can("knowledge:write");

  // A filter change starts again at the first page.
  const changeSearch = (patch: Partial<LibrarySearch>) =>
    void navigate({ search: (previous) => ({ ...previous, ...patch, cursor: undefined }), replace: true });

  return (
    <>
      <PageHeader
        title="Knowledge"
        description="Brand guides, product sheets and research that drafts are grounded in, with citations."
      />
      <KnowledgeTabs workspaceId={workspaceId} current="library" />
      {canWrite && <UploadPanel workspaceId={workspaceId} />}
      <LibraryFilters search={search} onChange={changeSearch} />
      <DocumentList workspaceId={workspaceId} search={search} canWrite={canWrite} />
    </>
  );
}

function DocumentList({ workspaceId, search, canWrite }: { workspaceId: string; search: LibrarySearch; canWrite: boolean }) {
  const filters = libraryFilters(search);
  const query = useQuery(documentListQuery(workspaceId, filters, search.cursor));
  const navigate = route.useNavigate();
  const trail = useRouterState({ select: (state) => state.location.state.cursorTrail }) ?? NO_TRAIL;
  const filtered = Boolean(filters.status || filters.document_type || filters.tag?.length || filters.q);

  return (
    <QueryState
      query={query}
      loadingLabel="Loading documents"
      isEmpty={(page) => page.items.length === 0 && search.cursor === undefined}
      empty={
        filtered
          ? { title: "No documents match", description: "Try another name, status, type or tag." }
          : {
              title: "No documents yet",
              description: canWrite
                ? "Upload brand guides, product sheets or research above; they are indexed for search within a minute."
                : "Nobody has added documents to this workspace yet.",
            }
      }
    >
      {(page) => (
        <>
          <DocumentTable workspaceId={workspaceId} documents={page.items} canWrite={canWrite} />
          <CursorPager
            noun="documents"
            cursor={search.cursor}
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
