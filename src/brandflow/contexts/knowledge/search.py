"""Hybrid search over a workspace's indexed chunks: full-text, vector, and their RRF fusion.

This is the search side's repository: every query of it is built here, always scoped to one
workspace on both the chunks and their documents.

- Lexical or vector mode: one statement, the candidates (a CTE), their ranks and the final
  rows with their snippets.
- Hybrid: the lexical candidates start on the caller's session at once, while the query is
  embedded; the vector candidates follow on a second pooled connection as soon as the vector
  exists (its transaction already open); one last statement on the caller's session takes
  both lists as arrays, fuses them and adds the snippets. On 2 cores the slower side, not
  embedding + lexical + vector in a row, sets the time. A hybrid search holds two of the
  engine's connections for its duration.

- Lexical: the query's lexemes ORed (a long natural-language query must not need every term),
  ranked by ``ts_rank(search_vector, query, 1)``. On NFCorpus (3,633 abstracts, 323 test
  queries) that ranked best of ts_rank and ts_rank_cd with normalizations 0-32: nDCG@10 0.304
  (ts_rank_cd at best 0.246).
- Vector: cosine distance on ``embedding::vector(<dimension>)`` with the partial HNSW index of
  that dimension, iterative scan on, so workspace and filter conditions do not starve it.
- Fusion: Reciprocal Rank Fusion, sum of 1 / (k + rank) over the lists a chunk is in.
"""

from __future__ import annotations

import asyncio
import functools
import math
import re
import uuid
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    CTE,
    ColumnElement,
    Double,
    Float,
    FromClause,
    Integer,
    Row,
    Select,
    Text,
    TextClause,
    Uuid,
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
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.sql.expression import BindParameter, Grouping

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
from brandflow.kernel.db import (
    can_lend_connection,
    has_connection_settings,
    remember_connection_settings,
)

# The usual RRF constant (Cormack et al. 2009): damps the weight of the very first ranks.
RRF_K = 60
# Each side contributes at least this many candidates, so recall@100 can be measured.
MIN_CANDIDATES = 100
# HNSW candidate list per scan step; iterative scan goes on past it while rows are filtered out.
# At 100k chunks (bench/nfcorpus.py) recall@10 against an exact scan is 0.955-0.961 at 200
# (a thin margin over the goal of 0.95), 0.969 at 300, 0.977 at 400; the index scan takes
# 7.5, 9.4 and 12.1 ms (p50), on hybrid's critical path. 300 buys the margin for ~2 ms.
HNSW_EF_SEARCH = 300
# ts_rank normalization 1: divide by 1 + log(document length). Best on NFCorpus (see above).
LEXICAL_NORMALIZATION = 1
# About the most rows full text ranks (see _CANDIDATE_TSQUERY). At 100k chunks, 2000 against
# 5000 halved the lexical statement's p95 and left hybrid's nDCG@10 as it was (0.340 against
# 0.341 on NFCorpus alone, 0.347 against 0.348 among the 100k); lexical-only lost 0.012 there.
LEXICAL_ROW_BUDGET = 2000
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
# One side's candidates, best first: (chunk id, ts_rank score or cosine distance).
Candidates = Sequence[tuple[uuid.UUID, float]]


def candidate_count(limit: int) -> int:
    return max(limit, MIN_CANDIDATES)


def _config() -> ColumnElement[Any]:
    # A constant of ours, not input: a literal lets the planner fold the tsquery.
    assert TEXT_SEARCH_CONFIG.isidentifier()
    return literal_column(f"'{TEXT_SEARCH_CONFIG}'::regconfig", REGCONFIG)


