"""Readiness checks: database, migrations, broker. Each is time-bounded."""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from brandflow.kernel.telemetry import get_logger
from brandflow.migrate import head_revision

if TYPE_CHECKING:
    from brandflow.bootstrap import Container

log = get_logger(__name__)

CHECK_TIMEOUT_SECONDS = 3.0

# Read from the migration files once: they cannot change while the process runs.
_head_revision = functools.cache(head_revision)


async def _database(container: Container) -> str | None:
    async with container.engine.connect() as conn:
        current: str | None = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    return current


async def readiness(container: Container) -> dict[str, dict[str, Any]]:
    checks: dict[str, dict[str, Any]] = {}
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            current = await _database(container)
    except Exception as exc:
        # The exception text may quote the database URL: only its type leaves the process.
        log.warning("readiness_database_failed", error=type(exc).__name__)
        reason = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
        checks["database"] = {"ok": False, "error": f"database unreachable ({reason})"}
        checks["migrations"] = {"ok": False, "error": "unknown: database unreachable"}
    else:
        checks["database"] = {"ok": True}
        head = _head_revision()
        migrations: dict[str, Any] = {"ok": current == head, "current": current, "head": head}
        if current != head:
            migrations["error"] = "migrations pending: run `brandflow migrate`"
        checks["migrations"] = migrations
    if container.settings.broker_url:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                ok = await container.transport.healthy()
        except Exception as exc:
            log.warning("readiness_broker_failed", error=type(exc).__name__)
            ok = False
        checks["broker"] = {"ok": ok} if ok else {"ok": False, "error": "broker unreachable"}
    return checks
