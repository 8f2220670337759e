"""Hybrid search's shape on the real PostgreSQL: the lexical side runs while the query is
embedded, the vector side on a second connection, and the last statement fuses both; the
result is exactly the RRF of the two single-side searches; filters bind both sides; a failing
embedding is a 503 and leaves the caller's session usable; connections go back to the pool."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

from brandflow.app import create_app
from brandflow.bootstrap import Container
from brandflow.contexts.knowledge.embedder import EmbeddingError
from brandflow.contexts.knowledge.openai_compatible import OpenAICompatibleEmbedder
from brandflow.contexts.knowledge.public import search_knowledge
from brandflow.contexts.knowledge.schemas import (
    SearchFilters,
    SearchMode,
    SearchRequest,
    SearchResult,
)
from brandflow.contexts.knowledge.search import (
    CONNECTION_SETTINGS,
    RRF_K,
    Vector1D,
    search_chunks,
)
from brandflow.kernel.db import create_engine, create_sessionmaker, read_only_sessionmaker
from brandflow.kernel.errors import ServiceUnavailable
from tests.conftest import login
from tests.knowledge.search_data import EMBEDDER, MODEL, add_document, embed
from tests.knowledge.test_documents_api import base
from tests.knowledge.test_embeddings import EmbeddingsAPI
from tests.knowledge.test_search import CORPUS

# Thirty chunks: some share words with the query, some only its meaning, most neither, so
# the two sides' lists differ in members and order.
RUNNING = [
    "Interval sessions on the track sharpen speed for a 10k race.",
    "Easy recovery jogs keep the legs moving the day after a hard workout.",
    "A marathon taper cuts weekly volume for the last three weeks before race day.",
    "Hydration matters: drink to thirst during long runs in summer heat.",
    "Strength work for runners: squats, lunges and calf raises twice a week.",
    "Our trail shoes grip wet rock and roots on steep descents.",
    "Training plans for beginners alternate walking and running minutes.",
    "Carbohydrate loading before a marathon fills the glycogen stores.",
    "Cadence drills: short quick steps reduce overstriding and braking.",
    "Sleep is when the body adapts to training; aim for eight hours.",
    "The half marathon plan peaks at a 20 km long run in week ten.",
    "Foam rolling after runs eases tight calves and hamstrings.",
    "Hill repeats build leg strength and running economy.",
    "Race-day nutrition: gels every 40 minutes from the first hour.",
    "A heart-rate monitor keeps easy runs truly easy.",
    "Marathon pacing: start slower than goal pace for the first 5 km.",
    "Stretching routines for the hips help long-distance runners.",
    "Winter running: layers, gloves and a headlamp for dark mornings.",
    "Tempo runs at threshold pace raise the lactate turnover point.",
    "Rest weeks every month prevent overtraining and injuries.",
    "Coffee before a morning run can lift performance a little.",
    "Brand voice guide: encouraging, plain, never shouting.",
    "Product sheet: the Cloudstrider weighs 230 grams.",
    "Stiff, springy footwear helps you hold speed over 42 kilometres.",
    "Cross-training on a bike keeps fitness while an injury heals.",
    "Weekly mileage should grow by about ten percent at most.",
]
QUERY = "marathon training plan for a first race"


async def seeded(container: Container, workspace_id: uuid.UUID) -> list[uuid.UUID]:
    """The corpus above in three documents; their chunk ids."""
    ids: list[uuid.UUID] = []
    async with container.sessionmaker() as session, session.begin():
        for part in (RUNNING[:10], RUNNING[10:20], RUNNING[20:] + CORPUS):
            ids += (await add_document(session, workspace_id, part)).chunk_ids
    return ids


async def search(
    container: Container,
    workspace_id: uuid.UUID,
    request: SearchRequest,
    query_vector: Vector1D | None = None,
) -> list[SearchResult]:
    if query_vector is None and request.mode is not SearchMode.LEXICAL:
        query_vector = (await embed([request.query]))[0]
    async with container.sessionmaker() as session:
        return await search_chunks(
            session,
            workspace_id,
            request,
            query_vector=query_vector,
            embedding_model=MODEL if query_vector is not None else None,
        )


def checked_out(container: Container) -> int:
    pool = container.engine.pool
    assert isinstance(pool, QueuePool)
    return pool.checkedout()


def reciprocal_rank_fusion(
    lexical: list[SearchResult], vector: list[SearchResult], limit: int
) -> list[tuple[uuid.UUID, float]]:
    """RRF as the module documents it, in Python: ties by chunk id."""
    fused: dict[uuid.UUID, float] = {}
    for side, rank_of in ((lexical, "lexical_rank"), (vector, "vector_rank")):
        for result in side:
            rank = getattr(result.scores, rank_of)
            fused[result.chunk_id] = fused.get(result.chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


# --- the result is the fusion of both sides ----------------------------------------------


@pytest.mark.parametrize("limit", [1, 7, 40])
async def test_hybrid_is_the_rrf_of_the_lexical_and_vector_searches(
    container: Container, demo: dict[str, uuid.UUID], limit: int
) -> None:
    acme = demo["acme-running"]
    await seeded(container, acme)
    one_side = {
        mode: await search(container, acme, SearchRequest(query=QUERY, mode=mode, limit=100))
        for mode in (SearchMode.LEXICAL, SearchMode.VECTOR)
    }
    lexical, vector = one_side[SearchMode.LEXICAL], one_side[SearchMode.VECTOR]
    # Both sides matter here: their lists differ.
    assert 0 < len(lexical) < len(vector) == len(RUNNING) + len(CORPUS)

    hybrid = await search(container, acme, SearchRequest(query=QUERY, limit=limit))

    expected = reciprocal_rank_fusion(lexical, vector, limit)
    assert [r.chunk_id for r in hybrid] == [chunk_id for chunk_id, _ in expected]
    assert [r.scores.fused for r in hybrid] == pytest.approx([f for _, f in expected], abs=1e-12)
    by_id = {side: {r.chunk_id: r for r in one_side[side]} for side in one_side}
    for result in hybrid:
        alone_lexical = by_id[SearchMode.LEXICAL].get(result.chunk_id)
        alone_vector = by_id[SearchMode.VECTOR][result.chunk_id]
        # Each side's rank and score, as that side alone gives them.
        assert result.scores.lexical_rank == (alone_lexical and alone_lexical.scores.lexical_rank)
        assert result.scores.lexical_score == (alone_lexical and alone_lexical.scores.lexical_score)
        assert result.scores.vector_rank == alone_vector.scores.vector_rank
        assert result.scores.vector_similarity == alone_vector.scores.vector_similarity
        # The rest of the row is the chunk's, with the same snippet either way.
        assert result.model_dump(exclude={"scores"}) == alone_vector.model_dump(exclude={"scores"})
    if limit > len(lexical):  # every chunk: some found by vectors only
        sides = {(r.scores.lexical_rank is None, r.scores.vector_rank is None) for r in hybrid}
        assert sides == {(False, False), (True, False)}  # found by both, and by vectors only


async def test_filters_bind_both_sides(container: Container, demo: dict[str, uuid.UUID]) -> None:
    """A chunk only full text finds (another model's vector) and one only vectors find (no
    query word): a filter that excludes one must exclude it from the side that finds it."""
    acme = demo["acme-running"]
    lexical_only = "Carbon racing shoes: the marathon shoes catalogue."
    async with container.sessionmaker() as session, session.begin():
        words = await add_document(
            session, acme, [lexical_only], tags=["catalogue"],
            vectors=np.eye(1, 384, dtype=np.float32), model="test/other-model",
        )  # fmt: skip
        meaning = await add_document(session, acme, [RUNNING[23]], tags=["sheet"])
    query = "carbon racing shoes for the marathon"

    async def found(filters: SearchFilters) -> set[uuid.UUID]:
        request = SearchRequest(query=query, filters=filters)
        return {r.document.id for r in await search(container, acme, request)}

    assert await found(SearchFilters()) == {words.id, meaning.id}
    assert await found(SearchFilters(tags=["catalogue"])) == {words.id}
    assert await found(SearchFilters(tags=["sheet"])) == {meaning.id}
    assert await found(SearchFilters(document_ids=[meaning.id])) == {meaning.id}
    assert await found(SearchFilters(document_ids=[words.id])) == {words.id}
    assert await found(SearchFilters(tags=["sheet", "catalogue"])) == set()


async def test_concurrent_searches_give_what_each_gives_alone(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    await seeded(container, acme)
    queries = [QUERY, "how do I run faster uphill?", "☕ Kaffee vor dem Laufen?", "sleep", "x"]
    requests = [SearchRequest(query=q, limit=5) for q in queries] * 3  # 30 connections at once
    alone = [await search(container, acme, request) for request in requests[: len(queries)]]

    together = await asyncio.gather(*(search(container, acme, r) for r in requests))

    assert together == alone * 3
    assert checked_out(container) == 0


async def test_a_burst_of_searches_holding_their_connections_does_not_wait_on_itself(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """Like API requests, each search's session holds its connection before searching; with
    more of them than the pool has connections, none may wait for a second one (every one
    would, until pool_timeout, 30 s): those without a spare run both sides on their own."""
    acme = demo["acme-running"]
    await seeded(container, acme)
    capacity = 2 * container.settings.db_pool_size  # kernel.db: max_overflow = pool_size
    expected = await search(container, acme, SearchRequest(query=QUERY, limit=5))
    vector = (await embed([QUERY]))[0]
    holding: list[None] = []
    all_holding = asyncio.Event()

    async def request_holding_its_connection() -> list[SearchResult]:
        async with container.sessionmaker() as session:
            await session.execute(text("SELECT 1"))  # the request's permission checks
            holding.append(None)
            if len(holding) == capacity:
                all_holding.set()
            await all_holding.wait()
            return await search_chunks(
                session, acme, SearchRequest(query=QUERY, limit=5), query_vector=vector,
                embedding_model=MODEL,
            )  # fmt: skip

    requests = [asyncio.create_task(request_holding_its_connection()) for _ in range(capacity)]
    answers = await asyncio.wait_for(asyncio.gather(*requests), timeout=20)

    assert answers == [expected] * capacity
    assert checked_out(container) == 0


# --- the shape: concurrency, connections --------------------------------------------------


class Statements:
    """What each SQL statement of the engine was and which backend ran it, in order."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int, bool]] = []
        self.lexical_started = asyncio.Event()

    def __call__(self, conn: Connection, cursor: Any, statement: str, *args: Any) -> None:
        driver = conn.connection.driver_connection
        assert driver is not None
        kind = (
            "settings" if "set_config(" in statement
            else "lexical" if "ts_rank(" in statement
            else "vector" if "<=>" in statement
            else "fused" if "WITH ORDINALITY" in statement
            else "other"
        )  # fmt: skip
        self.seen.append((kind, driver.info.backend_pid, bool(driver.autocommit)))
        if kind == "lexical":
            self.lexical_started.set()

    def backends(self, kind: str) -> set[int]:
        return {pid for seen, pid, _ in self.seen if seen == kind}


