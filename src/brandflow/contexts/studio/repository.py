"""Queries of the studio's generation feature, always inside one workspace."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.studio.orm import (
    Generation,
    GenerationEvent,
    PromptTemplate,
    VersionProvenance,
)

# Where the worker's commits wake the servers that stream a generation's events.
EVENTS_CHANNEL = "brandflow_generation_events"


class DuplicateTemplateVersion(Exception):
    """Another save of the same template version committed first."""


class StudioRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- templates ---------------------------------------------------------------------

    async def templates(self, workspace_id: uuid.UUID, task: str) -> Sequence[PromptTemplate]:
        """Every saved version of one task's template, newest first."""
        rows = await self.session.scalars(
            select(PromptTemplate)
            .where(PromptTemplate.workspace_id == workspace_id, PromptTemplate.task == task)
            .order_by(PromptTemplate.version.desc())
        )
        return rows.all()

    async def current_templates(self, workspace_id: uuid.UUID) -> dict[str, PromptTemplate]:
        """Each task's newest saved version (tasks never saved are absent)."""
        rows = await self.session.scalars(
            select(PromptTemplate)
            .ext(distinct_on(PromptTemplate.task))
            .where(PromptTemplate.workspace_id == workspace_id)
            .order_by(PromptTemplate.task, PromptTemplate.version.desc())
        )
        return {row.task: row for row in rows}

    async def current_template(self, workspace_id: uuid.UUID, task: str) -> PromptTemplate | None:
        return await self.session.scalar(
            select(PromptTemplate)
            .where(PromptTemplate.workspace_id == workspace_id, PromptTemplate.task == task)
            .order_by(PromptTemplate.version.desc())
            .limit(1)
        )

    async def add_template(self, row: PromptTemplate) -> None:
        """Insert in a savepoint: a concurrent save of the same number is a 409, not a 500."""
        try:
            async with self.session.begin_nested():
                self.session.add(row)
                await self.session.flush()
        except IntegrityError as exc:
            raise DuplicateTemplateVersion from exc

    # --- generations -------------------------------------------------------------------

    def add(self, generation: Generation) -> None:
        self.session.add(generation)

    async def get(
        self,
        workspace_id: uuid.UUID,
        generation_id: uuid.UUID,
        *,
        content_id: uuid.UUID | None = None,
        campaign_id: uuid.UUID | None = None,
        for_update: bool = False,
    ) -> Generation | None:
        query = select(Generation).where(
            Generation.workspace_id == workspace_id, Generation.id == generation_id
        )
        if content_id is not None:
            query = query.where(Generation.content_id == content_id)
        if campaign_id is not None:
            query = query.where(Generation.campaign_id == campaign_id)
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def list(
        self,
        workspace_id: uuid.UUID,
        content_id: uuid.UUID,
        *,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None,
    ) -> Sequence[Generation]:
        """Newest first; ``limit + 1`` rows tell whether there is another page."""
        query = (
            select(Generation)
            .where(Generation.workspace_id == workspace_id, Generation.content_id == content_id)
            .order_by(Generation.created_at.desc(), Generation.id.desc())
            .limit(limit + 1)
        )
        if after is not None:
            created_at, last_id = after
            query = query.where(
                or_(
                    Generation.created_at < created_at,
                    and_(Generation.created_at == created_at, Generation.id < last_id),
                )
            )
        return (await self.session.scalars(query)).all()

    async def claim(self, workspace_id: uuid.UUID, generation_id: uuid.UUID) -> Generation | None:
        """Mark a queued generation (or one a crashed worker left running) as running; None
        when it is finished or gone."""
        return await self.session.scalar(
            update(Generation)
            .where(
                Generation.workspace_id == workspace_id,
                Generation.id == generation_id,
                Generation.status.in_(("queued", "running")),
            )
            .values(
                status="running",
                attempts=Generation.attempts + 1,
                started_at=func.now(),
                updated_at=func.now(),
            )
            .returning(Generation)
        )

    # --- events ------------------------------------------------------------------------

    async def last_seq(self, generation_id: uuid.UUID) -> int:
        found = await self.session.scalar(
            select(func.max(GenerationEvent.seq)).where(
                GenerationEvent.generation_id == generation_id
            )
        )
        return int(found or 0)

    async def events_after(
        self, workspace_id: uuid.UUID, generation_id: uuid.UUID, seq: int, *, limit: int = 500
    ) -> Sequence[GenerationEvent]:
        rows = await self.session.scalars(
            select(GenerationEvent)
            .where(
                GenerationEvent.workspace_id == workspace_id,
                GenerationEvent.generation_id == generation_id,
                GenerationEvent.seq > seq,
            )
            .order_by(GenerationEvent.seq)
            .limit(limit)
        )
        return rows.all()

    async def status_of(self, workspace_id: uuid.UUID, generation_id: uuid.UUID) -> str | None:
        return await self.session.scalar(
            select(Generation.status).where(
                Generation.workspace_id == workspace_id, Generation.id == generation_id
            )
        )

    async def notify(self, generation_id: uuid.UUID) -> None:
        """Delivered when (and only if) the transaction commits."""
        await self.session.execute(select(func.pg_notify(EVENTS_CHANNEL, str(generation_id))))

    # --- provenance --------------------------------------------------------------------

    async def provenance(
        self, workspace_id: uuid.UUID, content_id: uuid.UUID, number: int
    ) -> VersionProvenance | None:
        return await self.session.scalar(
            select(VersionProvenance).where(
                VersionProvenance.workspace_id == workspace_id,
                VersionProvenance.content_id == content_id,
                VersionProvenance.version_number == number,
            )
        )
