"""Re-embedding after a model change, in the background, in batches.

Chunks keep their text, offsets and full-text index; only vectors change. Until a chunk
has the configured model's vector it is found by full-text search only (vector search
compares like with like: same model, same dimension). Batches are locked with SKIP LOCKED,
so several workers share the work, and each batch commits on its own: a restart resumes.
Each batch is ledgered (task ``embed``, by the system) once per workspace it touched.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.finops.public import Task
from brandflow.contexts.knowledge.embedder import Embedder
from brandflow.contexts.knowledge.ingestion import embedding_call, embedding_meter
from brandflow.contexts.knowledge.repository import KnowledgeRepository
from brandflow.kernel.context import Actor
from brandflow.kernel.db import utcnow
from brandflow.kernel.metrics import KNOWLEDGE_CHUNKS_EMBEDDED
from brandflow.kernel.telemetry import get_logger

log = get_logger(__name__)

BATCH = 64
IDLE_SECONDS = 60.0
REEMBEDDER = Actor.system("reembed")


async def reembed_stale(
    sessionmaker: async_sessionmaker[AsyncSession], embedder: Embedder, *, batch: int = BATCH
) -> int:
    """Re-embed every chunk whose vector is not the embedder's. Returns how many."""
    model, dimension = embedder.model, embedder.dimension
    done = 0
    while True:
        async with sessionmaker() as session:
            repo = KnowledgeRepository(session)
            rows = await repo.stale_chunks(model, dimension, limit=batch)
            if rows:
                started = time.perf_counter()
                vectors = await embedder.embed([text for _, text, _, _ in rows])
                latency_ms = (time.perf_counter() - started) * 1000
                await _meter(sessionmaker, embedder, rows, latency_ms)
                await repo.set_embeddings(
                    model,
                    dimension,
                    [
                        (chunk_id, vector.tolist())
                        for (chunk_id, _, _, _), vector in zip(rows, vectors, strict=True)
                    ],
                )
            documents = await repo.finish_reembedded_documents(model, dimension, utcnow())
            await session.commit()
        if documents:
            log.info("knowledge_reembedded_documents", documents=documents, model=model)
        if not rows:
            return done
        done += len(rows)
        KNOWLEDGE_CHUNKS_EMBEDDED.labels(model).inc(len(rows))


async def _meter(
    sessionmaker: async_sessionmaker[AsyncSession],
    embedder: Embedder,
    rows: Sequence[tuple[uuid.UUID, str, uuid.UUID, int]],
    latency_ms: float,
) -> None:
    """One ledger row per workspace of the batch: its chunks' tokens, the call's latency."""
    tokens: Counter[uuid.UUID] = Counter()
    for _, _, workspace_id, token_count in rows:
        tokens[workspace_id] += token_count
    for workspace_id, count in tokens.items():
        call = embedding_call(embedder, workspace_id, Task.EMBED, REEMBEDDER)
        await embedding_meter(sessionmaker, call)(count, latency_ms)


async def reembed_periodically(
    sessionmaker: async_sessionmaker[AsyncSession],
    embedder: Embedder,
    *,
    idle_seconds: float = IDLE_SECONDS,
) -> None:
    """Runs in every process that runs the relay; cheap when nothing is stale."""
    while True:
        try:
            count = await reembed_stale(sessionmaker, embedder)
            if count:
                log.info("knowledge_reembedded_chunks", chunks=count, model=embedder.model)
        except Exception as exc:  # logged; tried again after the pause
            log.error("knowledge_reembed_failed", error=repr(exc))
        await asyncio.sleep(idle_seconds)
