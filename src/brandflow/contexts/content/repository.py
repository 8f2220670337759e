"""Content queries, always inside one workspace."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.content.orm import ContentItem, ContentVersion
from brandflow.kernel.pagination import decode_cursor


class DuplicateVersion(Exception):
    """Another transaction already wrote this version number of the item."""


class ContentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self,
        workspace_id: uuid.UUID,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        *,
        for_update: bool = False,
    ) -> ContentItem | None:
        query = select(ContentItem).where(
            ContentItem.workspace_id == workspace_id,
            ContentItem.campaign_id == campaign_id,
            ContentItem.id == content_id,
        )
        if for_update:
            # Wait for a concurrent writer, then see its committed row, not a cached one.
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def list(
        self,
        workspace_id: uuid.UUID,
        campaign_id: uuid.UUID,
        *,
        limit: int,
        cursor: str | None = None,
        channel: Channel | None = None,
    ) -> Sequence[ContentItem]:
        """Newest first; fetches ``limit + 1`` rows so the caller knows if there is more."""
        query = select(ContentItem).where(
            ContentItem.workspace_id == workspace_id, ContentItem.campaign_id == campaign_id
        )
        if channel is not None:
            query = query.where(ContentItem.channel == channel)
        if cursor:
            created_at, last_id = decode_cursor(cursor)
            query = query.where(
                or_(
                    ContentItem.created_at < created_at,
                    and_(ContentItem.created_at == created_at, ContentItem.id < last_id),
                )
            )
        query = query.order_by(ContentItem.created_at.desc(), ContentItem.id.desc()).limit(
            limit + 1
        )
        return (await self.session.scalars(query)).all()

    async def version(
        self, workspace_id: uuid.UUID, content_id: uuid.UUID, number: int
    ) -> ContentVersion | None:
        return await self.session.scalar(
            select(ContentVersion).where(
                ContentVersion.workspace_id == workspace_id,
                ContentVersion.content_id == content_id,
                ContentVersion.number == number,
            )
        )

    async def versions(
        self,
        workspace_id: uuid.UUID,
        content_id: uuid.UUID,
        *,
        limit: int,
        before_number: int | None = None,
    ) -> Sequence[ContentVersion]:
        """Newest first; fetches ``limit + 1`` rows so the caller knows if there is more."""
        query = select(ContentVersion).where(
            ContentVersion.workspace_id == workspace_id,
            ContentVersion.content_id == content_id,
        )
        if before_number is not None:
            query = query.where(ContentVersion.number < before_number)
        query = query.order_by(ContentVersion.number.desc()).limit(limit + 1)
        return (await self.session.scalars(query)).all()

    def add(self, item: ContentItem) -> None:
        self.session.add(item)

    async def insert_version(self, version: ContentVersion) -> None:
        """Write a version now; the unique (content_id, number) turns a race into an error."""
        self.session.add(version)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if "uq_content_versions_content_id_number" in str(exc.orig):
                raise DuplicateVersion from exc
            raise
