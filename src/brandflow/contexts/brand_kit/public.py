"""What other contexts may import from the brand kit: the typed kit and how to read it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.brand_kit.domain import (
    ApprovedClaim,
    BannedTerm,
    BrandKit,
    BrandKitUpdated,
    BrandRules,
    BrandVoice,
    ChannelOverride,
    Competitor,
    RequiredDisclaimer,
    kit_etag,
)
from brandflow.contexts.brand_kit.repository import BrandKitRepository
from brandflow.contexts.brand_kit.service import BrandKitService, BrandKitSnapshot, load_snapshot


async def brand_kit_snapshot(session: AsyncSession, workspace_id: uuid.UUID) -> BrandKitSnapshot:
    """The workspace's current kit with its version number (0 and empty: never saved)."""
    return await load_snapshot(BrandKitRepository(session), workspace_id)


async def current_brand_kit(session: AsyncSession, workspace_id: uuid.UUID) -> BrandKit:
    """The workspace's current kit; the empty kit when it never saved one."""
    return (await brand_kit_snapshot(session, workspace_id)).kit


__all__ = [
    "ApprovedClaim",
    "BannedTerm",
    "BrandKit",
    "BrandKitService",
    "BrandKitSnapshot",
    "BrandKitUpdated",
    "BrandRules",
    "BrandVoice",
    "ChannelOverride",
    "Competitor",
    "RequiredDisclaimer",
    "brand_kit_snapshot",
    "current_brand_kit",
    "kit_etag",
]
