"""Stored checks, always inside one workspace. Writes are single upserts on the run key, so
concurrent checks of one version (the consumer, a read, a generation) never duplicate a row."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.studio.checking.orm import RUN_KEY, ContentCheck
from brandflow.kernel.db import new_id, utcnow

# What a re-run replaces; the key columns and created_at stay.
_RESULT_COLUMNS = (
    "channel",
    "score",
    "min_score",
    "passed",
    "checked_rules_count",
    "findings",
    "judge",
    "evidence_chunk_ids",
    "checked_at",
)


class CheckRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, values: dict[str, Any], *, replace: bool) -> ContentCheck | None:
        """Insert a check; on the same run key, replace its result (``replace``) or keep the
        stored one and return None."""
        now = utcnow()
        row = {"id": new_id(), "created_at": now, "checked_at": now, **values}
        statement = insert(ContentCheck).values(row)
        if replace:
            statement = statement.on_conflict_do_update(
                constraint=RUN_KEY,
                set_={name: statement.excluded[name] for name in _RESULT_COLUMNS},
            )
        else:
            statement = statement.on_conflict_do_nothing(constraint=RUN_KEY)
        returning = statement.returning(ContentCheck).execution_options(populate_existing=True)
        return await self.session.scalar(returning)

    async def newest(
        self,
        workspace_id: uuid.UUID,
        content_id: uuid.UUID,
        number: int,
        *,
        brand_kit_version: int | None = None,
        engine_version: str | None = None,
    ) -> ContentCheck | None:
        """The version's most recently run check, optionally of one kit and engine version."""
        query = select(ContentCheck).where(
            ContentCheck.workspace_id == workspace_id,
            ContentCheck.content_id == content_id,
            ContentCheck.version_number == number,
        )
        if brand_kit_version is not None:
            query = query.where(ContentCheck.brand_kit_version == brand_kit_version)
        if engine_version is not None:
            query = query.where(ContentCheck.engine_version == engine_version)
        query = query.order_by(ContentCheck.checked_at.desc(), ContentCheck.id.desc()).limit(1)
        return await self.session.scalar(query)
