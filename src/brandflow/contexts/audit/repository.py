"""Audit queries, always inside one workspace."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.audit.orm import AuditEvent
from brandflow.kernel.pagination import decode_cursor


@dataclass(frozen=True, slots=True)
class AuditFilters:
    action: str | None = None
    object_type: str | None = None
    object_id: uuid.UUID | None = None
    actor_id: str | None = None
    occurred_after: datetime | None = None
    occurred_before: datetime | None = None


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        workspace_id: uuid.UUID,
        filters: AuditFilters,
        *,
        limit: int,
        cursor: str | None = None,
    ) -> Sequence[AuditEvent]:
        """Newest first; fetches ``limit + 1`` rows so the caller knows if there is more."""
        query = select(AuditEvent).where(AuditEvent.workspace_id == workspace_id)
        if filters.action is not None:
            query = query.where(AuditEvent.action == filters.action)
        if filters.object_type is not None:
            query = query.where(AuditEvent.object_type == filters.object_type)
        if filters.object_id is not None:
            query = query.where(AuditEvent.object_id == filters.object_id)
        if filters.actor_id is not None:
            query = query.where(AuditEvent.actor_id == filters.actor_id)
        if filters.occurred_after is not None:
            query = query.where(AuditEvent.occurred_at >= filters.occurred_after)
        if filters.occurred_before is not None:
            query = query.where(AuditEvent.occurred_at < filters.occurred_before)
        if cursor:
            occurred_at, last_id = decode_cursor(cursor)
            query = query.where(
                or_(
                    AuditEvent.occurred_at < occurred_at,
                    and_(AuditEvent.occurred_at == occurred_at, AuditEvent.id < last_id),
                )
            )
        query = query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(limit + 1)
        return (await self.session.scalars(query)).all()
