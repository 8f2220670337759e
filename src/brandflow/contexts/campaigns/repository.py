"""Campaign queries, always inside one workspace."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.campaigns.domain import CampaignStatus, Channel
from brandflow.contexts.campaigns.orm import Campaign
from brandflow.kernel.pagination import decode_cursor

# A row of LIST_COLUMNS.
ListRow = Row[*tuple[Any, ...]]

_t = Campaign.__table__.c
# The columns of a list item, in API order (Core rows: no ORM identity map or hydration).
LIST_COLUMNS = (
    _t.id,
    _t.workspace_id,
    _t.name,
    _t.objective,
    _t.audience,
    _t.key_messages,
    _t.channels,
    _t.start_date,
    _t.end_date,
    _t.budget_amount,
    _t.budget_currency,
    _t.status,
    _t.revision,
    _t.created_at,
    _t.updated_at,
)
# Built once: the common case (no filter, no cursor) is re-executed with new parameters only.
_LIST = (
    select(*LIST_COLUMNS)
    .where(_t.workspace_id == bindparam("workspace_id"))
    .order_by(_t.created_at.desc(), _t.id.desc())
    .limit(bindparam("limit"))
)


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, workspace_id: uuid.UUID, campaign_id: uuid.UUID, *, for_update: bool = False
    ) -> Campaign | None:
        query = select(Campaign).where(
            Campaign.workspace_id == workspace_id, Campaign.id == campaign_id
        )
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def list_rows(
        self,
        workspace_id: uuid.UUID,
        *,
        limit: int,
        cursor: str | None = None,
        status: CampaignStatus | None = None,
        channel: Channel | None = None,
        search: str | None = None,
    ) -> Sequence[ListRow]:
        """Newest first, as Core rows of ``LIST_COLUMNS``; ``limit + 1`` rows tell if there is more."""
        query = _LIST
        params: dict[str, object] = {"workspace_id": workspace_id, "limit": limit + 1}
        if status is not None:
            query = query.where(_t.status == bindparam("status"))
            params["status"] = status
        if channel is not None:
            query = query.where(_t.channels.contains([channel.value]))
        if search:
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(_t.name.ilike(f"%{escaped}%", escape="\\"))
        if cursor:
            created_at, last_id = decode_cursor(cursor)
            query = query.where(
                or_(
                    _t.created_at < bindparam("after_created_at"),
                    and_(
                        _t.created_at == bindparam("after_created_at"),
                        _t.id < bindparam("after_id"),
                    ),
                )
            )
            params["after_created_at"] = created_at
            params["after_id"] = last_id
        return (await self.session.execute(query, params)).all()

    async def status_and_channels(
        self, workspace_id: uuid.UUID, campaign_id: uuid.UUID, *, lock_shared: bool = False
    ) -> tuple[CampaignStatus, list[str]] | None:
        """The campaign's status and channels; ``lock_shared`` holds off an archive (or a
        brief edit) until our commit."""
        query = select(Campaign.status, Campaign.channels).where(
            Campaign.workspace_id == workspace_id, Campaign.id == campaign_id
        )
        if lock_shared:
            query = query.with_for_update(read=True)
        row = (await self.session.execute(query)).first()
        return (row[0], list(row[1])) if row else None

    def add(self, campaign: Campaign) -> None:
        self.session.add(campaign)
