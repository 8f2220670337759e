"""Hybrid search on the real PostgreSQL + pgvector: each side, their fusion, tenant isolation,
filters, snippets, and the indexes the planner picks for the statements search.py runs."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from sqlalchemy import ClauseElement, Executable, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from brandflow.bootstrap import Container
from brandflow.contexts.knowledge.domain import DocumentStatus
from brandflow.contexts.knowledge.schemas import (
    SearchFilters,
    SearchMode,
    SearchRequest,
    SearchResult,
)
from brandflow.contexts.knowledge.search import (
    RRF_K,
    candidate_tsquery,
    fused_parameters,
    fused_statement,
    lexical_candidates,
    plain_snippet,
    search_chunks,
    search_settings,
    single_side_statement,
    vector_candidates,
)
from brandflow.contexts.knowledge.sniffing import DocumentType
from tests.knowledge.search_data import MODEL, Doc, add_document, embed

MARATHON = (
    "Our marathon training plan builds weekly mileage slowly: three easy runs, one tempo run "
    "and a long run every Sunday, with a cutback week every fourth week."
)
SHOES = (
    "The Cloudstrider running shoe has a carbon plate and thick foam cushioning for road "
    "racing; it weighs 230 grams in a men's size nine."
)
COFFEE = (
    "Espresso roasting notes: a medium roast brings out chocolate and caramel, a light roast "
    "keeps the fruit acidity of the Ethiopian beans."
)
VOICE = (
    "Brand voice: we speak like a friendly coach, encouraging and plain, never shouting, and "
    "we avoid jargon in every headline."
)
CORPUS = [MARATHON, SHOES, COFFEE, VOICE]
ALL_MODES = list(SearchMode)


async def search(
    container: Container,
    workspace_id: uuid.UUID,
    query: str,
    *,
    mode: SearchMode = SearchMode.HYBRID,
    limit: int = 10,
    filters: SearchFilters | None = None,
) -> list[SearchResult]:
    request = SearchRequest(query=query, mode=mode, limit=limit, filters=filters or SearchFilters())
    vector = None if mode is SearchMode.LEXICAL else (await embed([request.query]))[0]
    async with container.sessionmaker() as session:
        return await search_chunks(
            session,
            workspace_id,
            request,
            query_vector=vector,
            embedding_model=MODEL if vector is not None else None,
        )


async def seed(container: Container, workspace_id: uuid.UUID, chunks: list[str]) -> Doc:
    async with container.sessionmaker() as session, session.begin():
        return await add_document(session, workspace_id, chunks)


# --- each side and their fusion ---------------------------------------------------------


@pytest.mark.parametrize("mode", ALL_MODES)
async def test_each_mode_finds_the_relevant_chunk(
    container: Container, demo: dict[str, uuid.UUID], mode: SearchMode
) -> None:
    acme = demo["acme-running"]
    doc = await seed(container, acme, CORPUS)

    results = await search(container, acme, "how should I train for a marathon?", mode=mode)

    assert results[0].chunk_id == doc.chunk_ids[0]
    assert results[0].document.id == doc.id
    assert results[0].text == MARATHON
    assert results[0].ordinal == 0
    # Ranks and fused scores as documented, best first.
    assert [r.scores.fused for r in results] == sorted(
        (r.scores.fused for r in results), reverse=True
    )
    for result in results:
        scores = result.scores
        expected = sum(
            1 / (RRF_K + rank) for rank in (scores.lexical_rank, scores.vector_rank) if rank
        )
        assert scores.fused == pytest.approx(expected)
        assert (scores.lexical_rank is None) == (scores.lexical_score is None)
        assert (scores.vector_rank is None) == (scores.vector_similarity is None)
        if mode is SearchMode.LEXICAL:
            assert scores.vector_rank is None
        if mode is SearchMode.VECTOR:
            assert scores.lexical_rank is None


async def test_vector_side_finds_a_paraphrase_full_text_cannot(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    doc = await seed(container, acme, CORPUS)
    query = "which drink tastes of cocoa?"  # no lexeme in common with any chunk

    lexical = await search(container, acme, query, mode=SearchMode.LEXICAL)
    vector = await search(container, acme, query, mode=SearchMode.VECTOR)

    assert lexical == []
    assert vector[0].chunk_id == doc.chunk_ids[2]
    assert len(vector) == len(CORPUS)  # every chunk has a vector of the model
    assert [r.scores.vector_rank for r in vector] == [1, 2, 3, 4]


async def test_hybrid_ranks_a_chunk_both_sides_found_above_one_side_only(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    both = "Carbon plated racing shoes make marathon pace feel easier for most runners."
    # Every query word, but stored with another model's vector: full text alone finds it.
    lexical_only = (
        "Shoes, shoes, racing shoes: the carbon racing shoes catalogue of marathon shoes."
    )
    # Same meaning, no query word: vectors alone find it.
    vector_only = "Stiff, springy footwear helps you hold speed over 42 kilometres."
    async with container.sessionmaker() as session, session.begin():
        main = await add_document(session, acme, [both, vector_only, COFFEE])
        other = await add_document(
            session,
            acme,
            [lexical_only],
            vectors=np.eye(1, 384, dtype=np.float32),
            model="test/other-model",
        )

    query = "carbon racing shoes for the marathon"
    results = await search(container, acme, query)
    by_id = {r.chunk_id: r for r in results}

    top = by_id[main.chunk_ids[0]]
    assert results[0] is top
    assert top.scores.lexical_rank is not None
    assert top.scores.vector_rank is not None
    only_lexical = by_id[other.chunk_ids[0]].scores
    assert only_lexical.lexical_rank is not None
    assert only_lexical.vector_rank is None
    only_vector = by_id[main.chunk_ids[1]].scores
    assert only_vector.lexical_rank is None
    assert only_vector.vector_rank is not None
    assert top.scores.fused > max(only_lexical.fused, only_vector.fused)
    # The similarity is the cosine of the stored vectors.
    query_vector, chunk_vector = await embed([query, both])
    assert top.scores.vector_similarity == pytest.approx(
        float(query_vector @ chunk_vector), abs=1e-4
    )
    assert top.scores.lexical_score is not None
    assert top.scores.lexical_score > 0


async def test_a_long_query_does_not_need_every_term(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    doc = await seed(container, acme, CORPUS)
    query = "what do our guidelines say about the tone of voice in headlines and newsletters"

    results = await search(container, acme, query, mode=SearchMode.LEXICAL)

    assert results[0].chunk_id == doc.chunk_ids[3]


# --- tenants ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ALL_MODES)
async def test_a_workspace_never_sees_another_workspaces_chunks(
    container: Container, demo: dict[str, uuid.UUID], mode: SearchMode
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    async with container.sessionmaker() as session, session.begin():
        ours = await add_document(session, acme, CORPUS, tags=["guide"])
        theirs = await add_document(session, globex, CORPUS, tags=["guide"])
    broad = SearchFilters(tags=["guide"], document_types=[DocumentType.TEXT])

    for filters in (None, broad):
        results = await search(
            container, acme, "marathon espresso voice", mode=mode, filters=filters
        )
        assert results, filters
        assert {r.document.id for r in results} == {ours.id}
        assert {r.chunk_id for r in results} <= set(ours.chunk_ids)
    # Naming the other workspace's document finds nothing, not its chunks.
    foreign = SearchFilters(document_ids=[theirs.id])
    assert await search(container, acme, "marathon", mode=mode, filters=foreign) == []
    assert await search(container, globex, "marathon", mode=mode, filters=foreign)


# --- filters ------------------------------------------------------------------------------


async def test_filters_narrow_the_documents_searched(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    text_of = {
        "voice": "Espresso tasting guide for the brand voice team.",
        "brand": "Espresso menu for the brand launch event.",
        "pdf": "Espresso machine manual, scanned as a PDF.",
        "old": "Espresso price list of last winter.",
    }
    async with container.sessionmaker() as session, session.begin():
        docs = {
            "voice": await add_document(
                session, acme, [text_of["voice"]], tags=["brand", "voice"],
                created_at=datetime(2026, 6, 1, tzinfo=UTC),
            ),
            "brand": await add_document(
                session, acme, [text_of["brand"]], tags=["brand"],
                created_at=datetime(2026, 6, 2, tzinfo=UTC),
            ),
            "pdf": await add_document(
                session, acme, [text_of["pdf"]], document_type=DocumentType.PDF,
                created_at=datetime(2026, 6, 3, tzinfo=UTC),
            ),
            "old": await add_document(
                session, acme, [text_of["old"]], created_at=datetime(2025, 12, 1, tzinfo=UTC)
            ),
        }  # fmt: skip

    async def found(filters: SearchFilters, mode: SearchMode) -> set[str]:
        results = await search(container, acme, "espresso", mode=mode, filters=filters)
        names = {name for name, doc in docs.items() if doc.id in {r.document.id for r in results}}
        return names

    cases = [
        (SearchFilters(tags=["brand", "voice"]), {"voice"}),
        (SearchFilters(tags=["brand"]), {"voice", "brand"}),
        (SearchFilters(tags=[]), set(docs)),
        (SearchFilters(document_types=[DocumentType.PDF]), {"pdf"}),
        (SearchFilters(document_types=[DocumentType.PDF, DocumentType.TEXT]), set(docs)),
        (SearchFilters(uploaded_after=datetime(2026, 1, 1, tzinfo=UTC)), {"voice", "brand", "pdf"}),
        (SearchFilters(uploaded_before=datetime(2026, 1, 1, tzinfo=UTC)), {"old"}),
        (
            SearchFilters(
                uploaded_after=datetime(2026, 6, 1, 12, tzinfo=UTC),
                uploaded_before=datetime(2026, 6, 2, 12, tzinfo=UTC),
            ),
            {"brand"},
        ),
        (SearchFilters(document_ids=[docs["old"].id, docs["pdf"].id]), {"old", "pdf"}),
        (SearchFilters(document_ids=[]), set()),
        (SearchFilters(tags=["brand"], document_types=[DocumentType.PDF]), set()),
    ]
    for mode in ALL_MODES:
        for filters, expected in cases:
            assert await found(filters, mode) == expected, (mode, filters)


@pytest.mark.parametrize("mode", ALL_MODES)
async def test_only_indexed_documents_are_searched(
    container: Container, demo: dict[str, uuid.UUID], mode: SearchMode
) -> None:
    acme = demo["acme-running"]
    async with container.sessionmaker() as session, session.begin():
        indexed = await add_document(session, acme, [COFFEE])
        for status in (DocumentStatus.QUEUED, DocumentStatus.PARSING, DocumentStatus.FAILED):
            await add_document(session, acme, [COFFEE], status=status)

    results = await search(container, acme, "espresso roast", mode=mode)

    assert [r.document.id for r in results] == [indexed.id]


# --- snippets -----------------------------------------------------------------------------

FILLER = " ".join(f"word{i}" for i in range(60))


async def test_snippet_is_plain_text_around_the_match_with_highlights(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    chunk = (
        f"{FILLER} <b>Marathons</b> & trail runs: training for marathons starts slowly. {FILLER}"
    )
    doc = await seed(container, acme, [chunk])

    [result] = await search(container, acme, "marathon training", mode=SearchMode.LEXICAL)

    assert result.chunk_id == doc.chunk_ids[0]
    snippet = result.snippet
    assert len(snippet.split()) < 45 < len(chunk.split())
    assert snippet.startswith("… ")  # the chunk goes on before
    assert snippet.endswith(" …")  # and after
    assert not re.search("[\x00-\x1f]", snippet)
    marked = [snippet[h.start : h.end] for h in result.highlights]
    assert [m.lower() for m in marked] == ["marathons", "training", "marathons"]
    # The chunk's words as they are, unescaped; tags are left out (ts_headline drops them).
    assert "Marathons & trail runs: training" in snippet
    assert "<" not in snippet


async def test_unicode_snippets_count_code_points(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    chunk = "☕🏃 Le café crème de Zürich: une façade naïve, 日本語 aussi. Café au lait?"
    await seed(container, acme, [chunk])

    [result] = await search(container, acme, "café zürich", mode=SearchMode.LEXICAL)

    assert result.snippet == chunk
    marked = [result.snippet[h.start : h.end] for h in result.highlights]
    assert marked == ["café", "Zürich", "Café"]


async def test_a_vector_only_hit_shows_the_chunks_beginning(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    chunk = f"Cadence drills for runners. {FILLER}"
    await seed(container, acme, [chunk])

    [result] = await search(container, acme, "zzyzx", mode=SearchMode.VECTOR)

    assert result.highlights == []
    assert result.snippet.startswith("Cadence drills for runners. word0 word1")
    assert result.snippet.endswith(" …")
    assert 20 <= len(result.snippet.split()) <= 40


async def test_odd_words_are_quoted_not_parsed(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    chunk = "See C:\\brand\\kit or http://x.example/a'b?c=d&e=f, O'Neil's notes."
    doc = await seed(container, acme, [chunk])

    results = await search(
        container, acme, "x.example/a'b?c=d&e=f C:\\brand", mode=SearchMode.LEXICAL
    )

    assert [r.chunk_id for r in results] == doc.chunk_ids


@pytest.mark.parametrize("query", ["the and of", "?!…", "'\"&|!()<->:*", "a"])
@pytest.mark.parametrize("mode", ALL_MODES)
async def test_stop_words_or_punctuation_never_fail(
    container: Container, demo: dict[str, uuid.UUID], query: str, mode: SearchMode
) -> None:
    acme = demo["acme-running"]
    await seed(container, acme, CORPUS)

    results = await search(container, acme, query, mode=mode)

    if mode is SearchMode.LEXICAL:
        assert results == []
    else:  # the vector side still answers
        assert len(results) == len(CORPUS)
        assert all(r.scores.lexical_rank is None and r.highlights == [] for r in results)


def test_plain_snippet_strips_markers_and_collapses_spaces() -> None:
    text_ = "alpha  beta\n\ngamma delta epsilon"
    snippet, highlights = plain_snippet("beta\n\n\x02gamma\x03  \x02delta\x03", text_)
    assert snippet == "… beta gamma delta …"
    assert [snippet[h.start : h.end] for h in highlights] == ["gamma", "delta"]
    assert plain_snippet("alpha  beta\n\ngamma delta epsilon", text_) == (
        "alpha beta gamma delta epsilon",
        [],
    )


# --- plans --------------------------------------------------------------------------------


class Explain(Executable, ClauseElement):
    """EXPLAIN of a statement, bound parameters and all."""

    inherit_cache = False

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement


@compiles(Explain)
def _explain(element: Explain, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN " + compiler.process(element.statement, **kw)


# Random chunks, server-side: "common" and 30 words of a 2,000-word vocabulary, a random vector,
# spread over the workspace's documents. `g > 0` ties the subqueries to the row, so they are
# evaluated per row.
BULK_CHUNKS = """
INSERT INTO knowledge_chunks (id, workspace_id, document_id, ordinal, text, start_offset,
    end_offset, token_count, embedding, embedding_model, embedding_dimension)
