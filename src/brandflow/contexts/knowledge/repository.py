"""Knowledge document and chunk queries, always inside one workspace (search is in search.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.knowledge.domain import DocumentStatus
from brandflow.contexts.knowledge.orm import KnowledgeChunk, KnowledgeDocument
from brandflow.contexts.knowledge.sniffing import DocumentType
from brandflow.kernel.pagination import decode_cursor


class KnowledgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, workspace_id: uuid.UUID, document_id: uuid.UUID, *, for_update: bool = False
    ) -> KnowledgeDocument | None:
        query = select(KnowledgeDocument).where(
            KnowledgeDocument.workspace_id == workspace_id, KnowledgeDocument.id == document_id
        )
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def by_hash(self, workspace_id: uuid.UUID, sha256: str) -> KnowledgeDocument | None:
        return await self.session.scalar(
            select(KnowledgeDocument).where(
                KnowledgeDocument.workspace_id == workspace_id, KnowledgeDocument.sha256 == sha256
            )
        )

    async def list(
        self,
        workspace_id: uuid.UUID,
        *,
        limit: int,
        cursor: str | None = None,
        status: DocumentStatus | None = None,
        document_type: DocumentType | None = None,
        tags: Sequence[str] = (),
        text: str | None = None,
    ) -> Sequence[KnowledgeDocument]:
        """Newest first; fetches ``limit + 1`` rows so the caller knows if there is more."""
        query = select(KnowledgeDocument).where(KnowledgeDocument.workspace_id == workspace_id)
        if status is not None:
            query = query.where(KnowledgeDocument.status == status)
        if document_type is not None:
            query = query.where(KnowledgeDocument.document_type == document_type)
        if tags:
            query = query.where(KnowledgeDocument.tags.contains(list(tags)))
        if text:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(
                or_(
                    KnowledgeDocument.title.ilike(pattern, escape="\\"),
                    KnowledgeDocument.filename.ilike(pattern, escape="\\"),
                )
            )
        if cursor:
            created_at, last_id = decode_cursor(cursor)
            query = query.where(
                or_(
                    KnowledgeDocument.created_at < created_at,
                    and_(
                        KnowledgeDocument.created_at == created_at, KnowledgeDocument.id < last_id
                    ),
                )
            )
        query = query.order_by(
            KnowledgeDocument.created_at.desc(), KnowledgeDocument.id.desc()
        ).limit(limit + 1)
        return (await self.session.scalars(query)).all()

    def add(self, document: KnowledgeDocument) -> None:
        self.session.add(document)

    async def delete(self, document: KnowledgeDocument) -> None:
        # Chunks (text and vectors) go with it: ON DELETE CASCADE, in this transaction.
        await self.session.delete(document)
        await self.session.flush()

    async def chunks(
        self, workspace_id: uuid.UUID, document_id: uuid.UUID, *, limit: int, after: int | None
    ) -> Sequence[KnowledgeChunk]:
        """In document order; fetches ``limit + 1`` rows so the caller knows if there is more."""
        query = select(KnowledgeChunk).where(
            KnowledgeChunk.workspace_id == workspace_id, KnowledgeChunk.document_id == document_id
        )
        if after is not None:
            query = query.where(KnowledgeChunk.ordinal > after)
        query = query.order_by(KnowledgeChunk.ordinal).limit(limit + 1)
        return (await self.session.scalars(query)).all()

    async def replace_chunks(
        self, workspace_id: uuid.UUID, document_id: uuid.UUID, rows: Sequence[dict[str, Any]]
    ) -> None:
        """Swap a document's chunks for ``rows`` in this transaction (readers see old or new)."""
        await self.session.execute(
            delete(KnowledgeChunk).where(
                KnowledgeChunk.workspace_id == workspace_id,
                KnowledgeChunk.document_id == document_id,
            )
        )
        for start in range(0, len(rows), 1000):  # bounded statements for very long documents
            batch = [
                {**row, "workspace_id": workspace_id, "document_id": document_id}
                for row in rows[start : start + 1000]
            ]
            await self.session.execute(insert(KnowledgeChunk), batch)

    # --- ingestion (worker side) -------------------------------------------------------

    async def claim_for_ingest(
        self, workspace_id: uuid.UUID, document_id: uuid.UUID, generation: int
    ) -> KnowledgeDocument | None:
        """Mark the document `parsing` if it still waits for this generation's ingest."""
        result = await self.session.execute(
            update(KnowledgeDocument)
            .where(
                KnowledgeDocument.workspace_id == workspace_id,
                KnowledgeDocument.id == document_id,
                KnowledgeDocument.generation == generation,
                KnowledgeDocument.status.in_([DocumentStatus.QUEUED, DocumentStatus.PARSING]),
            )
            .values(status=DocumentStatus.PARSING, failure_reason=None, updated_at=func.now())
            .returning(KnowledgeDocument.id)
        )
        if result.scalar_one_or_none() is None:
            return None
        return await self.get(workspace_id, document_id)

    # --- re-embedding after a model change ---------------------------------------------

    async def stale_chunks(
        self, model: str, dimension: int, *, limit: int
    ) -> Sequence[tuple[uuid.UUID, str, uuid.UUID, int]]:
        """Chunks of indexed documents whose vectors come from another model, any workspace:
        id, text, workspace and token count (what re-embedding it is ledgered at).

        Locked and skipped by others, so several workers share the work without overlap.
        """
        rows = await self.session.execute(
            select(
                KnowledgeChunk.id,
                KnowledgeChunk.text,
                KnowledgeChunk.workspace_id,
                KnowledgeChunk.token_count,
            )
            .join(
                KnowledgeDocument,
                and_(
                    KnowledgeDocument.workspace_id == KnowledgeChunk.workspace_id,
                    KnowledgeDocument.id == KnowledgeChunk.document_id,
                ),
            )
            .where(
                KnowledgeDocument.status == DocumentStatus.INDEXED,
                or_(
                    KnowledgeChunk.embedding_model.is_distinct_from(model),
                    KnowledgeChunk.embedding_dimension.is_distinct_from(dimension),
                ),
            )
            .order_by(KnowledgeChunk.id)
            .limit(limit)
            .with_for_update(of=KnowledgeChunk, skip_locked=True)
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    async def set_embeddings(
        self, model: str, dimension: int, vectors: Sequence[tuple[uuid.UUID, Sequence[float]]]
    ) -> None:
        for chunk_id, vector in vectors:
            await self.session.execute(
                update(KnowledgeChunk)
                .where(KnowledgeChunk.id == chunk_id)
                .values(embedding=vector, embedding_model=model, embedding_dimension=dimension)
            )

    async def finish_reembedded_documents(self, model: str, dimension: int, now: datetime) -> int:
        """Documents whose every chunk now has the model's vectors say so."""
        stale = (
            select(KnowledgeChunk.id)
            .where(
                KnowledgeChunk.document_id == KnowledgeDocument.id,
                or_(
                    KnowledgeChunk.embedding_model.is_distinct_from(model),
                    KnowledgeChunk.embedding_dimension.is_distinct_from(dimension),
                ),
            )
            .exists()
        )
        result = await self.session.execute(
            update(KnowledgeDocument)
            .where(
                KnowledgeDocument.status == DocumentStatus.INDEXED,
                or_(
                    KnowledgeDocument.embedding_model.is_distinct_from(model),
                    KnowledgeDocument.embedding_dimension.is_distinct_from(dimension),
                ),
                ~stale,
            )
            .values(embedding_model=model, embedding_dimension=dimension, updated_at=now)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
