"""The ingestion pipeline: bytes -> text -> chunks -> vectors. No database, no storage.

Parsing and chunking are CPU-bound and run in a thread, so the event loop keeps serving
(in the embedded default the API and the consumers share one process). Every embedding call
is ledgered (finops): per batch, with the tokenizer's count of its chunks as input tokens.
"""

from __future__ import annotations

import asyncio
import functools
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.finops.public import CallContext, Task, TokenCounts, record
from brandflow.contexts.knowledge.chunking import (
    Chunk,
    TokenCounter,
    chunk_document,
    minilm_token_counter,
)
from brandflow.contexts.knowledge.embedder import Embedder
from brandflow.contexts.knowledge.openai_compatible import OpenAICompatibleEmbedder
from brandflow.contexts.knowledge.parsing import ParsedDocument, parse_document
from brandflow.contexts.knowledge.sniffing import DocumentType
from brandflow.kernel.context import Actor, request_id_var
from brandflow.kernel.telemetry import current_trace_id

EMBED_BATCH = 32  # texts per embedding call: small enough to report progress, big enough to batch

Progress = Callable[[int, int], Awaitable[None]]
# Ledgers one embedding call: its input tokens, its latency in milliseconds.
EmbeddingMeter = Callable[[int, float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class IngestedDocument:
    parsed: ParsedDocument
    chunks: list[Chunk]
    rows: list[dict[str, Any]]  # knowledge_chunks values, vectors included
    model: str
    dimension: int

    @property
    def page_count(self) -> int | None:
        return len(self.parsed.pages) if self.parsed.pages is not None else None


def _parse_and_chunk(data: bytes, kind: DocumentType) -> tuple[ParsedDocument, list[Chunk]]:
    parsed = parse_document(data, kind)
    return parsed, chunk_document(parsed, token_counter=minilm_token_counter())


async def ingest_bytes(
    data: bytes,
    kind: DocumentType,
    embedder: Embedder,
    *,
    progress: Progress | None = None,
    meter: EmbeddingMeter | None = None,
) -> IngestedDocument:
    """Raises UnreadableDocument (the file's fault) or EmbeddingError (the provider's).
    ``meter`` ledgers each batch as soon as it is embedded: a failure later still paid it."""
    parsed, chunks = await asyncio.to_thread(_parse_and_chunk, data, kind)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(chunks), EMBED_BATCH):
        batch = chunks[start : start + EMBED_BATCH]
        started = time.perf_counter()
        vectors = await embedder.embed([chunk.text for chunk in batch])
        if meter is not None:
            tokens = sum(chunk.token_count for chunk in batch)
            await meter(tokens, (time.perf_counter() - started) * 1000)
        rows.extend(
            {
                "ordinal": chunk.index,
                "text": chunk.text,
                "start_offset": chunk.start,
                "end_offset": chunk.end,
                "page": chunk.page,
                "token_count": chunk.token_count,
                "embedding": vector,
                "embedding_model": embedder.model,
                "embedding_dimension": embedder.dimension,
            }
            for chunk, vector in zip(batch, vectors, strict=True)
        )
        if progress is not None:
            await progress(len(rows), len(chunks))
    return IngestedDocument(parsed, chunks, rows, embedder.model, embedder.dimension)


def embedding_call(
    embedder: Embedder,
    workspace_id: uuid.UUID,
    task: Task,
    actor: Actor,
    request_id: str | None = None,
) -> CallContext:
    """Who and what an embedding call is for (its ledger row). An embeddings API is provider
    ``openai``, priced like any model; an in-process model is ``local``, free."""
    provider = "openai" if isinstance(embedder, OpenAICompatibleEmbedder) else "local"
    return CallContext(
        workspace_id=workspace_id,
        task=task,
        provider=provider,
        model=embedder.model,
        actor=actor,
        request_id=request_id or request_id_var.get(),
        trace_id=current_trace_id(),
    )


def embedding_meter(
    sessionmaker: async_sessionmaker[AsyncSession], call: CallContext
) -> EmbeddingMeter:
    """Ledgers each call at once, in a committed row of its own (what was paid stays paid)."""

    async def meter(tokens: int, latency_ms: float) -> None:
        await record(sessionmaker, call, TokenCounts(input_tokens=tokens), latency_ms=latency_ms)

    return meter


@functools.cache
def _token_counter() -> TokenCounter:
    return minilm_token_counter()  # loads the tokenizer: once per process


def query_tokens(text: str) -> int:
    """A search query's input tokens, counted as chunks are (the MiniLM tokenizer)."""
    return _token_counter()(text)