@pytest.fixture
def statements(container: Container) -> Iterator[Statements]:
    recorder = Statements()
    event.listen(container.engine.sync_engine, "before_cursor_execute", recorder)
    yield recorder
    event.remove(container.engine.sync_engine, "before_cursor_execute", recorder)


async def test_the_lexical_side_runs_while_the_query_is_embedded(
    container: Container, demo: dict[str, uuid.UUID], statements: Statements
) -> None:
    """The embedding below finishes only once the lexical statement has started: a search
    that embedded first would never get there."""
    acme = demo["acme-running"]
    await seeded(container, acme)
    expected = await search(container, acme, SearchRequest(query=QUERY))
    statements.seen.clear()

    async def embedding() -> Vector1D:
        await asyncio.wait_for(statements.lexical_started.wait(), timeout=10)
        vector: Vector1D = (await embed([QUERY]))[0]
        return vector

    async with container.sessionmaker() as session:
        found = await search_chunks(
            session, acme, SearchRequest(query=QUERY), query_vector=embedding(),
            embedding_model=MODEL,
        )  # fmt: skip

    assert found == expected
    caller, second = statements.backends("lexical"), statements.backends("vector")
    assert len(caller) == len(second) == 1
    assert caller != second  # the vector side has a connection of its own
    assert statements.backends("fused") == caller  # the last statement is the caller's
    # Both connections opened with the search's settings (bootstrap): no SET per search.
    assert statements.backends("settings") == set()
    # The vector side runs in autocommit (no BEGIN, no COMMIT); the caller's session is left
    # in its transaction.
    autocommit = {(pid in second, on) for _, pid, on in statements.seen}
    assert autocommit == {(True, True), (False, False)}


