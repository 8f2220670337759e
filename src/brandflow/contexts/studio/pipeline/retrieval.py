"""Retrieval: the knowledge chunks a generation writes from, with their scores.

The query is what the copy is about: the brief and the request for a generation, the text
being rewritten for a rewrite. Hybrid search; when the embedding provider is down the job
goes on with full-text search rather than failing (grounding is degraded, not lost).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.knowledge.public import (
    Embedder,
    SearchMode,
    SearchRequest,
    SearchResult,
    search_knowledge,
)
from brandflow.kernel.errors import ServiceUnavailable

TOP_K = 6
MAX_QUERY_CHARS = 1000  # the search's own limit


@dataclass(frozen=True, slots=True)
class Retrieved:
    citation_id: str  # K1, K2...: how the prompt and the copy cite it
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    title: str
    text: str
    score: float
    lexical_rank: int | None
    vector_rank: int | None
    vector_similarity: float | None
    page: int | None
    start_offset: int
    end_offset: int

    def ref(self) -> dict[str, object]:
        """As provenance records it (without the text, which the knowledge base keeps)."""
        return {
            "citation_id": self.citation_id,
            "chunk_id": str(self.chunk_id),
            "document_id": str(self.document_id),
            "title": self.title,
            "score": self.score,
            "lexical_rank": self.lexical_rank,
            "vector_rank": self.vector_rank,
            "vector_similarity": self.vector_similarity,
            "page": self.page,
            "start_offset": self.start_offset,
            "end_offset": self.end_offset,
        }


def query_of(parts: list[str]) -> str:
    """The parts, joined and cut to what the search accepts, at a word boundary."""
    query = " ".join(" ".join(p.split()) for p in parts if p and p.strip())
    if len(query) <= MAX_QUERY_CHARS:
        return query
    return query[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]


async def retrieve(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    embedder: Embedder,
    query: str,
    *,
    k: int = TOP_K,
) -> list[Retrieved]:
    if not query.strip():
        return []
    request = SearchRequest(query=query, limit=k)
    try:
        found = await search_knowledge(session, workspace_id, embedder, request)
    except ServiceUnavailable:
        lexical = request.model_copy(update={"mode": SearchMode.LEXICAL})
        found = await search_knowledge(session, workspace_id, embedder, lexical)
    return [_retrieved(index, result) for index, result in enumerate(found.results, start=1)]


def _retrieved(index: int, result: SearchResult) -> Retrieved:
    scores = result.scores
    return Retrieved(
        citation_id=f"K{index}",
        chunk_id=result.chunk_id,
        document_id=result.document.id,
        title=result.document.title,
        text=result.text,
        score=scores.fused,
        lexical_rank=scores.lexical_rank,
        vector_rank=scores.vector_rank,
        vector_similarity=scores.vector_similarity,
        page=result.page,
        start_offset=result.start_offset,
        end_offset=result.end_offset,
    )