def or_tsquery(query: str | None) -> ColumnElement[Any]:
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
    """Nearest chunks of the same model and dimension: columns chunk_id, distance (cosine),
    in rank order: the index scan's relaxed order (iterative scan) sorted again after the
    LIMIT, ties by chunk id.

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
    nearest = (
        _scope(statement, workspace_id, request.filters)
        .order_by(distance)
        .limit(candidate_count(request.limit))
        .subquery("nearest")
    )
    return select(nearest.c.chunk_id, nearest.c.distance).order_by(
        nearest.c.distance, nearest.c.chunk_id
    )


# What every search needs of its connection:
# - custom plans only: psycopg prepares a statement run 5 times, and PostgreSQL may then switch
#   to a generic plan, blind to the filters' values; with a tag filter on 100k chunks that
#   plan took 370 ms (p50) where custom plans take 22 ms;
# - HNSW: a longer candidate list than the default 40, and iterative scan, which keeps
#   walking the graph while workspace and filter conditions reject rows.
# The process's engine sets them once on every connection (bootstrap: `connection_settings`),
# which saves a round trip per search; `use_search_settings` covers other connections.
CONNECTION_SETTINGS: Mapping[str, str] = {
    "plan_cache_mode": "force_custom_plan",
    "hnsw.ef_search": str(HNSW_EF_SEARCH),
    "hnsw.iterative_scan": "relaxed_order",
}


def search_settings(*, local: bool = True) -> TextClause:
    """`CONNECTION_SETTINGS` in one round trip: for the rest of the transaction (SET LOCAL), or
    for the session (`local=False`)."""
    calls = ", ".join(
        f"set_config(:name_{i}, :value_{i}, {'true' if local else 'false'})"
        for i in range(len(CONNECTION_SETTINGS))
    )
    values: dict[str, str] = {}
    for i, (name, value) in enumerate(CONNECTION_SETTINGS.items()):
        values |= {f"name_{i}": name, f"value_{i}": value}
    return text(f"SELECT {calls}").bindparams(**values)


async def use_search_settings(connection: AsyncConnection) -> None:
    """Make `CONNECTION_SETTINGS` hold for the next statements on `connection`: nothing to do
    on a connection that opened with them; session-wide (and remembered with the connection)
    on an autocommit connection; SET LOCAL inside a transaction, where a rollback would undo a
    session-wide SET and the memory of it would be wrong."""
    if has_connection_settings(connection, CONNECTION_SETTINGS):
        return
    raw = await connection.get_raw_connection()
    autocommit = bool(getattr(raw.driver_connection, "autocommit", False))
    await connection.execute(search_settings(local=not autocommit))
    if autocommit:
        remember_connection_settings(connection, CONNECTION_SETTINGS)


def single_side_statement(
    workspace_id: uuid.UUID,
    request: SearchRequest,
    *,
    query_vector: Vector1D | None,
    embedding_model: str | None,
) -> Select[Any]:
    """A lexical or a vector search as one statement: the candidates (a CTE), their ranks,
    the final `limit` rows with their chunk, document and headline.

    Lexical and hybrid modes without a query vector search the lexical side; the vector mode
    without one is an error. Hybrid with a vector is `fused_statement`'s."""
    if request.mode is SearchMode.LEXICAL or query_vector is None:
        if request.mode is SearchMode.VECTOR:
            raise ValueError("vector search needs a query vector and its embedding model")
        found = lexical_candidates(workspace_id, request).cte("lexical")
        lexical = _ranked(found, "lexical_ranked", found.c.score.desc(), found.c.chunk_id)
        return _final_rows(workspace_id, request.query, _fused(lexical, None, request.limit))
    if embedding_model is None:
        raise ValueError("vector search needs a query vector and its embedding model")
    found = vector_candidates(workspace_id, request, query_vector, embedding_model).cte("vector")
    vector = _ranked(found, "vector_ranked", found.c.distance, found.c.chunk_id)
    return _final_rows(workspace_id, request.query, _fused(None, vector, request.limit))


@functools.cache
def fused_statement() -> Select[Any]:
    """The hybrid search's last statement: both candidate lists as arrays, their fusion, the
    final `limit` rows. Built once, every value a parameter (`fused_parameters`): building it
    per search took ~4 ms of the event loop at p50, on the critical path."""
    return _final_rows(
        bindparam("workspace_id", type_=Uuid),
        None,
        _fused(
            _listed("lexical", "score"),
            _listed("vector", "distance"),
            bindparam("limit", type_=Integer),
        ),
    )


def fused_parameters(
    workspace_id: uuid.UUID, request: SearchRequest, lexical: Candidates, vector: Candidates
) -> dict[str, Any]:
    """`fused_statement`'s values; each list best first, as its candidate statement gave it."""
    return {
        "workspace_id": workspace_id,
        "query": request.query,
        "limit": request.limit,
        "lexical_ids": [chunk_id for chunk_id, _ in lexical],
        "lexical_scores": [float(score) for _, score in lexical],
        "vector_ids": [chunk_id for chunk_id, _ in vector],
        "vector_distances": [float(distance) for _, distance in vector],
    }


def _listed(name: str, value: str) -> FromClause:
    """`unnest(:<name>_ids, :<name>_<value>s) WITH ORDINALITY AS name(chunk_id, <value>,
    rank)`: a list's order is its rank, 1-based."""
    ids = bindparam(f"{name}_ids", type_=ARRAY(Uuid))
    values = bindparam(f"{name}_{value}s", type_=ARRAY(Double))
    return (
        func.unnest(ids, values)
        .table_valued(column("chunk_id", Uuid), column(value, Double), with_ordinality="rank")
        .render_derived(name=name)
    )