@pytest.mark.parametrize("mode", [SearchMode.LEXICAL, SearchMode.VECTOR])
async def test_one_side_searches_use_one_connection_and_one_statement(
    container: Container, demo: dict[str, uuid.UUID], statements: Statements, mode: SearchMode
) -> None:
    acme = demo["acme-running"]
    await seeded(container, acme)
    statements.seen.clear()

    assert await search(container, acme, SearchRequest(query=QUERY, mode=mode))

    assert len({pid for _, pid, _ in statements.seen}) == 1
    assert [kind for kind, _, _ in statements.seen] == [mode.value]


async def test_every_connection_of_the_process_opens_with_the_search_settings(
    container: Container,
) -> None:
    async with container.engine.connect() as connection:
        shown = {
            name: await connection.scalar(text("SELECT current_setting(:name)"), {"name": name})
            for name in CONNECTION_SETTINGS
        }
    assert shown == dict(CONNECTION_SETTINGS)
    assert shown["hnsw.ef_search"] != "40"  # pgvector's default


async def test_a_connection_without_the_settings_gets_them_where_it_searches(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """An engine built without them (a script's): SET LOCAL in every transaction; once per
    connection, remembered, in autocommit, where a session-wide SET cannot be rolled back."""
    acme = demo["acme-running"]
    await seeded(container, acme)
    expected = await search(container, acme, SearchRequest(query=QUERY, mode=SearchMode.VECTOR))
    url = container.engine.url.render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=1)
    recorder = Statements()
    event.listen(engine.sync_engine, "before_cursor_execute", recorder)
    request = SearchRequest(query=QUERY, mode=SearchMode.VECTOR)
    vector = (await embed([QUERY]))[0]
    try:
        for _ in range(2):
            async with create_sessionmaker(engine)() as session:
                assert (
                    await search_chunks(
                        session, acme, request, query_vector=vector, embedding_model=MODEL
                    )
                    == expected
                )
        reads = read_only_sessionmaker(create_sessionmaker(engine))
        for _ in range(2):
            async with reads() as session:
                assert (
                    await search_chunks(
                        session, acme, request, query_vector=vector, embedding_model=MODEL
                    )
                    == expected
                )
    finally:
        await engine.dispose()
    kinds = [(kind, on) for kind, _, on in recorder.seen if kind in ("settings", "vector")]
    assert kinds == [
        ("settings", False), ("vector", False),  # a transaction: SET LOCAL
        ("settings", False), ("vector", False),  # ... again in the next one
        ("settings", True), ("vector", True),  # autocommit: set for the connection's life
        ("vector", True),
    ]  # fmt: skip


