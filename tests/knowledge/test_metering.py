"""Every embedding call is on the usage ledger (finops): ingestion per batch, re-embedding
per workspace and batch, search queries just after the response."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from genai_prices.data_snapshot import get_snapshot
from sqlalchemy import select

from brandflow.bootstrap import Container
from brandflow.contexts.finops.orm import BudgetPeriod, UsageRecord
from brandflow.contexts.finops.public import flush_pending_usage
from brandflow.contexts.knowledge import ingestion
from brandflow.contexts.knowledge.chunking import minilm_token_counter
from brandflow.contexts.knowledge.minilm import MODEL_NAME
from brandflow.contexts.knowledge.openai_compatible import OpenAICompatibleEmbedder
from brandflow.contexts.knowledge.orm import KnowledgeChunk
from brandflow.contexts.knowledge.public import SearchMode, SearchRequest, search_knowledge
from brandflow.contexts.knowledge.reembed import reembed_stale
from tests.conftest import login
from tests.knowledge.test_documents_api import GUIDE, base, upload
from tests.knowledge.test_embeddings import EmbeddingsAPI
from tests.knowledge.test_reembed import HashingEmbedder

LONG_GUIDE = "\n\n".join(f"Section {i}. " + GUIDE for i in range(12))


async def usage(container: Container, task: str) -> list[UsageRecord]:
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(UsageRecord)
            .where(UsageRecord.task == task)
            .order_by(UsageRecord.created_at, UsageRecord.id)
        )
        return list(rows)


async def chunk_tokens(container: Container) -> dict[uuid.UUID, list[int]]:
    """Each workspace's chunks' token counts, in order."""
    async with container.sessionmaker() as session:
        rows = await session.execute(
            select(KnowledgeChunk.workspace_id, KnowledgeChunk.token_count).order_by(
                KnowledgeChunk.document_id, KnowledgeChunk.ordinal
            )
        )
        found: dict[uuid.UUID, list[int]] = {}
        for workspace_id, tokens in rows:
            found.setdefault(workspace_id, []).append(tokens)
        return found


async def user_id(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    return str((await client.get("/api/v1/me", headers=headers)).json()["user"]["id"])


async def test_ingestion_ledgers_every_embedding_batch_for_the_uploader(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ingestion, "EMBED_BATCH", 2)  # several batches from one document
    writer = await login(app_client, "writer@northwind.example")
    acme = demo["acme-running"]
    response = await upload(app_client, writer, acme, "guide.md", LONG_GUIDE.encode())
    assert response.status_code == 201, response.text
    await container.relay.drain()

    tokens = (await chunk_tokens(container))[acme]
    assert len(tokens) >= 3
    rows = await usage(container, "embed")
    batches = [sum(tokens[i : i + 2]) for i in range(0, len(tokens), 2)]
    assert sorted(r.input_tokens for r in rows) == sorted(batches)
    assert sum(r.input_tokens for r in rows) == sum(tokens)
    writer_id = await user_id(app_client, writer)
    for row in rows:
        assert (row.workspace_id, row.campaign_id, row.provider, row.model) == (
            acme,
            None,
            "local",
            MODEL_NAME,
        )
        assert (row.actor_type, row.actor_id) == ("user", writer_id)
        assert (row.output_tokens, row.cost_usd, row.price_source) == (0, Decimal(0), "free")
        assert row.request_id  # the upload's request
    async with container.sessionmaker() as session:
        assert await session.scalar(select(BudgetPeriod.id)) is None  # free: no budget touched


async def test_a_search_query_is_ledgered_after_the_response(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    writer = await login(app_client, "writer@northwind.example")
    acme = demo["acme-running"]
    await upload(app_client, writer, acme, "guide.md", GUIDE.encode())
    await container.relay.drain()
    query = "Wie klingt Acme Running? Kurz, warm, direkt, Straße 🏃"

    response = await app_client.post(f"{base(acme)}/search", headers=writer, json={"query": query})
    assert response.status_code == 200, response.text
    assert await usage(container, "search") == []  # not on the response path
    lexical = await app_client.post(
        f"{base(acme)}/search", headers=writer, json={"query": query, "mode": "lexical"}
    )
    assert lexical.status_code == 200  # no embedding: nothing to ledger

    assert await flush_pending_usage(container.sessionmaker) == 1
    [row] = await usage(container, "search")
    assert (row.workspace_id, row.provider, row.model, row.price_source) == (
        acme,
        "local",
        MODEL_NAME,
        "free",
    )
    assert row.input_tokens == minilm_token_counter()(query) > 0
    assert (row.actor_type, row.actor_id) == ("user", await user_id(app_client, writer))
    assert row.request_id


async def test_a_repeated_query_reuses_its_vector_within_the_workspace_only(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """The second identical search in a workspace is not embedded (nor ledgered) again, and
    finds the same; the same words in another workspace, or other words, are embedded."""
    owner = await login(app_client, "owner@northwind.example")
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    for workspace_id in (acme, globex):
        await upload(app_client, owner, workspace_id, "guide.md", GUIDE.encode())
    await container.relay.drain()
    await flush_pending_usage(container.sessionmaker)
    query = "How does Acme Running sound? Short, warm, direct"

    async def search(workspace_id: uuid.UUID, text: str, mode: str = "hybrid") -> object:
        response = await app_client.post(
            f"{base(workspace_id)}/search", headers=owner, json={"query": text, "mode": mode}
        )
        assert response.status_code == 200, response.text
        return response.json()["results"]

    first = await search(acme, query)
    again = await search(acme, query)
    vector_again = await search(acme, query, "vector")
    await search(globex, query)
    await search(acme, query + "!")
    await flush_pending_usage(container.sessionmaker)

    assert first
    assert again == first
    assert vector_again
    ledgered = Counter(
        (row.workspace_id, row.input_tokens) for row in await usage(container, "search")
    )
    tokens = minilm_token_counter()
    assert ledgered == Counter(
        {(acme, tokens(query)): 1, (globex, tokens(query)): 1, (acme, tokens(query + "!")): 1}
    )
    assert container.query_vectors is not None
    assert len(container.query_vectors) == 3


async def test_re_embedding_is_ledgered_per_workspace_as_the_system(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    writer = await login(app_client, "writer@northwind.example")  # an editor in both
    for workspace, text in ((demo["acme-running"], LONG_GUIDE), (demo["globex-coffee"], GUIDE)):
        response = await upload(app_client, writer, workspace, "guide.md", text.encode())
        assert response.status_code == 201, response.text
    await container.relay.drain()
    before = len(await usage(container, "embed"))  # the ingestion's rows

    embedder = HashingEmbedder()
    done = await reembed_stale(container.sessionmaker, embedder, batch=3)

    rows = (await usage(container, "embed"))[before:]
    tokens = await chunk_tokens(container)
    assert done == sum(len(t) for t in tokens.values())
    by_workspace: Counter[uuid.UUID] = Counter()
    for row in rows:
        by_workspace[row.workspace_id] += row.input_tokens
        assert (row.provider, row.model, row.actor_type, row.actor_id) == (
            "local",
            "test/hashing-16",
            "system",
            "reembed",
        )
    assert by_workspace == {w: sum(t) for w, t in tokens.items()}
    assert len(rows) >= embedder.calls  # one row per workspace of each batch


@pytest.fixture
def embeddings_api() -> Iterator[EmbeddingsAPI]:
    server = EmbeddingsAPI()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


async def test_an_embeddings_api_is_priced_and_counts_against_the_budget(
    container: Container, demo: dict[str, uuid.UUID], embeddings_api: EmbeddingsAPI
) -> None:
    acme = demo["acme-running"]
    embedder = OpenAICompatibleEmbedder(
        base_url=embeddings_api.url("ok"), model="text-embedding-3-small"
    )
    query = "marathon training plan " * 20
    async with container.sessionmaker() as session:
        request = SearchRequest(query=query, mode=SearchMode.VECTOR)
        await search_knowledge(session, acme, embedder, request)
    await flush_pending_usage(container.sessionmaker)

    [row] = await usage(container, "search")
    assert (row.provider, row.model, row.price_source) == (
        "openai",
        "text-embedding-3-small",
        "genai-prices",
    )
    _, model = get_snapshot().find_provider_model("text-embedding-3-small", None, "openai", None)
    price = model.get_prices(row.created_at).input_mtok
    assert isinstance(price, Decimal)
    assert row.input_tokens == minilm_token_counter()(query.strip())
    assert row.cost_usd == row.input_tokens * price / Decimal(1_000_000) > 0
    async with container.sessionmaker() as session:
        spent = await session.scalar(
            select(BudgetPeriod.spent_usd).where(BudgetPeriod.workspace_id == acme)
        )
    assert spent == row.cost_usd