def _final_rows(
    workspace_id: uuid.UUID | BindParameter[uuid.UUID], query: str | None, top: CTE
) -> Select[Any]:
    """The fused rows with their chunk, document and headline (ts_headline only runs on
    these `limit` rows), scoped to the workspace again. `query` None: a parameter."""
    chunk, doc = KnowledgeChunk, KnowledgeDocument
    headline = func.ts_headline(
        _config(), chunk.text, or_tsquery(query), literal(HEADLINE_OPTIONS, Text)
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


def _fused(
    lexical: FromClause | None, vector: FromClause | None, limit: int | BindParameter[int]
) -> CTE:
    """The best `limit` chunks by RRF over the ranked lists given (columns chunk_id, rank
    and score or distance): chunk_id, fused, and each side's rank and score (NULL where a
    chunk is not in that list)."""
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
    query_vector: Vector1D | Awaitable[Vector1D] | None,
    embedding_model: str | None,
) -> list[SearchResult]:
    """The best `request.limit` chunks of the workspace for the query, best first.

    `query_vector` (unit length, from `embedding_model`), or an awaitable of it that has not
    started (an embedding call), is needed by the vector and hybrid modes; hybrid without it
    falls back to the lexical side, vector without it is a ValueError; lexical ignores it.

    Hybrid overlaps its three slow steps (see the module doc): the lexical candidates on
    `session` at once; meanwhile the query is embedded (the awaitable) and the vector
    candidates fetched on a second connection of the session's engine; then one statement
    on `session` fuses them. An error of the embedding or the vector side is raised once the
    lexical side has finished, so `session` is idle again (a caller may retry on it).
    On a connection that did not open with `CONNECTION_SETTINGS`, `use_search_settings`
    sets them: within a transaction until it ends, else for the connection's life.
    """
    if request.mode is not SearchMode.LEXICAL and query_vector is not None:
        if embedding_model is None:
            raise ValueError("a query vector needs its embedding model")
        if request.mode is SearchMode.HYBRID:
            return await _hybrid(session, workspace_id, request, query_vector, embedding_model)
    vector = None
    if request.mode is SearchMode.VECTOR and query_vector is not None:
        vector = await _ready(query_vector)
    statement = single_side_statement(
        workspace_id, request, query_vector=vector, embedding_model=embedding_model
    )
    await use_search_settings(await session.connection())
    return [_result(row) for row in await session.execute(statement)]


async def _hybrid(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    request: SearchRequest,
    query_vector: Vector1D | Awaitable[Vector1D],
    embedding_model: str,
) -> list[SearchResult]:
    engine = _lender(session)
    # The embedding is the longest step: it starts first, not when the vector side awaits it.
    embedding = asyncio.ensure_future(_ready(query_vector))
    lexical = asyncio.create_task(_lexical_list(session, workspace_id, request))
    try:
        if engine is not None:
            nearest = await _vector_list(engine, workspace_id, request, embedding, embedding_model)
        else:
            vector = await embedding
    except BaseException:
        # Not before the lexical side is done with the caller's session, nor with the
        # embedding still running (their own errors, if any, are retrieved here and
        # superseded by this one).
        await asyncio.gather(lexical, embedding, return_exceptions=True)
        raise
    found = await lexical
    if engine is None:  # the caller's connection is the only one: the vector side follows
        statement = vector_candidates(workspace_id, request, vector, embedding_model)
        nearest = [(row.chunk_id, row.distance) for row in await session.execute(statement)]
    if not found and not nearest:
        return []
    parameters = fused_parameters(workspace_id, request, found, nearest)
    rows = await session.execute(fused_statement(), parameters)
    return [_result(row) for row in rows]


async def _lexical_list(
    session: AsyncSession, workspace_id: uuid.UUID, request: SearchRequest
) -> list[tuple[uuid.UUID, float]]:
    await use_search_settings(await session.connection())
    rows = await session.execute(lexical_candidates(workspace_id, request))
    return [(row.chunk_id, row.score) for row in rows]


async def _vector_list(
    engine: AsyncEngine,
    workspace_id: uuid.UUID,
    request: SearchRequest,
    query_vector: Vector1D | Awaitable[Vector1D],
    embedding_model: str,
) -> list[tuple[uuid.UUID, float]]:
    """The vector candidates on a connection of their own, checked out (and its settings made
    sure of) while the query is being embedded. Autocommit: one statement, no BEGIN and
    COMMIT round trips."""
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await use_search_settings(connection)
        vector = await _ready(query_vector)
        statement = vector_candidates(workspace_id, request, vector, embedding_model)
        rows = await connection.execute(statement)
        return [(row.chunk_id, row.distance) for row in rows]


def _lender(session: AsyncSession) -> AsyncEngine | None:
    """The session's engine if its pool can lend the vector side a connection now, without
    waiting; else None, and the vector side runs on the caller's connection after the
    lexical side.

    Never waiting matters: an API request holds its session's connection before it searches,
    so a burst of hybrid searches that took every pooled connection would otherwise wait on
    itself until `pool_timeout`. A session bound to one connection (a test's outer
    transaction) has nothing to lend that would see its writes.
    """
    engine = session.bind
    if not isinstance(engine, AsyncEngine):
        return None
    return engine if can_lend_connection(engine) else None


async def _ready(query_vector: Vector1D | Awaitable[Vector1D]) -> Vector1D:
    return query_vector if isinstance(query_vector, np.ndarray) else await query_vector


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
    "CONNECTION_SETTINGS",
    "HEADLINE_OPTIONS",
    "RRF_K",
    "Candidates",
    "candidate_count",
    "fused_parameters",
    "fused_statement",
    "lexical_candidates",
    "or_tsquery",
    "plain_snippet",
    "search_chunks",
    "search_settings",
    "single_side_statement",
    "use_search_settings",
    "vector_candidates",
)
