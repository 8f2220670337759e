"""Knowledge use cases: upload, list, update, re-ingest, delete, search."""

from __future__ import annotations

import hashlib
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.finops.public import Task, TokenCounts, meter_soon
from brandflow.contexts.identity.public import WorkspaceAccess
from brandflow.contexts.knowledge import schemas
from brandflow.contexts.knowledge.domain import (
    MEDIA_TYPES,
    DocumentDeleted,
    DocumentRequeued,
    DocumentStatus,
    DocumentUpdated,
    DocumentUploaded,
    check_can_reingest,
    storage_key,
)
from brandflow.contexts.knowledge.embedder import Embedder, EmbeddingError
from brandflow.contexts.knowledge.ingestion import embedding_call, query_tokens
from brandflow.contexts.knowledge.orm import KnowledgeDocument
from brandflow.contexts.knowledge.query_vectors import QueryVectors
from brandflow.contexts.knowledge.repository import KnowledgeRepository
from brandflow.contexts.knowledge.search import Vector1D, search_chunks
from brandflow.contexts.knowledge.sniffing import (
    DocumentType,
    UnreadableDocument,
    UnsupportedDocumentType,
    sniff_document_type,
)
from brandflow.kernel.context import current_actor
from brandflow.kernel.db import new_id, utcnow
from brandflow.kernel.errors import (
    Conflict,
    NotFound,
    ServiceUnavailable,
    Unprocessable,
    UnsupportedMediaType,
)
from brandflow.kernel.pagination import (
    Page,
    PageParams,
    decode_json_cursor,
    encode_cursor,
    encode_json_cursor,
    split_page,
)
from brandflow.kernel.storage import FileStore, ObjectNotFound
from brandflow.kernel.uow import UnitOfWork

MAX_FILENAME_CHARS = 255
DUPLICATE_CONSTRAINT = "uq_knowledge_documents_workspace_sha256"
TAGS = TypeAdapter(schemas.Tags)


def to_read(document: KnowledgeDocument) -> schemas.DocumentRead:
    return schemas.DocumentRead.model_validate(document, from_attributes=True)


def clean_filename(raw: str | None) -> str:
    """The file's own name, without any directory a browser or client sent along."""
    name = unicodedata.normalize("NFC", raw or "")
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:MAX_FILENAME_CHARS] or "upload"


def default_title(filename: str) -> str:
    stem = PurePosixPath(filename).stem.replace("_", " ").replace("-", " ").strip()
    return (stem or filename)[:300]


@dataclass(frozen=True, slots=True)
class Upload:
    data: bytes
    filename: str | None
    content_type: str | None  # what the client declared: a hint at most, never trusted
    title: str | None
    tags: list[str]
    metadata: dict[str, object]


@dataclass(frozen=True, slots=True)
class DocumentFilters:
    status: DocumentStatus | None = None
    document_type: DocumentType | None = None
    tags: tuple[str, ...] = ()
    text: str | None = None


