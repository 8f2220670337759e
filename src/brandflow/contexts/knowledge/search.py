"""Hybrid search over a workspace's indexed chunks: full-text, vector, and their RRF fusion.

This is the search side's repository: every query of it is built here, always scoped to one
workspace on both the chunks and their documents. One statement answers a search: the two
candidate lists (CTEs), their fusion, and the final rows with their snippets.

- Lexical: the query's lexemes ORed (a long natural-language query must not need every term),
  ranked by ``ts_rank(search_vector, query, 1)``. On NFCorpus (3,633 abstracts, 323 test
  queries) that ranked best of ts_rank and ts_rank_cd with normalizations 0-32: nDCG@10 0.304
  (ts_rank_cd at best 0.246).
- Vector: cosine distance on ``embedding::vector(<dimension>)`` with the partial HNSW index of
  that dimension, iterative scan on, so workspace and filter conditions do not starve it.
- Fusion: Reciprocal Rank Fusion, sum of 1 / (k + rank) over the lists a chunk is in.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    CTE,
    ColumnElement,
    Double,
    Float,
    Integer,
    Row,
    Select,
    Text,
    TextClause,
    and_,
    bindparam,
    cast,
    column,
    func,
    literal,
    literal_column,
    null,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, REGCONFIG, TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import Grouping

from brandflow.contexts.knowledge.domain import DocumentStatus
from brandflow.contexts.knowledge.orm import TEXT_SEARCH_CONFIG, KnowledgeChunk, KnowledgeDocument
from brandflow.contexts.knowledge.schemas import (
    CitedDocument,
    Highlight,
    SearchFilters,
    SearchMode,
    SearchRequest,
    SearchResult,
    SearchScores,
)

# The usual RRF constant (Cormack et al. 2009): damps the weight of the very first ranks.
RRF_K = 60
# Each side contributes at least this many candidates, so recall@100 can be measured.
MIN_CANDIDATES = 100
# HNSW candidate list per scan step; iterative scan goes on past it while rows are filtered out.
HNSW_EF_SEARCH = 200
# ts_rank normalization 1: divide by 1 + log(document length). Best on NFCorpus (see above).
LEXICAL_NORMALIZATION = 1
# About the most rows full text ranks (see _CANDIDATE_TSQUERY).
LEXICAL_ROW_BUDGET = 5000
# pgvector's largest vector.
MAX_DIMENSION = 16_000

# Markers around matched words in ts_headline's output. Parsed text holds no control
# characters (parsing.py strips them), so these cannot come from a document.
_START, _STOP = "\x02", "\x03"
# ts_headline's densest cover of the query's words, ~30 words; the chunk's beginning when no
# word matches.
HEADLINE_OPTIONS = f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=25, ShortWord=3"
_ELLIPSIS = "…"
_MARKERS = re.compile(f"([{_START}{_STOP}])")
_SPACES = re.compile(r"\s+")
# What ts_headline leaves out of its output: the default parser's HTML/XML tag tokens.
_TAGS = re.compile(r"</?[A-Za-z!?][^<>]*>")

Vector1D = npt.NDArray[np.floating[Any]]


def candidate_count(limit: int) -> int:
    return max(limit, MIN_CANDIDATES)


def _config() -> ColumnElement[Any]:
    # A constant of ours, not input: a literal lets the planner fold the tsquery.
    assert TEXT_SEARCH_CONFIG.isidentifier()
    return literal_column(f"'{TEXT_SEARCH_CONFIG}'::regconfig", REGCONFIG)


def or_tsquery(query: str) -> ColumnElement[Any]:
    """The query's lexemes ORed, as a scalar subquery: computed once per statement (an
    InitPlan), also when PostgreSQL switches a prepared statement to a generic plan.

    plainto_tsquery ANDs the lexemes (phrases of a hyphenated word stay phrases with <->).
    Lexemes hold no spaces, so ' & ' only ever is the operator. Only stop words or punctuation
    give an empty query, which matches nothing (a NOTICE, no error).
    """
    anded = func.plainto_tsquery(_config(), bindparam("query", query, type_=Text))
    ored = func.replace(cast(anded, Text), " & ", " | ")
    return select(cast(ored, TSQUERY)).scalar_subquery()


# The lexemes that pick full-text candidates: rarest first, while their estimated matches add
# up to at most :row_budget rows (the rarest always; when even it is above the budget, rows
# with both of the two rarest). Ranking costs per matching row, and an OR of common words
# matches most of a large table (NFCorpus x 28, 100k chunks: 7k rows at the median, 60k at
# p95; ranking them took 560 ms on average). Frequencies come from ANALYZE's
# statistics of search_vector (most common elements; a lexeme not among them is rarer than
# all of them), table-wide: the GIN scan fetches other workspaces' matches too. Without
# statistics, or in a small table, every lexeme is kept. On NFCorpus with a budget of 5% of
# the rows, nDCG@10 was unchanged (0.307 against 0.304) and recall@100 fell from 0.236 to
# 0.194. Lexemes are quoted for the tsquery parser (quotes and backslashes doubled) in SQL.
_CANDIDATE_TSQUERY = r"""
SELECT CASE
    WHEN min(estimate) > :row_budget AND count(*) > 1
        THEN string_agg(quoted, ' & ') FILTER (WHERE position <= 2)
    ELSE string_agg(quoted, ' | ')
        FILTER (WHERE running <= :row_budget OR position = 1 OR estimate IS NULL)
    END::tsquery
