"""HTTP routes of the knowledge context. Thin: parse, authorize, call the service."""

from __future__ import annotations

import json
import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status
from pydantic import TypeAdapter, ValidationError

from brandflow.contexts.identity.public import Authorize, Permission, WorkspaceAccess
from brandflow.contexts.knowledge import schemas
from brandflow.contexts.knowledge.domain import MEDIA_TYPES, DocumentStatus
from brandflow.contexts.knowledge.embedder import Embedder
from brandflow.contexts.knowledge.query_vectors import QueryVectors
from brandflow.contexts.knowledge.service import DocumentFilters, KnowledgeService, Upload, to_read
from brandflow.contexts.knowledge.sniffing import DocumentType
from brandflow.kernel.errors import PayloadTooLarge, Unprocessable, problem_responses
from brandflow.kernel.http import ReadUnitOfWorkDep, UnitOfWorkDep
from brandflow.kernel.pagination import Page, PageParams, page_params
from brandflow.kernel.routing import CheckedRoute
from brandflow.kernel.storage import FileStore

router = APIRouter(
    prefix="/workspaces/{workspace_id}/knowledge", tags=["knowledge"], route_class=CheckedRoute
)

CanRead = Annotated[WorkspaceAccess, Depends(Authorize(Permission.KNOWLEDGE_READ))]
CanWrite = Annotated[WorkspaceAccess, Depends(Authorize(Permission.KNOWLEDGE_WRITE))]

_TAGS = TypeAdapter(schemas.Tags)
_METADATA = TypeAdapter(schemas.Metadata)
_TITLE = TypeAdapter(schemas.Title | None)


def _files(request: Request) -> FileStore:
    files: FileStore = request.app.state.files
    return files


def _embedder(request: Request) -> Embedder:
    embedder: Embedder = request.app.state.embedder
    return embedder


def _location(access: WorkspaceAccess, document_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{access.workspace_id}/knowledge/documents/{document_id}"


def _form_error(field: str, exc: ValidationError | ValueError) -> Unprocessable:
    errors = (
        [
            {"loc": ["body", field, *e["loc"]], "msg": e["msg"], "type": e["type"]}
            for e in exc.errors()
        ]
        if isinstance(exc, ValidationError)
        else [{"loc": ["body", field], "msg": str(exc), "type": "value_error"}]
    )
    return Unprocessable(f"`{field}` is not valid.", errors=errors)


def _parse_form(
    title: str | None, tags: list[str], metadata: str | None
) -> tuple[str | None, list[str], dict[str, object]]:
    """Multipart fields are strings: tags may come repeated or comma-separated, metadata as
    a JSON object. Validated with the same rules as PATCH."""
    split_tags = [t for raw in tags for t in raw.split(",") if t.strip()]
    try:
        clean_title = _TITLE.validate_python(title or None)
    except ValidationError as exc:
        raise _form_error("title", exc) from exc
    try:
        clean_tags = _TAGS.validate_python(split_tags)
    except ValidationError as exc:
        raise _form_error("tags", exc) from exc
    meta: dict[str, object] = {}
    if metadata:
        try:
            parsed = json.loads(metadata)
            if not isinstance(parsed, dict):
                raise ValueError("must be a JSON object")
            meta = dict(_METADATA.validate_python(parsed))
        except ValidationError as exc:
            raise _form_error("metadata", exc) from exc
        except ValueError as exc:
            raise _form_error("metadata", exc) from exc
    return clean_title, clean_tags, meta


@router.post(
    "/documents",
    operation_id="knowledge_upload_document",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DocumentRead,
    responses=problem_responses(401, 403, 404, 409, 413, 415, 422),
)
async def upload_document(
    uow: UnitOfWorkDep,
    access: CanWrite,
    request: Request,
    response: Response,
    file: Annotated[UploadFile, File(description="txt, md, html, pdf or docx")],
    title: Annotated[str | None, Form(description="Defaults to the file name")] = None,
    tags: Annotated[list[str], Form(description="Repeat the field, or separate with commas")] = [],  # noqa: B006 - FastAPI copies defaults per request
    metadata: Annotated[str | None, Form(description="A JSON object of facts")] = None,
) -> schemas.DocumentRead:
    """Store a document and queue it for ingestion (status `queued`). The type is sniffed
    from the bytes; the same bytes twice in a workspace answer 409 with `document_id`."""
    limit = request.app.state.settings.knowledge_max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"The file is over the {limit:,}-byte upload limit.")
    clean_title, clean_tags, meta = _parse_form(title, tags, metadata)
    document = await KnowledgeService(uow).upload(
        access,
        _files(request),
        Upload(
            data=data,
            filename=file.filename,
            content_type=file.content_type,
            title=clean_title,
            tags=clean_tags,
            metadata=meta,
        ),
    )
    response.headers["Location"] = _location(access, document.id)
    return to_read(document)