class KnowledgeService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = KnowledgeRepository(uow.session)

    async def _document(
        self, access: WorkspaceAccess, document_id: uuid.UUID, *, for_update: bool = False
    ) -> KnowledgeDocument:
        document = await self.repo.get(access.workspace_id, document_id, for_update=for_update)
        if document is None:
            raise NotFound("No such document in this workspace.")
        return document

    async def upload(
        self, access: WorkspaceAccess, files: FileStore, upload: Upload
    ) -> KnowledgeDocument:
        """Store the bytes, then the row and its `document_uploaded` event, atomically as far
        as the reader can tell: the row and event commit together, and a failed insert
        removes the bytes again. Ingestion happens later, in a consumer."""
        if not upload.data:
            raise Unprocessable("The file is empty.")
        try:  # the API validated them already; the CLI and other callers come through here too
            tags = TAGS.validate_python(upload.tags)
        except ValidationError as exc:
            raise Unprocessable(f"Invalid tags: {exc.errors()[0]['msg']}") from exc
        filename = clean_filename(upload.filename)
        try:
            kind = sniff_document_type(
                upload.data, filename=filename, content_type=upload.content_type
            )
        except UnsupportedDocumentType as exc:
            raise UnsupportedMediaType(exc.reason) from exc
        except UnreadableDocument as exc:
            raise Unprocessable(exc.reason) from exc
        sha256 = hashlib.sha256(upload.data).hexdigest()
        await self._refuse_duplicate(access, sha256)
        document_id = new_id()
        key = storage_key(access.workspace_id, document_id)
        document = KnowledgeDocument(
            id=document_id,
            workspace_id=access.workspace_id,
            title=upload.title or default_title(filename),
            filename=filename,
            document_type=kind,
            media_type=MEDIA_TYPES[kind],
            size_bytes=len(upload.data),
            sha256=sha256,
            storage_key=key,
            tags=tags,
            meta=upload.metadata,
            status=DocumentStatus.QUEUED,
            generation=1,
            chunk_count=0,
            uploaded_by=access.principal.user_id,
        )
        await files.put(key, upload.data)
        try:
            self.repo.add(document)
            await self.uow.session.flush()
        except BaseException as exc:
            await files.delete(key)
            if isinstance(exc, IntegrityError) and DUPLICATE_CONSTRAINT in str(exc.orig):
                # The same bytes, uploaded by someone else at the same moment, won.
                raise Conflict("This file was just uploaded to this workspace.") from exc
            raise
        self.uow.record(
            DocumentUploaded(
                workspace_id=access.workspace_id,
                subject_id=document.id,
                filename=filename,
                document_type=kind,
                size_bytes=document.size_bytes,
                sha256=sha256,
                generation=1,
                changes={"title": [None, document.title], "status": [None, "queued"]},
            )
        )
        return document

    async def _refuse_duplicate(self, access: WorkspaceAccess, sha256: str) -> None:
        existing = await self.repo.by_hash(access.workspace_id, sha256)
        if existing is not None:
            raise Conflict(
                f"This file is already in the knowledge base as “{existing.title}”.",
                document_id=str(existing.id),
            )

    async def list(
        self, access: WorkspaceAccess, page: PageParams, filters: DocumentFilters
    ) -> Page[schemas.DocumentRead]:
        rows = await self.repo.list(
            access.workspace_id,
            limit=page.limit,
            cursor=page.cursor,
            status=filters.status,
            document_type=filters.document_type,
            tags=filters.tags,
            text=filters.text,
        )
        items, next_cursor = split_page(
            rows, page.limit, lambda d: encode_cursor(d.created_at, d.id)
        )
        return Page(items=[to_read(d) for d in items], next_cursor=next_cursor)

    async def get(self, access: WorkspaceAccess, document_id: uuid.UUID) -> KnowledgeDocument:
        return await self._document(access, document_id)

    async def file(self, document: KnowledgeDocument, files: FileStore) -> bytes:
        try:
            return await files.get(document.storage_key)
        except ObjectNotFound as exc:
            raise NotFound("The document's stored file is missing.") from exc

    async def update(
        self, access: WorkspaceAccess, document_id: uuid.UUID, data: schemas.DocumentUpdate
    ) -> KnowledgeDocument:
        document = await self._document(access, document_id, for_update=True)
        changes: dict[str, list[object]] = {}
        if data.title is not None and data.title != document.title:
            changes["title"] = [document.title, data.title]
            document.title = data.title
        if data.tags is not None and data.tags != document.tags:
            changes["tags"] = [document.tags, data.tags]
            document.tags = data.tags
        if data.metadata is not None and data.metadata != document.meta:
            changes["metadata"] = [sorted(document.meta), sorted(data.metadata)]
            document.meta = dict(data.metadata)
        if changes:
            document.updated_at = utcnow()
            await self.uow.session.flush()
            self.uow.record(
                DocumentUpdated(
                    workspace_id=access.workspace_id, subject_id=document.id, changes=changes
                )
            )
        return document

    async def reingest(self, access: WorkspaceAccess, document_id: uuid.UUID) -> KnowledgeDocument:
        """Queue the document again under a new generation; an older ingest stands down."""
        document = await self._document(access, document_id, for_update=True)
        check_can_reingest(document.status, document.updated_at, utcnow())
        before = document.status
        document.generation += 1
        document.status = DocumentStatus.QUEUED
        document.failure_reason = None
        document.updated_at = utcnow()
        await self.uow.session.flush()
        self.uow.record(
            DocumentRequeued(
                workspace_id=access.workspace_id,
                subject_id=document.id,
                generation=document.generation,
                changes={"status": [before.value, DocumentStatus.QUEUED.value]},
            )
        )
        return document

    async def delete(self, access: WorkspaceAccess, document_id: uuid.UUID) -> None:
        """Rows, chunks and vectors go now; the stored file goes when the event is handled."""
        document = await self._document(access, document_id, for_update=True)
        self.uow.record(
            DocumentDeleted(
                workspace_id=access.workspace_id,
                subject_id=document.id,
                storage_key=document.storage_key,
                sha256=document.sha256,
                changes={"title": [document.title, None]},
            )
        )
        await self.repo.delete(document)

    async def chunks(
        self,
        access: WorkspaceAccess,
        document_id: uuid.UUID,
        page: PageParams,
    ) -> Page[schemas.ChunkRead]:
        await self._document(access, document_id)
        after = _ordinal_cursor(page.cursor)
        rows = await self.repo.chunks(
            access.workspace_id, document_id, limit=page.limit, after=after
        )
        items, next_cursor = split_page(
            rows, page.limit, lambda c: encode_json_cursor({"after": c.ordinal})
        )
        return Page(
            items=[schemas.ChunkRead.model_validate(c, from_attributes=True) for c in items],
            next_cursor=next_cursor,
        )

    async def search(
        self,
        access: WorkspaceAccess,
        embedder: Embedder,
        request: schemas.SearchRequest,
        query_vectors: QueryVectors | None = None,
    ) -> schemas.SearchResponse:
        return await search_knowledge(
            self.uow.session, access.workspace_id, embedder, request, query_vectors
        )


