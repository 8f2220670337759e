"""Audit log use cases: read-only; rows are written by the audit consumer (handlers.py)."""

from __future__ import annotations

from brandflow.contexts.audit import schemas
from brandflow.contexts.audit.orm import AuditEvent
from brandflow.contexts.audit.repository import AuditFilters, AuditRepository
from brandflow.contexts.identity.public import WorkspaceAccess
from brandflow.kernel.errors import Unprocessable
from brandflow.kernel.pagination import Page, PageParams, encode_cursor, split_page
from brandflow.kernel.uow import UnitOfWork


def to_read(row: AuditEvent) -> schemas.AuditEventRead:
    return schemas.AuditEventRead(
        id=row.id,
        event_id=row.event_id,
        workspace_id=row.workspace_id,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        actor=schemas.AuditActor(type=row.actor_type, id=row.actor_id),
        request_id=row.request_id,
        changes=row.changes,
        occurred_at=row.occurred_at,
        recorded_at=row.recorded_at,
    )


class AuditService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = AuditRepository(uow.session)

    async def list(
        self, access: WorkspaceAccess, page: PageParams, filters: AuditFilters
    ) -> Page[schemas.AuditEventRead]:
        after, before = filters.occurred_after, filters.occurred_before
        if after is not None and before is not None and before <= after:
            raise Unprocessable("`occurred_before` must be later than `occurred_after`.")
        rows = await self.repo.list(
            access.workspace_id, filters, limit=page.limit, cursor=page.cursor
        )
        items, next_cursor = split_page(
            rows, page.limit, lambda r: encode_cursor(r.occurred_at, r.id)
        )
        return Page(items=[to_read(r) for r in items], next_cursor=next_cursor)
