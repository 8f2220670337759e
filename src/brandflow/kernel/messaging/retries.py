"""Failed deliveries: retried with exponential backoff, then parked as dead letters.

One table serves both transports' bookkeeping, so dead letters are visible in one place
(`brandflow events dead-letters`, the `/metrics` gauges) whichever transport runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Index, Integer, String, Text, delete, select, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.kernel.db import Base, utcnow
from brandflow.kernel.events import Envelope


class DeliveryFailure(Base):
    __tablename__ = "delivery_failures"

    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    event_type: Mapped[str] = mapped_column(String(120))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSONB)
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text)
    first_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime | None]
    dead_at: Mapped[datetime | None]

    __table_args__ = (
        Index(
            "ix_delivery_failures_due", "next_attempt_at", postgresql_where=text("dead_at IS NULL")
        ),
    )


def backoff(attempt: int, base_seconds: float, cap_seconds: float = 300.0) -> float:
    return float(min(cap_seconds, base_seconds * (2 ** (attempt - 1))))


class FailureStore:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        max_attempts: int,
        base_seconds: float,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.max_attempts = max_attempts
        self.base_seconds = base_seconds

    async def record(
        self, consumer: str, envelope: Envelope, attempt: int, error: BaseException
    ) -> bool:
        """Store the failure; returns True when it is now dead-lettered."""
        now = utcnow()
        dead = attempt >= self.max_attempts
        values = {
            "attempts": attempt,
            "last_error": repr(error)[:2000],
            "next_attempt_at": None
            if dead
            else now + timedelta(seconds=backoff(attempt, self.base_seconds)),
            "dead_at": now if dead else None,
        }
        async with self.sessionmaker() as session:
            await session.execute(
                insert(DeliveryFailure)
                .values(
                    consumer=consumer,
                    event_id=envelope.event_id,
                    event_type=envelope.type,
                    envelope=envelope.model_dump(mode="json"),
                    first_failed_at=now,
                    **values,
                )
                .on_conflict_do_update(index_elements=["consumer", "event_id"], set_=values)
            )
            await session.commit()
        return dead

    async def resolve(self, consumer: str, event_id: uuid.UUID) -> None:
        async with self.sessionmaker() as session:
            await session.execute(
                delete(DeliveryFailure).where(
                    DeliveryFailure.consumer == consumer, DeliveryFailure.event_id == event_id
                )
            )
            await session.commit()

    async def due(
        self, consumers: Collection[str], limit: int = 100
    ) -> list[tuple[str, Envelope, int]]:
        """Failures of the named ``consumers`` whose backoff has passed, oldest first.

        Rows of other consumers (one since removed, or one only a newer release knows) are
        left alone: they could never be retried here, and would crowd real retries out of
        ``limit`` for ever.
        """
        async with self.sessionmaker() as session:
            rows = await session.scalars(
                select(DeliveryFailure)
                .where(
                    DeliveryFailure.consumer.in_(list(consumers)),
                    DeliveryFailure.dead_at.is_(None),
                    DeliveryFailure.next_attempt_at <= utcnow(),
                )
                .order_by(DeliveryFailure.next_attempt_at)
                .limit(limit)
            )
            return [(r.consumer, Envelope.model_validate(r.envelope), r.attempts) for r in rows]

    async def dead_letters(self, limit: int = 100) -> list[DeliveryFailure]:
        async with self.sessionmaker() as session:
            rows = await session.scalars(
                select(DeliveryFailure)
                .where(DeliveryFailure.dead_at.is_not(None))
                .order_by(DeliveryFailure.dead_at.desc())
                .limit(limit)
            )
            return list(rows)