async def search_knowledge(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    embedder: Embedder,
    request: schemas.SearchRequest,
    query_vectors: QueryVectors | None = None,
) -> schemas.SearchResponse:
    """The workspace's hybrid search, for the API and for other contexts (the studio's
    retrieval, claim evidence); the caller has checked access to ``workspace_id``.

    The query is embedded while the lexical side already runs (``search_chunks``); hybrid
    borrows a second connection from the session's engine for the vector side. The query's
    embedding is ledgered after the response (``meter_soon``: no I/O here). With
    `query_vectors`, a query this workspace embedded recently is not embedded (nor billed)
    again."""
    embedded = request.mode != schemas.SearchMode.LEXICAL
    cached = (
        query_vectors.get(workspace_id, embedder.model, request.query)
        if embedded and query_vectors is not None
        else None
    )

    async def embed_query() -> Vector1D:
        started = time.perf_counter()
        try:
            vector: Vector1D = (await embedder.embed([request.query]))[0]
        except EmbeddingError as exc:
            raise ServiceUnavailable(
                "The embedding provider is unavailable; full-text search still works "
                "with `mode: lexical`."
            ) from exc
        meter_soon(
            session,
            embedding_call(embedder, workspace_id, Task.SEARCH, current_actor()),
            TokenCounts(input_tokens=query_tokens(request.query)),
            latency_ms=(time.perf_counter() - started) * 1000,
        )
        if query_vectors is not None:
            query_vectors.put(workspace_id, embedder.model, request.query, vector)
        return vector

    results = await search_chunks(
        session,
        workspace_id,
        request,
        query_vector=(cached if cached is not None else embed_query()) if embedded else None,
        embedding_model=embedder.model if embedded else None,
    )
    return schemas.SearchResponse(
        query=request.query,
        mode=request.mode,
        embedding_model=embedder.model if embedded else None,
        results=results,
    )


def _ordinal_cursor(cursor: str | None) -> int | None:
    def parse(position: object) -> int:
        if not isinstance(position, dict) or not isinstance(position.get("after"), int):
            raise ValueError("not a chunk cursor")
        return int(position["after"])

    return decode_json_cursor(cursor, parse) if cursor else None
