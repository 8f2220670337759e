"""The ingestion pipeline: bytes -> text -> chunks -> vectors. No database, no storage.

Parsing and chunking are CPU-bound and run in a thread, so the event loop keeps serving
(in the embedded default the API and the consumers share one process).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from brandflow.contexts.knowledge.chunking import Chunk, chunk_document, minilm_token_counter
from brandflow.contexts.knowledge.embedder import Embedder
from brandflow.contexts.knowledge.parsing import ParsedDocument, parse_document
from brandflow.contexts.knowledge.sniffing import DocumentType

EMBED_BATCH = 32  # texts per embedding call: small enough to report progress, big enough to batch

Progress = Callable[[int, int], Awaitable[None]]


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
    data: bytes, kind: DocumentType, embedder: Embedder, *, progress: Progress | None = None
) -> IngestedDocument:
    """Raises UnreadableDocument (the file's fault) or EmbeddingError (the provider's)."""
    parsed, chunks = await asyncio.to_thread(_parse_and_chunk, data, kind)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(chunks), EMBED_BATCH):
        batch = chunks[start : start + EMBED_BATCH]
        vectors = await embedder.embed([chunk.text for chunk in batch])
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
