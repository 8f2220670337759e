"""Knowledge documents: their life cycle and events. Pure: no I/O.

A document is uploaded (``queued``), picked up by the ingestion consumer (``parsing``),
and ends ``indexed`` with its chunks or ``failed`` with a reason for the uploader. Every
(re-)ingest request bumps the document's ``generation``; a consumer working on an older
generation finds out before writing and stands down, so a re-ingest never races the
ingest it replaces.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from brandflow.contexts.knowledge.sniffing import DocumentType
from brandflow.kernel.errors import Conflict
from brandflow.kernel.events import DomainEvent


class DocumentStatus(StrEnum):
    QUEUED = "queued"
    PARSING = "parsing"
    INDEXED = "indexed"
    FAILED = "failed"


MEDIA_TYPES: dict[DocumentType, str] = {
    DocumentType.PDF: "application/pdf",
    DocumentType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentType.HTML: "text/html",
    DocumentType.MARKDOWN: "text/markdown",
    DocumentType.TEXT: "text/plain",
}


def storage_key(workspace_id: uuid.UUID, document_id: uuid.UUID) -> str:
    """Where a document's bytes live: never derived from the uploader's file name."""
    return f"knowledge/{workspace_id}/{document_id}"


# A document queued or parsing for longer than this lost its worker (a crash, a purge of the
# dead-letter store): re-ingesting it is allowed again.
STUCK_AFTER = timedelta(minutes=15)


def check_can_reingest(status: DocumentStatus, updated_at: datetime, now: datetime) -> None:
    if status in (DocumentStatus.QUEUED, DocumentStatus.PARSING) and now - updated_at < STUCK_AFTER:
        raise Conflict(
            f"The document is {status.value}; re-ingest it once it is indexed or failed."
        )


# --- events ---------------------------------------------------------------------------


class DocumentUploaded(DomainEvent):
    """A document's bytes are stored; the ingestion consumer parses and indexes it."""

    name: ClassVar[str] = "knowledge.document_uploaded"
    subject_type: ClassVar[str] = "knowledge_document"
    filename: str
    document_type: DocumentType
    size_bytes: int
    sha256: str
    generation: int


class DocumentRequeued(DomainEvent):
    """Someone asked to ingest the document again (after a failure, or a parser upgrade)."""

    name: ClassVar[str] = "knowledge.document_requeued"
    subject_type: ClassVar[str] = "knowledge_document"
    generation: int


class DocumentIndexed(DomainEvent):
    name: ClassVar[str] = "knowledge.document_indexed"
    subject_type: ClassVar[str] = "knowledge_document"
    generation: int
    chunk_count: int
    embedding_model: str
    embedding_dimension: int


class DocumentFailed(DomainEvent):
    name: ClassVar[str] = "knowledge.document_failed"
    subject_type: ClassVar[str] = "knowledge_document"
    generation: int
    reason: str


class DocumentUpdated(DomainEvent):
    """Title, tags or metadata changed (the ``changes`` say which)."""

    name: ClassVar[str] = "knowledge.document_updated"
    subject_type: ClassVar[str] = "knowledge_document"


class DocumentDeleted(DomainEvent):
    """The rows are gone; the file-cleanup consumer removes the stored bytes."""

    name: ClassVar[str] = "knowledge.document_deleted"
    subject_type: ClassVar[str] = "knowledge_document"
    storage_key: str
    sha256: str
