"""What other contexts may import from campaigns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.campaigns.domain import CampaignStatus, Channel
from brandflow.contexts.campaigns.repository import CampaignRepository


@dataclass(frozen=True, slots=True)
class CampaignFacts:
    """What other contexts may know of a campaign: its status and its channels."""

    status: CampaignStatus
    channels: frozenset[Channel]


async def campaign_facts(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    campaign_id: uuid.UUID,
    *,
    lock_shared: bool = False,
) -> CampaignFacts | None:
    """A campaign of this workspace (None: no such campaign here).

    Writers of things that belong to a campaign pass ``lock_shared`` so that an archive
    cannot commit between their check and their insert.
    """
    row = await CampaignRepository(session).status_and_channels(
        workspace_id, campaign_id, lock_shared=lock_shared
    )
    if row is None:
        return None
    return CampaignFacts(row[0], frozenset(Channel(c) for c in row[1]))


@dataclass(frozen=True, slots=True)
class CampaignBrief:
    """The brief as the studio writes from it."""

    name: str
    objective: str
    audience: str
    key_messages: tuple[str, ...]
    status: CampaignStatus


async def campaign_brief(
    session: AsyncSession, workspace_id: uuid.UUID, campaign_id: uuid.UUID
) -> CampaignBrief | None:
    """A campaign's brief (None: no such campaign in this workspace)."""
    campaign = await CampaignRepository(session).get(workspace_id, campaign_id)
    if campaign is None:
        return None
    return CampaignBrief(
        campaign.name,
        campaign.objective,
        campaign.audience,
        tuple(campaign.key_messages),
        campaign.status,
    )


__all__ = [
    "CampaignBrief",
    "CampaignFacts",
    "CampaignStatus",
    "Channel",
    "campaign_brief",
    "campaign_facts",
]
