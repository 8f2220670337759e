"""Knowledge consumers: ingest uploaded documents; remove deleted documents' files.

Ingestion is the slow part of the product (seconds to minutes per document), so it runs
in three steps: (1) mark the document `parsing` in a short transaction of its own, so the
library shows it at once; (2) read, parse, chunk and embed outside any row lock; (3) write
the chunks, or the failure, in the consumer's transaction, which also marks the event
processed. A newer generation (a re-ingest) or a delete in between makes step 3 a no-op.
"""

from __future__ import annotations

import functools
import time
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.finops.public import Task
from brandflow.contexts.knowledge.domain import DocumentFailed, DocumentIndexed, DocumentStatus
from brandflow.contexts.knowledge.embedder import Embedder, EmbeddingError
from brandflow.contexts.knowledge.ingestion import (
    IngestedDocument,
    embedding_call,
    embedding_meter,
    ingest_bytes,
)
from brandflow.contexts.knowledge.repository import KnowledgeRepository
from brandflow.contexts.knowledge.sniffing import UnreadableDocument
from brandflow.kernel.context import Actor
from brandflow.kernel.db import utcnow
from brandflow.kernel.events import Envelope
from brandflow.kernel.messaging.consumers import Consumer
from brandflow.kernel.metrics import KNOWLEDGE_CHUNKS_EMBEDDED, KNOWLEDGE_INGEST_SECONDS
from brandflow.kernel.storage import FileStore, ObjectNotFound
from brandflow.kernel.telemetry import get_logger
from brandflow.kernel.uow import UnitOfWork

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class KnowledgeRuntime:
    """What the knowledge consumers need besides their unit of work."""

    files: FileStore
    embedder: Embedder
    sessionmaker: async_sessionmaker[AsyncSession]


async def ingest_document(runtime: KnowledgeRuntime, uow: UnitOfWork, envelope: Envelope) -> None:
    workspace_id = envelope.workspace_id
    if workspace_id is None:
        return
    document_id = uuid.UUID(str(envelope.payload["subject_id"]))
    generation = int(envelope.payload["generation"])
    started = time.perf_counter()

    async with runtime.sessionmaker() as session:
        claimed = await KnowledgeRepository(session).claim_for_ingest(
            workspace_id, document_id, generation
        )
        await session.commit()
    if claimed is None:
        return  # deleted, already done, or replaced by a newer generation
    key, kind = claimed.storage_key, claimed.document_type

    result: IngestedDocument | None = None
    reason: str | None = None
    try:
        data = await runtime.files.get(key)
        uploader = Actor(envelope.actor.type, envelope.actor.id)
        call = embedding_call(
            runtime.embedder, workspace_id, Task.EMBED, uploader, envelope.request_id
        )
        meter = embedding_meter(runtime.sessionmaker, call)
        result = await ingest_bytes(data, kind, runtime.embedder, meter=meter)
    except UnreadableDocument as exc:
        reason = exc.reason
    except ObjectNotFound:
        reason = "The stored file is missing; delete the document and upload it again."
    except EmbeddingError as exc:
        reason = f"The embedding provider failed ({exc}); re-ingest to try again."
    except Exception as exc:  # the document says what happened; the logs say why
        log.exception("knowledge_ingest_crashed", document_id=str(document_id))
        reason = f"Ingestion failed unexpectedly ({type(exc).__name__}); re-ingest to try again."

    repo = KnowledgeRepository(uow.session)
    document = await repo.get(workspace_id, document_id, for_update=True)
    if document is None or document.generation != generation:
        return
    now = utcnow()
    document.updated_at = now
    if result is None:
        document.status = DocumentStatus.FAILED
        document.failure_reason = reason
        await uow.session.flush()
        uow.record(
            DocumentFailed(
                workspace_id=workspace_id,
                subject_id=document_id,
                generation=generation,
                reason=reason or "",
                changes={"status": ["parsing", "failed"]},
            )
        )
        KNOWLEDGE_INGEST_SECONDS.labels("failed").observe(time.perf_counter() - started)
        return
    await repo.replace_chunks(workspace_id, document_id, result.rows)
    document.status = DocumentStatus.INDEXED
    document.failure_reason = None
    document.chunk_count = len(result.rows)
    document.page_count = result.page_count
    document.embedding_model = result.model
    document.embedding_dimension = result.dimension
    document.indexed_at = now
    await uow.session.flush()
    uow.record(
        DocumentIndexed(
            workspace_id=workspace_id,
            subject_id=document_id,
            generation=generation,
            chunk_count=len(result.rows),
            embedding_model=result.model,
            embedding_dimension=result.dimension,
            changes={"status": ["parsing", "indexed"], "chunk_count": [None, len(result.rows)]},
        )
    )
    KNOWLEDGE_CHUNKS_EMBEDDED.labels(result.model).inc(len(result.rows))
    KNOWLEDGE_INGEST_SECONDS.labels("indexed").observe(time.perf_counter() - started)


async def remove_file(runtime: KnowledgeRuntime, uow: UnitOfWork, envelope: Envelope) -> None:
    """Idempotent: a redelivery deletes nothing twice, and a failure is retried."""
    await runtime.files.delete(str(envelope.payload["storage_key"]))


def knowledge_consumers(runtime: KnowledgeRuntime) -> list[Consumer]:
    return [
        Consumer(
            name="knowledge.ingest",
            patterns=("knowledge.document_uploaded", "knowledge.document_requeued"),
            handler=functools.partial(ingest_document, runtime),
        ),
        Consumer(
            name="knowledge.file_cleanup",
            patterns=("knowledge.document_deleted",),
            handler=functools.partial(remove_file, runtime),
        ),
    ]
