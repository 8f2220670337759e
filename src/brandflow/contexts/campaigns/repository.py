"""Campaign queries, always inside one workspace."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.campaigns.domain import CampaignStatus, Channel
from brandflow.contexts.campaigns.orm import Campaign
from brandflow.kernel.pagination import decode_cursor


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

    async def list(
        self,
        workspace_id: uuid.UUID,
        *,
        limit: int,
        cursor: str | None = None,
        status: CampaignStatus | None = None,
        channel: Channel | None = None,
        search: str | None = None,
    ) -> Sequence[Campaign]:
        """Newest first; fetches ``limit + 1`` rows so the caller knows if there is more."""
        query = select(Campaign).where(Campaign.workspace_id == workspace_id)
        if status is not None:
            query = query.where(Campaign.status == status)
        if channel is not None:
            query = query.where(Campaign.channels.contains([channel.value]))
        if search:
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(Campaign.name.ilike(f"%{escaped}%", escape="\\"))
        if cursor:
            created_at, last_id = decode_cursor(cursor)
            query = query.where(
                or_(
                    Campaign.created_at < created_at,
                    and_(Campaign.created_at == created_at, Campaign.id < last_id),
                )
            )
        query = query.order_by(Campaign.created_at.desc(), Campaign.id.desc()).limit(limit + 1)
        return (await self.session.scalars(query)).all()

    def add(self, campaign: Campaign) -> None:
        self.session.add(campaign)
