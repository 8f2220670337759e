"""Consumers of domain events: registration and idempotent, transactional execution."""

from __future__ import annotations

import fnmatch
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.kernel.db import Base, utcnow
from brandflow.kernel.events import Envelope
from brandflow.kernel.uow import UnitOfWork

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Consumer:
    """A named handler for event types matching ``patterns`` (``fnmatch``: ``campaigns.*``)."""

    name: str
    patterns: tuple[str, ...]
    handler: Handler

    def wants(self, event_type: str) -> bool:
        return any(fnmatch.fnmatchcase(event_type, p) for p in self.patterns)


class ProcessedMessage(Base):
    """Marks (consumer, event) as done, in the consumer's own transaction: redelivery is a no-op."""

    __tablename__ = "processed_messages"

    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)


async def consume(
    sessionmaker: async_sessionmaker[AsyncSession], consumer: Consumer, envelope: Envelope
) -> bool:
    """Run ``consumer`` on ``envelope`` exactly once. Returns False when it was already done."""
    async with sessionmaker() as session:
        uow = UnitOfWork(session, organization_id=envelope.organization_id)
        claimed = await session.scalar(
            insert(ProcessedMessage)
            .values(consumer=consumer.name, event_id=envelope.event_id, processed_at=utcnow())
            .on_conflict_do_nothing()
            .returning(ProcessedMessage.event_id)
        )
        if claimed is None:
            await session.rollback()
            return False
        try:
            await consumer.handler(uow, envelope)
        except BaseException:
            await uow.rollback()
            raise
        await uow.commit()
        return True


async def already_processed(session: AsyncSession, consumer: str, event_id: uuid.UUID) -> bool:
    row = await session.scalar(
        select(ProcessedMessage.event_id).where(
            ProcessedMessage.consumer == consumer, ProcessedMessage.event_id == event_id
        )
    )
    return row is not None