SELECT gen_random_uuid(), d.workspace_id, d.id, g, (
        SELECT 'common ' || string_agg('term' || floor(random() * 2000)::int, ' ')
        FROM generate_series(1, 30) WHERE g > 0
    ), 0, 1, 30, (
        SELECT array_agg(random() - 0.5)::vector(384) FROM generate_series(1, 384) WHERE g > 0
    ), :model, 384
FROM knowledge_documents AS d, generate_series(1, :per_document) AS g
WHERE d.workspace_id = :workspace_id
"""


async def test_the_planner_uses_the_hnsw_and_gin_indexes(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """With 20k chunks in a workspace (pgvector 0.8.5's cost model, which grows with
    ef_search, prefers a sequential scan below about 15k at ef_search 200; the search's 300
    still picks the index here), each candidate statement uses its index: the
    lexical one (hybrid's first, and the lexical mode's) the GIN index, the vector one the
    HNSW index; hybrid's last statement reads its few chunks by key. The HNSW index is
    dropped and rebuilt from its own definition around the bulk insert, a bulk build being
    much faster than 20k inserts; it is all committed, as hybrid's vector side reads on a
    connection of its own (the fixture truncates the tables afterwards)."""
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    rng = np.random.default_rng(7)
    vector = rng.standard_normal(384).astype(np.float32)
    vector /= np.linalg.norm(vector)
    async with container.sessionmaker() as session, session.begin():
        for workspace_id, documents in ((acme, 40), (globex, 4)):
            for _ in range(documents):
                await add_document(
                    session, workspace_id, ["term7 term42 seed chunk"], tags=["guide"],
                    vectors=vector[None, :],
                )  # fmt: skip
        index = "ix_knowledge_chunks_embedding_384"
        definition = (
            await session.execute(text("SELECT pg_get_indexdef(to_regclass(:i))"), {"i": index})
        ).scalar_one()
        await session.execute(text(f"DROP INDEX {index}"))
        await session.execute(text("SELECT setseed(0.42)"))
        for workspace_id in (acme, globex):
            await session.execute(
                text(BULK_CHUNKS),
                {"model": MODEL, "per_document": 500, "workspace_id": workspace_id},
            )
        await session.execute(text(definition))
    async with container.engine.connect() as connection:
        await connection.execute(text("ANALYZE knowledge_chunks, knowledge_documents"))
        await connection.commit()

    async def plan_of(statement: ClauseElement, parameters: dict[str, Any] | None = None) -> str:
        async with container.sessionmaker() as session, session.begin():
            await session.execute(search_settings())
            explained = await session.execute(Explain(statement), parameters)
            plan = "\n".join(row[0] for row in explained)
        return re.sub(r"'\[[^]]*\]'", "'[...]'", plan)

    query = "term7 term42 term1999"
    for filtered in (False, True):
        filters = SearchFilters(
            tags=["guide"] if filtered else None,
            document_types=[DocumentType.TEXT] if filtered else None,
        )
        request = {m: SearchRequest(query=query, mode=m, filters=filters) for m in ALL_MODES}
        hybrid = request[SearchMode.HYBRID]
        gin = "Bitmap Index Scan on ix_knowledge_chunks_search_vector"
        hnsw = "Index Scan using ix_knowledge_chunks_embedding_384"
        for statement, expected in (
            (lexical_candidates(acme, hybrid), gin),
            (vector_candidates(acme, hybrid, vector, MODEL), hnsw),
            (
                single_side_statement(
                    acme, request[SearchMode.LEXICAL], query_vector=None, embedding_model=None
                ),
                gin,
            ),
            (
                single_side_statement(
                    acme, request[SearchMode.VECTOR], query_vector=vector, embedding_model=MODEL
                ),
                hnsw,
            ),
        ):
            plan = await plan_of(statement)
            assert expected in plan, plan
        # Hybrid's last statement, on real candidate lists: no scan of the chunks.
        async with container.sessionmaker() as session:
            lexical = lexical_candidates(acme, hybrid)
            found = [(r.chunk_id, r.score) for r in await session.execute(lexical)]
            ann = vector_candidates(acme, hybrid, vector, MODEL)
            nearest = [(r.chunk_id, r.distance) for r in await session.execute(ann)]
        assert found
        assert nearest
        plan = await plan_of(fused_statement(), fused_parameters(acme, hybrid, found, nearest))
        assert "Seq Scan on knowledge_chunks" not in plan, plan
        assert "Index Scan using pk_knowledge_chunks" in plan, plan

    # The search these plans are for finds chunks of its own workspace only, from both sides.
    async with container.sessionmaker() as session:
        results = await search_chunks(
            session,
            acme,
            SearchRequest(query="term7 term42"),
            query_vector=vector,
            embedding_model=MODEL,
        )
        workspaces = (
            (
                await session.execute(
                    text("SELECT DISTINCT workspace_id FROM knowledge_chunks WHERE id = ANY(:ids)"),
                    {"ids": [r.chunk_id for r in results]},
                )
            )
            .scalars()
            .all()
        )
        # A word in every chunk does not pick candidates when rarer ones can; alone, it does.
        candidates = {
            query: (await session.execute(select(candidate_tsquery(query)))).scalar_one()
            for query in ("common term7", "common")
        }

    assert candidates == {"common term7": "'term7'", "common": "'common'"}
    assert len(results) == 10
    assert workspaces == [acme]
    assert all(r.scores.lexical_rank and r.scores.vector_rank for r in results)
