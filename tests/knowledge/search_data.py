"""Indexed documents written straight into the tables, for the search tests: real MiniLM
vectors (or given ones), status and dates as the test needs them."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.knowledge.domain import DocumentStatus
from brandflow.contexts.knowledge.embeddings import LocalMiniLM, Vectors
from brandflow.contexts.knowledge.orm import KnowledgeChunk, KnowledgeDocument
from brandflow.contexts.knowledge.sniffing import DocumentType
from brandflow.kernel.db import new_id

EMBEDDER = LocalMiniLM()
MODEL = EMBEDDER.model
_vectors: dict[str, np.ndarray] = {}


async def embed(texts: Sequence[str]) -> Vectors:
    """MiniLM vectors, each text encoded once per test run."""
    missing = [t for t in dict.fromkeys(texts) if t not in _vectors]
    if missing:
        for text, vector in zip(missing, await EMBEDDER.embed(missing), strict=True):
            _vectors[text] = vector
    return np.stack([_vectors[t] for t in texts])


@dataclass
class Doc:
    id: uuid.UUID
    chunk_ids: list[uuid.UUID] = field(default_factory=list)


async def add_document(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    chunks: Sequence[str],
    *,
    title: str = "Brand notes",
    tags: Sequence[str] = (),
    document_type: DocumentType = DocumentType.TEXT,
    status: DocumentStatus = DocumentStatus.INDEXED,
    created_at: datetime | None = None,
    vectors: Vectors | None = None,
    model: str = MODEL,
) -> Doc:
    """One document and its chunks (flushed, not committed). `vectors` defaults to MiniLM's."""
    if vectors is None:
        vectors = await embed(chunks)
    doc_id = new_id()
    text = "\n\n".join(chunks)
    document = KnowledgeDocument(
        id=doc_id,
        workspace_id=workspace_id,
        title=title,
        filename=f"{title.lower().replace(' ', '-')}.txt",
        document_type=document_type,
        media_type="text/plain",
        size_bytes=len(text.encode()),
        sha256=hashlib.sha256(doc_id.bytes + text.encode()).hexdigest(),
        storage_key=f"knowledge/{workspace_id}/{doc_id}",
        tags=list(tags),
        status=status,
        chunk_count=len(chunks),
        embedding_model=model,
        embedding_dimension=vectors.shape[1],
    )
    if created_at is not None:
        document.created_at = created_at
    session.add(document)
    await session.flush()
    result = Doc(doc_id)
    offset = 0
    for ordinal, (chunk_text, vector) in enumerate(zip(chunks, vectors, strict=True)):
        chunk = KnowledgeChunk(
            id=new_id(),
            workspace_id=workspace_id,
            document_id=doc_id,
            ordinal=ordinal,
            text=chunk_text,
            start_offset=offset,
            end_offset=offset + len(chunk_text),
            page=None,
            token_count=len(chunk_text.split()),
            embedding=vector,
            embedding_model=model,
            embedding_dimension=len(vector),
        )
        session.add(chunk)
        result.chunk_ids.append(chunk.id)
        offset += len(chunk_text) + 2
    await session.flush()
    return result
