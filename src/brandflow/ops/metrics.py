"""Gauges computed at scrape time: outbox backlog, dead letters, connection pool."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from brandflow.kernel.metrics import (
    DATABASE_UP,
    DB_POOL_CHECKED_OUT,
    DB_POOL_OVERFLOW,
    DB_POOL_SIZE,
    DEAD_LETTERS,
    OUTBOX_BACKLOG,
    OUTBOX_OLDEST_AGE,
)
from brandflow.kernel.telemetry import get_logger
from brandflow.ops.repository import delivery_stats

if TYPE_CHECKING:
    from brandflow.bootstrap import Container

log = get_logger(__name__)

# A scrape must answer even when the database does not.
SCRAPE_QUERY_TIMEOUT_SECONDS = 5.0


async def refresh_gauges(container: Container) -> None:
    pool = container.engine.pool
    for gauge, method in (
        (DB_POOL_SIZE, "size"),
        (DB_POOL_CHECKED_OUT, "checkedout"),
        (DB_POOL_OVERFLOW, "overflow"),
    ):
        if callable(reader := getattr(pool, method, None)):
            gauge.set(float(reader()))
    try:
        async with asyncio.timeout(SCRAPE_QUERY_TIMEOUT_SECONDS):
            async with container.sessionmaker() as session:
                stats = await delivery_stats(session)
    except Exception as exc:
        DATABASE_UP.set(0)
        log.warning("metrics_database_unavailable", error=type(exc).__name__)
        return
    DATABASE_UP.set(1)
    OUTBOX_BACKLOG.set(stats.outbox_backlog)
    OUTBOX_OLDEST_AGE.set(stats.outbox_oldest_age_seconds)
    DEAD_LETTERS.clear()
    for consumer, count in stats.dead_letters.items():
        DEAD_LETTERS.labels(consumer=consumer).set(count)