# --- failures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embeddings_api() -> Iterator[EmbeddingsAPI]:
    server = EmbeddingsAPI()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
async def failing_client(
    container: Container, embeddings_api: EmbeddingsAPI
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with an embeddings API that answers 503."""
    container.embedder = OpenAICompatibleEmbedder(
        base_url=embeddings_api.url("failing"), model="text-embedding-3-small"
    )
    app = create_app(container.settings, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize("mode", ["hybrid", "vector"])
async def test_a_failing_embedding_is_a_503_problem_and_lexical_still_answers(
    failing_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    statements: Statements,
    mode: str,
) -> None:
    acme = demo["acme-running"]
    await seeded(container, acme)
    writer = await login(failing_client, "writer@northwind.example")
    statements.seen.clear()

    failed = await failing_client.post(
        f"{base(acme)}/search", headers=writer, json={"query": QUERY, "mode": mode}
    )

    assert failed.status_code == 503, failed.text
    assert failed.headers["content-type"].startswith("application/problem+json")
    problem = failed.json()
    assert problem["status"] == 503
    assert "mode: lexical" in problem["detail"]
    assert statements.backends("vector") == set()
    if mode == "hybrid":  # the lexical side had started at once, and was waited for
        assert statements.backends("lexical")
    lexical = await failing_client.post(
        f"{base(acme)}/search", headers=writer, json={"query": QUERY, "mode": "lexical"}
    )
    assert lexical.status_code == 200
    assert lexical.json()["results"]
    assert checked_out(container) == 0


async def failing_embedding() -> Vector1D:
    await asyncio.sleep(0)
    raise EmbeddingError("provider down")


async def nan_embedding() -> Vector1D:
    vector: Vector1D = np.full(384, np.nan, dtype=np.float32)
    return vector


@pytest.mark.parametrize(
    ("query_vector", "error"),
    [(failing_embedding, EmbeddingError), (nan_embedding, ValueError)],
)
async def test_after_a_failing_vector_side_the_callers_session_is_usable(
    container: Container,
    demo: dict[str, uuid.UUID],
    query_vector: Any,
    error: type[Exception],
) -> None:
    """The studio falls back to lexical search on the same session (retrieval.py): the
    lexical side must be finished, and the vector side's connection returned, by then."""
    acme = demo["acme-running"]
    await seeded(container, acme)
    before = checked_out(container)

    async with container.sessionmaker() as session:
        with pytest.raises(error):
            await search_chunks(
                session, acme, SearchRequest(query=QUERY), query_vector=query_vector(),
                embedding_model=MODEL,
            )  # fmt: skip
        # The lexical side has finished, not left running on the caller's session.
        assert not [t for t in asyncio.all_tasks() if "_lexical_list" in repr(t.get_coro())]
        assert checked_out(container) == before + 1  # the caller's only
        lexical = SearchRequest(query=QUERY, mode=SearchMode.LEXICAL)
        results = await search_chunks(
            session, acme, lexical, query_vector=None, embedding_model=None
        )
    assert results
    assert checked_out(container) == before


async def test_search_knowledge_maps_the_embedding_failure_to_service_unavailable(
    container: Container, demo: dict[str, uuid.UUID], embeddings_api: EmbeddingsAPI
) -> None:
    acme = demo["acme-running"]
    await seeded(container, acme)
    failing = OpenAICompatibleEmbedder(
        base_url=embeddings_api.url("failing"), model="text-embedding-3-small"
    )
    async with container.sessionmaker() as session:
        with pytest.raises(ServiceUnavailable):
            await search_knowledge(session, acme, failing, SearchRequest(query=QUERY))
        answer = await search_knowledge(
            session, acme, EMBEDDER, SearchRequest(query=QUERY, limit=3)
        )
    assert answer.embedding_model == MODEL
    assert len(answer.results) == 3
    assert answer.results[0].chunk_id