@router.get(
    "/documents",
    operation_id="knowledge_list_documents",
    response_model=Page[schemas.DocumentRead],
    responses=problem_responses(400, 401, 403, 404),
)
async def list_documents(
    uow: UnitOfWorkDep,
    access: CanRead,
    page: Annotated[PageParams, Depends(page_params)],
    status: DocumentStatus | None = None,
    document_type: DocumentType | None = None,
    tag: Annotated[list[str], Query(max_length=20, description="Has every tag given")] = [],  # noqa: B006
    q: Annotated[str | None, Query(max_length=200, description="In title or file name")] = None,
) -> Page[schemas.DocumentRead]:
    """Documents of the workspace, newest first."""
    filters = DocumentFilters(
        status=status,
        document_type=document_type,
        tags=tuple(t.strip().lower() for t in tag if t.strip()),
        text=q.strip() if q and q.strip() else None,
    )
    return await KnowledgeService(uow).list(access, page, filters)


@router.get(
    "/documents/{document_id}",
    operation_id="knowledge_get_document",
    response_model=schemas.DocumentRead,
    responses=problem_responses(401, 403, 404),
)
async def get_document(
    uow: UnitOfWorkDep, access: CanRead, document_id: uuid.UUID
) -> schemas.DocumentRead:
    return to_read(await KnowledgeService(uow).get(access, document_id))


@router.get(
    "/documents/{document_id}/file",
    operation_id="knowledge_download_document",
    response_class=Response,
    responses={
        200: {
            "content": {media_type: {} for media_type in MEDIA_TYPES.values()},
            "description": "The uploaded bytes, with the media type sniffed at upload",
        },
        **problem_responses(401, 403, 404),
    },
)
async def download_document(
    uow: UnitOfWorkDep, access: CanRead, request: Request, document_id: uuid.UUID
) -> Response:
    """The file as uploaded, as an attachment (never rendered inline by the browser)."""
    service = KnowledgeService(uow)
    document = await service.get(access, document_id)
    data = await service.file(document, _files(request))
    return Response(
        content=data,
        media_type=document.media_type,
        headers={
            "Content-Disposition": _attachment(document.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def _attachment(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@router.get(
    "/documents/{document_id}/chunks",
    operation_id="knowledge_list_chunks",
    response_model=Page[schemas.ChunkRead],
    responses=problem_responses(400, 401, 403, 404),
)
async def list_chunks(
    uow: UnitOfWorkDep,
    access: CanRead,
    document_id: uuid.UUID,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[schemas.ChunkRead]:
    """The document's chunks in order, with their offsets and pages (for citations)."""
    return await KnowledgeService(uow).chunks(access, document_id, page)


@router.patch(
    "/documents/{document_id}",
    operation_id="knowledge_update_document",
    response_model=schemas.DocumentRead,
    responses=problem_responses(401, 403, 404, 422),
)
async def update_document(
    uow: UnitOfWorkDep, access: CanWrite, document_id: uuid.UUID, body: schemas.DocumentUpdate
) -> schemas.DocumentRead:
    """Change title, tags or metadata; the text and its index stay as they are."""
    return to_read(await KnowledgeService(uow).update(access, document_id, body))


@router.post(
    "/documents/{document_id}/reingest",
    operation_id="knowledge_reingest_document",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=schemas.DocumentRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def reingest_document(
    uow: UnitOfWorkDep, access: CanWrite, document_id: uuid.UUID
) -> schemas.DocumentRead:
    """Parse, chunk and embed the stored file again (after a failure, or to refresh).
    409 while it is queued or parsing, unless it has been stuck for 15 minutes."""
    return to_read(await KnowledgeService(uow).reingest(access, document_id))


@router.delete(
    "/documents/{document_id}",
    operation_id="knowledge_delete_document",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def delete_document(uow: UnitOfWorkDep, access: CanWrite, document_id: uuid.UUID) -> None:
    """Removes the document, its chunks and vectors at once, and its stored file shortly
    after (a consumer of `knowledge.document_deleted`, retried until it succeeds)."""
    await KnowledgeService(uow).delete(access, document_id)


@router.post(
    "/search",
    operation_id="knowledge_search",
    response_model=schemas.SearchResponse,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def search(
    uow: ReadUnitOfWorkDep, access: CanRead, request: Request, body: schemas.SearchRequest
) -> schemas.SearchResponse:
    """Hybrid search of the workspace's indexed chunks: PostgreSQL full-text ranking and
    pgvector HNSW cosine similarity, fused by reciprocal rank fusion (k = 60)."""
    query_vectors: QueryVectors | None = request.app.state.query_vectors
    return await KnowledgeService(uow).search(access, _embedder(request), body, query_vectors)
