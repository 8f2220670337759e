"""The exact-response cache in PostgreSQL: get before a call, put after a paid one.

A hit is served free and ledgered with ``record(..., cache_hit=True)`` (cost 0, the tokens
the original answer used). Entries live ``BRANDFLOW_LLM_CACHE_TTL_SECONDS`` (0: the cache is
off: ``get`` misses, ``put`` stores nothing). PostgreSQL rather than Redis: one store in
every deployment, scoped and deleted with the workspace, and answers are small JSON.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.finops.domain import TokenCounts
from brandflow.contexts.finops.repository import FinOpsRepository
from brandflow.kernel.db import utcnow
from brandflow.kernel.telemetry import get_logger
from brandflow.settings import Settings, get_settings

log = get_logger(__name__)

# Expired entries are deleted this often (with jitter) wherever the relay runs.
PURGE_INTERVAL_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    provider: str
    model: str
    response: dict[str, Any]
    usage: TokenCounts
    created_at: datetime


async def cache_get(
    sessionmaker: async_sessionmaker[AsyncSession],
    workspace_id: uuid.UUID,
    key: str,
    *,
    settings: Settings | None = None,
) -> CachedAnswer | None:
    """The unexpired answer stored under ``key`` (see ``cache_key``) in this workspace."""
    if (settings or get_settings()).llm_cache_ttl_seconds == 0:
        return None
    async with sessionmaker() as session:
        row = await FinOpsRepository(session).cached(workspace_id, key, utcnow())
        if row is None:
            return None
        return CachedAnswer(
            provider=row.provider,
            model=row.model,
            response=row.response,
            usage=TokenCounts(**{k: int(v) for k, v in row.usage.items()}),
            created_at=row.created_at,
        )


async def cache_put(
    sessionmaker: async_sessionmaker[AsyncSession],
    workspace_id: uuid.UUID,
    key: str,
    *,
    provider: str,
    model: str,
    response: dict[str, Any],
    usage: object,
    settings: Settings | None = None,
) -> None:
    """Store (or replace) the answer of a paid call; ``response`` must be JSON data."""
    ttl = (settings or get_settings()).llm_cache_ttl_seconds
    if ttl == 0:
        return
    now = utcnow()
    async with sessionmaker() as session:
        await FinOpsRepository(session).put_cached(
            {
                "workspace_id": workspace_id,
                "key": key,
                "provider": provider,
                "model": model,
                "response": response,
                "usage": TokenCounts.of(usage).as_dict(),
                "created_at": now,
                "expires_at": now + timedelta(seconds=ttl),
            }
        )
        await session.commit()


async def purge_expired(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Delete expired entries of every workspace; returns how many (a periodic chore)."""
    async with sessionmaker() as session:
        count = await FinOpsRepository(session).purge_cache(utcnow())
        await session.commit()
        return count


async def purge_cache_periodically(
    sessionmaker: async_sessionmaker[AsyncSession], interval: float = PURGE_INTERVAL_SECONDS
) -> None:
    """Run ``purge_expired`` until cancelled: first within a minute of start, then every
    ``interval``; jitter keeps processes started together apart. Errors are logged only."""
    delay = random.uniform(0, min(interval, 60.0))  # noqa: S311 - jitter, not a secret
    while True:
        await asyncio.sleep(delay)
        try:
            deleted = await purge_expired(sessionmaker)
        except Exception as exc:
            log.error("llm_cache_purge_failed", error=repr(exc))
        else:
            if deleted:
                log.info("llm_cache_purged", entries=deleted)
        delay = interval * random.uniform(0.9, 1.1)  # noqa: S311
