"""What other contexts may import from campaigns."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.campaigns.domain import CampaignStatus, Channel
from brandflow.contexts.campaigns.repository import CampaignRepository


async def campaign_status(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    campaign_id: uuid.UUID,
    *,
    lock_shared: bool = False,
) -> CampaignStatus | None:
    """Status of a campaign of this workspace (None: no such campaign here).

    Writers of things that belong to a campaign pass ``lock_shared`` so that an archive
    cannot commit between their check and their insert.
    """
    return await CampaignRepository(session).status(
        workspace_id, campaign_id, lock_shared=lock_shared
    )


__all__ = ["CampaignStatus", "Channel", "campaign_status"]
