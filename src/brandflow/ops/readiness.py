"""Readiness checks: database, migrations, broker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from brandflow.migrate import head_revision

if TYPE_CHECKING:
    from brandflow.bootstrap import Container


async def readiness(container: Container) -> dict[str, dict[str, Any]]:
    checks: dict[str, dict[str, Any]] = {}
    try:
        async with container.engine.connect() as conn:
            current = await conn.scalar(text("SELECT version_num FROM alembic_version"))
        checks["database"] = {"ok": True}
        head = head_revision()
        checks["migrations"] = {"ok": current == head, "current": current, "head": head}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": type(exc).__name__}
        checks["migrations"] = {"ok": False}
    if container.settings.broker_url:
        checks["broker"] = {"ok": await container.transport.healthy()}
    return checks
