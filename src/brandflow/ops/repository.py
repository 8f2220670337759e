"""Queries of the operational endpoints: outbox backlog and dead letters, read at scrape time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.kernel.messaging.retries import DeliveryFailure
from brandflow.kernel.outbox import OutboxMessage


@dataclass(frozen=True, slots=True)
class DeliveryStats:
    outbox_backlog: int
    outbox_oldest_age_seconds: float
    dead_letters: dict[str, int]


async def delivery_stats(session: AsyncSession) -> DeliveryStats:
    backlog = await session.execute(
        select(
            func.count(),
            func.coalesce(
                func.extract("epoch", func.now() - func.min(OutboxMessage.created_at)), 0
            ),
        ).where(OutboxMessage.published_at.is_(None))
    )
    count, age = backlog.one()
    dead = await session.execute(
        select(DeliveryFailure.consumer, func.count())
        .where(DeliveryFailure.dead_at.is_not(None))
        .group_by(DeliveryFailure.consumer)
    )
    return DeliveryStats(
        outbox_backlog=int(count),
        outbox_oldest_age_seconds=max(0.0, float(age)),
        dead_letters={consumer: int(n) for consumer, n in dead},
    )
