"""Helpers for the event tests: real events through the real unit of work, and a poller."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.audit.orm import AuditEvent
from brandflow.contexts.campaigns.domain import CampaignCreated, CampaignStatus
from brandflow.kernel.events import ActorRef, Envelope
from brandflow.kernel.outbox import OutboxMessage
from brandflow.kernel.uow import UnitOfWork


def campaign_created(workspace_id: uuid.UUID | None = None) -> CampaignCreated:
    return CampaignCreated(
        workspace_id=workspace_id or uuid.uuid4(),
        subject_id=uuid.uuid4(),
        campaign_name="Outbox test",
        status=CampaignStatus.PLANNED,
        changes={"name": [None, "Outbox test"]},
    )


def envelope_of(event: CampaignCreated) -> Envelope:
    return Envelope(
        type=event.name,
        version=event.version,
        workspace_id=event.workspace_id,
        actor=ActorRef(type="system", id="tests"),
        request_id="req-" + uuid.uuid4().hex[:8],
        payload=event.model_dump(mode="json"),
    )


async def commit_events(sessionmaker: async_sessionmaker[AsyncSession], n: int) -> list[uuid.UUID]:
    """Commit ``n`` events through the unit of work (so they land in the outbox)."""
    async with sessionmaker() as session:
        uow = UnitOfWork(session)
        uow.record(*(campaign_created() for _ in range(n)))
        await uow.commit()
        return [e.event_id for e in uow.committed_envelopes]


async def audit_rows(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[uuid.UUID, int]:
    """Audit rows per event id."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(AuditEvent.event_id, func.count()).group_by(AuditEvent.event_id)
        )
        return {event_id: count for event_id, count in rows}


async def unpublished(sessionmaker: async_sessionmaker[AsyncSession]) -> set[uuid.UUID]:
    async with sessionmaker() as session:
        ids = await session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.published_at.is_(None))
        )
        return set(ids)


async def eventually(check: Callable[[], Awaitable[bool]], what: str, rounds: int = 600) -> None:
    """Poll ``check`` until true. The bound only stops a broken run from hanging forever."""
    for _ in range(rounds):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")