FROM (
    SELECT t.lexeme, t.estimate,
           '''' || replace(replace(t.lexeme, '\', '\\'), '''', '''''') || '''' AS quoted,
           sum(t.estimate) OVER (ORDER BY t.estimate, t.lexeme) AS running,
           row_number() OVER (ORDER BY t.estimate, t.lexeme) AS position
    FROM (
        SELECT q.lexeme, coalesce(m.frequency, s.floor) * s.rows AS estimate
        FROM unnest(to_tsvector(CAST(:config AS regconfig), :candidate_query)) AS q
        LEFT JOIN (
            SELECT st.most_common_elems::text::text[] AS lexemes,
                   st.most_common_elem_freqs AS frequencies,
                   st.most_common_elem_freqs[cardinality(st.most_common_elems) + 1] AS floor,
                   c.reltuples AS rows
            FROM pg_class AS c
            JOIN pg_namespace AS n ON n.oid = c.relnamespace
            JOIN pg_stats AS st ON st.schemaname = n.nspname AND st.tablename = c.relname
                AND st.attname = 'search_vector'
            WHERE c.oid = to_regclass(:table)
                AND st.most_common_elems IS NOT NULL AND c.reltuples > 0
        ) AS s ON true
        LEFT JOIN LATERAL unnest(s.lexemes, s.frequencies) AS m(lexeme, frequency)
            ON m.lexeme = q.lexeme
    ) AS t
) AS ranked
"""


def candidate_tsquery(query: str) -> ColumnElement[Any]:
    """The OR of the query's rarer lexemes (see above), once per statement: the rows ranked at
    all. The ranking itself weighs every lexeme (`or_tsquery`)."""
    statement = text(_CANDIDATE_TSQUERY).bindparams(
        bindparam("config", TEXT_SEARCH_CONFIG, type_=Text),
        bindparam("candidate_query", query, type_=Text),
        bindparam("table", KnowledgeChunk.__tablename__, type_=Text),
        bindparam("row_budget", float(LEXICAL_ROW_BUDGET), type_=Double),
    )
    return statement.columns(column("query", TSQUERY)).scalar_subquery()


def _scope(statement: Select[Any], workspace_id: uuid.UUID, filters: SearchFilters) -> Select[Any]:
    """Chunks of the workspace's indexed documents that pass the filters. `workspace_id` is
    checked on both tables: the composite key already ties them, this is belt and braces."""
    chunk, doc = KnowledgeChunk, KnowledgeDocument
    statement = statement.join(
        doc, and_(doc.workspace_id == chunk.workspace_id, doc.id == chunk.document_id)
    ).where(
        chunk.workspace_id == workspace_id,
        doc.workspace_id == workspace_id,
        doc.status == DocumentStatus.INDEXED,
    )
    if filters.tags is not None:
        # All of them; an empty list asks for nothing, so it passes every document.
        statement = statement.where(
            doc.tags.contains(cast(filters.tags, ARRAY(doc.tags.type.item_type)))
        )
    if filters.document_types is not None:
        statement = statement.where(doc.document_type.in_(filters.document_types))
    if filters.document_ids is not None:
        statement = statement.where(chunk.document_id.in_(filters.document_ids))
    if filters.uploaded_after is not None:
        statement = statement.where(doc.created_at >= filters.uploaded_after)
    if filters.uploaded_before is not None:
        statement = statement.where(doc.created_at < filters.uploaded_before)
    return statement


def lexical_candidates(workspace_id: uuid.UUID, request: SearchRequest) -> Select[Any]:
    """Top chunks by full-text rank: columns chunk_id, score (best first)."""
    chunk = KnowledgeChunk
    score = func.ts_rank(
        chunk.search_vector,
        or_tsquery(request.query),
        literal_column(str(LEXICAL_NORMALIZATION)),
        type_=Float,
    ).label("score")
    statement = select(chunk.id.label("chunk_id"), score).where(
        chunk.search_vector.op("@@")(candidate_tsquery(request.query))
    )
    return (
        _scope(statement, workspace_id, request.filters)
        .order_by(score.desc(), chunk.id)
        .limit(candidate_count(request.limit))
    )


def vector_candidates(
    workspace_id: uuid.UUID, request: SearchRequest, query_vector: Vector1D, embedding_model: str
) -> Select[Any]:
    """Nearest chunks of the same model and dimension: columns chunk_id, distance (cosine,
    nearest first up to the relaxed order of an iterative scan; ranks are taken after it).

    The cast and the dimension predicate name the dimension literally (a checked int) so the
    planner matches the partial index `ix_knowledge_chunks_embedding_<dimension>`.
    """
    chunk = KnowledgeChunk
    dimension = _dimension(query_vector)
    vector_type = Vector(dimension)
    probe = cast(bindparam("query_vector", query_vector, type_=vector_type), vector_type)
    distance = (
        cast(chunk.embedding, vector_type).op("<=>", return_type=Double)(probe).label("distance")
    )
    statement = select(chunk.id.label("chunk_id"), distance).where(
        chunk.embedding_dimension == literal_column(str(dimension)),
        chunk.embedding_model == embedding_model,
    )
    return (
        _scope(statement, workspace_id, request.filters)
        .order_by(distance)
        .limit(candidate_count(request.limit))
    )


def search_settings() -> TextClause:
    """Settings for the rest of the transaction (SET LOCAL), in one round trip:

    - custom plans only: psycopg prepares a statement run 5 times, and PostgreSQL may then
      switch to a generic plan, blind to the filters' values; with a tag filter on 100k
      chunks that plan took 370 ms (p50) where custom plans take 22 ms;
    - HNSW: a longer candidate list than the default 40, and iterative scan, which keeps
      walking the graph while workspace and filter conditions reject rows.
    """
    return text(
        "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
        " set_config('hnsw.ef_search', :ef_search, true),"
        " set_config('hnsw.iterative_scan', 'relaxed_order', true)"
    ).bindparams(ef_search=str(HNSW_EF_SEARCH))


def search_statement(
    workspace_id: uuid.UUID,
    request: SearchRequest,
    *,
    query_vector: Vector1D | None,
    embedding_model: str | None,
) -> Select[Any]:
    """The whole search as one statement: candidates, fusion, the final `limit` rows with
    their chunk, document and headline (ts_headline only runs on those rows).

    Hybrid without a query vector is the lexical side alone; vector without one is an error.
    """
    lexical = vector = None
    if request.mode in (SearchMode.HYBRID, SearchMode.LEXICAL):
        found = lexical_candidates(workspace_id, request).cte("lexical")
        lexical = _ranked(found, "lexical_ranked", found.c.score.desc(), found.c.chunk_id)
    if request.mode in (SearchMode.HYBRID, SearchMode.VECTOR):
        if query_vector is not None and embedding_model is not None:
            nearest = vector_candidates(workspace_id, request, query_vector, embedding_model)
            found = nearest.cte("vector")
            vector = _ranked(found, "vector_ranked", found.c.distance, found.c.chunk_id)
        elif request.mode is SearchMode.VECTOR:
            raise ValueError("vector search needs a query vector and its embedding model")
    top = _fused(lexical, vector, request.limit)

    chunk, doc = KnowledgeChunk, KnowledgeDocument
    headline = func.ts_headline(
        _config(), chunk.text, or_tsquery(request.query), literal(HEADLINE_OPTIONS, Text)
    )
    return (
        select(
            top.c.chunk_id,
            top.c.fused,
            top.c.lexical_rank,
            top.c.lexical_score,
            top.c.vector_rank,
            top.c.vector_similarity,
            chunk.ordinal,
            chunk.start_offset,
            chunk.end_offset,
            chunk.page,
            chunk.text,
            headline.label("headline"),
            doc.id.label("document_id"),
            doc.title,
            doc.filename,
            doc.document_type,
            doc.tags,
        )
        .select_from(top)
        .join(chunk, chunk.id == top.c.chunk_id)
        .join(doc, and_(doc.workspace_id == chunk.workspace_id, doc.id == chunk.document_id))
        .where(chunk.workspace_id == workspace_id, doc.workspace_id == workspace_id)
        .order_by(top.c.fused.desc(), top.c.chunk_id)
    )


def _ranked(found: CTE, name: str, *order: ColumnElement[Any]) -> CTE:
    """The candidates with their 1-based rank (taken after the LIMIT: cheaper, and it puts
    the relaxed order of an iterative HNSW scan right)."""
    rank = func.row_number().over(order_by=order).label("rank")
    return select(*found.c, rank).cte(name)


def _reciprocal(rank: ColumnElement[Any]) -> ColumnElement[Any]:
    """1 / (k + rank) in float8 (SQLAlchemy's `/` would cast the divisor to NUMERIC)."""
    denominator = literal_column(str(RRF_K), Integer) + rank
    return literal_column("1.0::float8", Double).op("/", return_type=Double)(Grouping(denominator))


def _fused(lexical: CTE | None, vector: CTE | None, limit: int) -> CTE:
    """The best `limit` chunks by RRF over the lists given: chunk_id, fused, and each side's
    rank and score (NULL where a chunk is not in that list)."""
    zero = literal_column("0.0", Double)
    source: Any
    if lexical is not None and vector is not None:
        source = lexical.join(vector, lexical.c.chunk_id == vector.c.chunk_id, full=True)
        chunk_id: ColumnElement[Any] = func.coalesce(lexical.c.chunk_id, vector.c.chunk_id)
        fused = func.coalesce(_reciprocal(lexical.c.rank), zero) + func.coalesce(
            _reciprocal(vector.c.rank), zero
        )
    else:
        source = lexical if lexical is not None else vector
        assert source is not None, "no side to search"
        chunk_id, fused = source.c.chunk_id, _reciprocal(source.c.rank)
    chunk_label, fused_label = chunk_id.label("chunk_id"), fused.label("fused")
    return (
        select(
            chunk_label,
            fused_label,
            (lexical.c.rank if lexical is not None else null()).label("lexical_rank"),
            (lexical.c.score if lexical is not None else null()).label("lexical_score"),
            (vector.c.rank if vector is not None else null()).label("vector_rank"),
            (1 - vector.c.distance if vector is not None else null()).label("vector_similarity"),
        )
        .select_from(source)
        .order_by(fused_label.desc(), chunk_label)
        .limit(limit)
        .cte("top")
    )


async def search_chunks(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    request: SearchRequest,
    *,
    query_vector: Vector1D | None,
    embedding_model: str | None,
) -> list[SearchResult]:
    """The best `request.limit` chunks of the workspace for the query, best first.

    `query_vector` (unit length, from `embedding_model`) is needed by the vector and hybrid
    modes; hybrid without it falls back to the lexical side, vector without it is a
    ValueError. `search_settings` are SET LOCAL: they last until the caller's transaction ends.
    """
    statement = search_statement(
        workspace_id, request, query_vector=query_vector, embedding_model=embedding_model
    )
    await session.execute(search_settings())
    rows = (await session.execute(statement)).all()
    return [_result(row) for row in rows]


def _dimension(query_vector: Vector1D) -> int:
    if query_vector.ndim != 1 or not 1 <= len(query_vector) <= MAX_DIMENSION:
        raise ValueError(f"query vector must be 1-D with 1..{MAX_DIMENSION} values")
    if not np.isfinite(query_vector).all():
        raise ValueError("query vector has values that are not finite")
    return len(query_vector)


def _result(row: Row[Any]) -> SearchResult:
    snippet, highlights = plain_snippet(row.headline, row.text)
    return SearchResult(
        chunk_id=row.chunk_id,
        document=CitedDocument(
            id=row.document_id,
            title=row.title,
            filename=row.filename,
            document_type=row.document_type,
            tags=list(row.tags),
        ),
        ordinal=row.ordinal,
        start_offset=row.start_offset,
        end_offset=row.end_offset,
        page=row.page,
        text=row.text,
        snippet=snippet,
        highlights=highlights,
        scores=SearchScores(
            fused=float(row.fused),
            lexical_rank=row.lexical_rank,
            lexical_score=_float(row.lexical_score),
            vector_rank=row.vector_rank,
            vector_similarity=_float(row.vector_similarity),
        ),
    )


def _float(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def plain_snippet(headline: str, text: str) -> tuple[str, list[Highlight]]:
    """ts_headline's output as plain text (markers removed, whitespace runs collapsed, an
    ellipsis where the chunk goes on) and the marked words as offsets into it (code points).

    ts_headline copies the chunk's words as they are, but leaves out what its parser takes for
    HTML/XML tags: the snippet is plain text whatever the document was."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    opened: int | None = None
    for part in _MARKERS.split(headline):
        if part == _START:
            opened = length
        elif part == _STOP:
            if opened is not None and length > opened:
                spans.append((opened, length))
            opened = None
        elif part:
            part = _SPACES.sub(" ", part)
            if not pieces or pieces[-1].endswith(" "):
                part = part.lstrip(" ") if not pieces else part.removeprefix(" ")
            pieces.append(part)
            length += len(part)
    body = "".join(pieces)
    trimmed = body.rstrip(" ")
    whole = " ".join(_TAGS.sub("", text).split())
    lead = "" if whole.startswith(trimmed) else _ELLIPSIS + " "
    tail = "" if whole.endswith(trimmed) else " " + _ELLIPSIS
    shift = len(lead)
    highlights = [
        Highlight(start=start + shift, end=min(end, len(trimmed)) + shift)
        for start, end in spans
        if start < len(trimmed)
    ]
    return lead + trimmed + tail, highlights


__all__: Sequence[str] = (
    "HEADLINE_OPTIONS",
    "RRF_K",
    "candidate_count",
    "lexical_candidates",
    "or_tsquery",
    "plain_snippet",
    "search_chunks",
    "search_settings",
    "search_statement",
    "vector_candidates",
)
