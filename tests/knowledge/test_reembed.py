"""Changing the embedding model re-embeds every chunk in the background, text untouched."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence

import httpx
import numpy as np
from sqlalchemy import select

from brandflow.bootstrap import Container
from brandflow.contexts.knowledge.embedder import Vectors, unit_rows
from brandflow.contexts.knowledge.orm import KnowledgeChunk, KnowledgeDocument
from brandflow.contexts.knowledge.reembed import reembed_stale
from tests.conftest import login
from tests.knowledge.test_documents_api import GUIDE, upload


class HashingEmbedder:
    """A stand-in provider (another model, another dimension): vectors from text hashes."""

    model = "test/hashing-16"
    dimension = 16

    def __init__(self) -> None:
        self.calls = 0

    async def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        rows = [
            np.frombuffer(hashlib.sha256(t.encode()).digest()[:16], dtype=np.uint8) for t in texts
        ]
        return unit_rows(np.array(rows, dtype=np.float32) + 1.0)


async def test_model_change_reembeds_all_chunks_in_batches(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    writer = await login(app_client, "writer@northwind.example")
    long_guide = "\n\n".join(f"Section {i}. " + GUIDE for i in range(12))
    for name, text in (("a.md", long_guide), ("b.md", GUIDE)):
        response = await upload(app_client, writer, demo["acme-running"], name, text.encode())
        assert response.status_code == 201
    await container.relay.drain()
    async with container.sessionmaker() as session:
        before = {c.id: c.text for c in await session.scalars(select(KnowledgeChunk))}
    assert len(before) > 3

    embedder = HashingEmbedder()
    done = await reembed_stale(container.sessionmaker, embedder, batch=3)

    assert done == len(before)
    assert embedder.calls == -(-len(before) // 3)  # ceil: every batch once, none twice
    async with container.sessionmaker() as session:
        chunks = (await session.scalars(select(KnowledgeChunk))).all()
        documents = (await session.scalars(select(KnowledgeDocument))).all()
    assert {c.id: c.text for c in chunks} == before
    assert {(c.embedding_model, c.embedding_dimension) for c in chunks} == {("test/hashing-16", 16)}
    assert all(len(c.embedding) == 16 for c in chunks)
    assert {(d.embedding_model, d.embedding_dimension) for d in documents} == {
        ("test/hashing-16", 16)
    }
    # Nothing left: a second pass embeds nothing.
    assert await reembed_stale(container.sessionmaker, embedder) == 0
