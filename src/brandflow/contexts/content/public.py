"""What other contexts may import from content."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.content.bodies import ChannelBody, parse_body
from brandflow.contexts.content.domain import ContentCreated, VersionCreated
from brandflow.contexts.content.orm import ContentItem, ContentVersion
from brandflow.contexts.content.schemas import ContentCreate, VersionCreate
from brandflow.contexts.content.service import ContentService
from brandflow.contexts.content.service import etag as content_etag


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One version as other contexts may read it (the studio checks it)."""

    content_id: uuid.UUID
    campaign_id: uuid.UUID
    channel: Channel
    number: int
    current_version: int
    body: dict[str, Any]  # as stored: it may predate today's limits, so it is not parsed here


async def stored_version(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    content_id: uuid.UUID,
    number: int,
    *,
    campaign_id: uuid.UUID | None = None,
) -> StoredVersion | None:
    """Version ``number`` of a content item of this workspace (and campaign, when given);
    None when there is no such item or version here."""
    query = (
        select(ContentItem.campaign_id, ContentItem.channel, ContentItem.current_version)
        .add_columns(ContentVersion.body)
        .join(
            ContentVersion,
            (ContentVersion.workspace_id == ContentItem.workspace_id)
            & (ContentVersion.content_id == ContentItem.id),
        )
        .where(
            ContentItem.workspace_id == workspace_id,
            ContentItem.id == content_id,
            ContentVersion.number == number,
        )
    )
    if campaign_id is not None:
        query = query.where(ContentItem.campaign_id == campaign_id)
    row = (await session.execute(query)).one_or_none()
    if row is None:
        return None
    return StoredVersion(
        content_id, row.campaign_id, row.channel, number, row.current_version, row.body
    )


__all__ = [
    "ChannelBody",
    "ContentCreate",
    "ContentCreated",
    "ContentService",
    "StoredVersion",
    "VersionCreate",
    "VersionCreated",
    "content_etag",
    "parse_body",
    "stored_version",
]
