import { Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";

import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { CitationList } from "./CitationList";
import { KnowledgeTabs } from "./KnowledgeTabs";
import { SEARCH_MODE_LABELS } from "./labels";
import { SEARCH_LIMIT, knowledgeSearchQuery } from "./queries";
import type { KnowledgeSearch } from "./search";
import { SearchForm } from "./SearchForm";
import type { SearchRequest } from "./types";

const route = getRouteApi("/authed/w/$workspaceId/knowledge/search");

export function toSearchRequest(search: KnowledgeSearch & { q: string }): SearchRequest {
  return {
    query: search.q,
    mode: search.mode ?? "hybrid",
    limit: SEARCH_LIMIT,
    filters: {
      tags: search.tag?.length ? search.tag : null,
      document_types: search.type?.length ? search.type : null,
    },
  };
}

/** Search the indexed passages; every result is a citation of where it was found. */
export function KnowledgeSearchPage() {
  const { workspaceId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const q = search.q?.trim();

  return (
    <>
      <PageHeader title="Search knowledge" description="Find passages in the workspace's indexed documents, with where each one comes from." />
      <KnowledgeTabs workspaceId={workspaceId} current="search" />
      {/* Keyed by the URL: back and forward put the form in step with the results. */}
      <SearchForm key={JSON.stringify(search)} search={search} onSearch={(next) => void navigate({ search: next })} />
      {q ? (
        <Results workspaceId={workspaceId} request={toSearchRequest({ ...search, q })} />
      ) : (
        <Text c="dimmed" size="sm">
          Results appear here as citations: the document, the page or characters, and the passage with your words marked.
        </Text>
      )}
    </>
  );
}

function Results({ workspaceId, request }: { workspaceId: string; request: SearchRequest }) {
  const query = useQuery(knowledgeSearchQuery(workspaceId, request));
  return (
    <section aria-labelledby="search-results-heading" aria-busy={query.isFetching}>
      <Title order={2} size="h4" id="search-results-heading" mb="xs">
        Results
      </Title>
      <QueryState
        query={query}
        loadingLabel="Searching"
        errorTitle="The search failed"
        isEmpty={(response) => response.results.length === 0}
        empty={{
          title: "No passages found",
          description: "Try other words, another match mode, or fewer filters. Documents still being indexed are not searched yet.",
        }}
      >
        {(response) => (
          <>
            <Text size="sm" c="dimmed" mb="sm" role="status">
              {response.results.length} {response.results.length === 1 ? "passage" : "passages"} for “{response.query}”,{" "}
              {SEARCH_MODE_LABELS[response.mode].toLowerCase()} match
              {response.embedding_model ? ` (${response.embedding_model})` : ""}
            </Text>
            <CitationList workspaceId={workspaceId} results={response.results} />
          </>
        )}
      </QueryState>
    </section>
  );
}
