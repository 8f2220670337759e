"""`brandflow knowledge ingest PATH... --workspace SLUG`: upload files and wait for them.

Each file goes through the same service as an API upload (sniffing, size limit, duplicate
check, event), then the command pushes the outbox: in the embedded default that runs the
ingestion consumer right here; with a broker the workers ingest and the command waits for
the document's final status. Rendering (Rich) is the CLI's; this module reports progress.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from brandflow.bootstrap import Container
from brandflow.contexts.identity.public import WorkspaceAccess, operator_access
from brandflow.contexts.knowledge.domain import DocumentStatus
from brandflow.contexts.knowledge.repository import KnowledgeRepository
from brandflow.contexts.knowledge.service import KnowledgeService, Upload
from brandflow.kernel.context import Actor, actor_var
from brandflow.kernel.errors import AppError, Conflict
from brandflow.kernel.uow import UnitOfWork

COMMAND = "knowledge-ingest"
Outcome = Literal["indexed", "failed", "duplicate", "refused", "pending"]


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    outcome: Outcome
    detail: str = ""
    document_id: uuid.UUID | None = None
    chunks: int = 0
    seconds: float = 0.0


Stage = Callable[[Path, str], None]  # (file, what is happening now)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the files under directories (sorted, hidden ones skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.parts)
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


async def ingest_files(
    container: Container,
    files: Sequence[Path],
    *,
    workspace: str,
    organization: str | None = None,
    tags: Sequence[str] = (),
    wait_seconds: float = 600.0,
    on_stage: Stage | None = None,
    on_done: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Raises WorkspaceNotFound before touching anything when the workspace is unknown."""
    actor_var.set(Actor.system(COMMAND))
    async with container.sessionmaker() as session:
        access = await operator_access(session, COMMAND, workspace, organization)
    results: list[FileResult] = []
    for path in files:
        started = time.perf_counter()
        if on_stage:
            on_stage(path, "uploading")
        result = await _upload(container, access, path, list(tags))
        if result.outcome == "pending" and result.document_id is not None:
            if on_stage:
                on_stage(path, "parsing, chunking, embedding")
            await container.relay.drain()
            result = await _wait(container, access.workspace_id, result, wait_seconds)
        result = FileResult(
            result.path,
            result.outcome,
            result.detail,
            result.document_id,
            result.chunks,
            time.perf_counter() - started,
        )
        results.append(result)
        if on_done:
            on_done(result)
    return results


async def _upload(
    container: Container, access: WorkspaceAccess, path: Path, tags: list[str]
) -> FileResult:
    limit = container.settings.knowledge_max_upload_bytes
    try:
        size = (await asyncio.to_thread(path.stat)).st_size
        if size > limit:
            return FileResult(path, "refused", f"over the {limit:,}-byte upload limit")
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        return FileResult(path, "refused", exc.strerror or str(exc))
    async with container.sessionmaker() as session:
        uow = UnitOfWork(session, organization_id=access.organization_id)
        try:
            document = await KnowledgeService(uow).upload(
                access,
                container.files,
                Upload(
                    data=data,
                    filename=path.name,
                    content_type=None,
                    title=None,
                    tags=tags,
                    metadata={"source_path": str(path)},
                ),
            )
            await uow.commit()
        except Conflict as exc:
            await uow.rollback()
            existing = exc.extra.get("document_id")
            return FileResult(
                path,
                "duplicate",
                exc.detail or "already uploaded",
                uuid.UUID(str(existing)) if existing else None,
            )
        except AppError as exc:
            await uow.rollback()
            return FileResult(path, "refused", exc.detail or exc.title)
    return FileResult(path, "pending", document_id=document.id)


async def _wait(
    container: Container, workspace_id: uuid.UUID, result: FileResult, wait_seconds: float
) -> FileResult:
    assert result.document_id is not None
    deadline = time.monotonic() + wait_seconds
    while True:
        async with container.sessionmaker() as session:
            document = await KnowledgeRepository(session).get(workspace_id, result.document_id)
        if document is None:
            return FileResult(result.path, "failed", "deleted while ingesting", result.document_id)
        if document.status == DocumentStatus.INDEXED:
            return FileResult(result.path, "indexed", "", document.id, chunks=document.chunk_count)
        if document.status == DocumentStatus.FAILED:
            return FileResult(result.path, "failed", document.failure_reason or "", document.id)
        if time.monotonic() > deadline:
            return FileResult(result.path, "pending", f"still {document.status.value}", document.id)
        await asyncio.sleep(0.5)
        await container.relay.drain()
