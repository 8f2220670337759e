"""Content use cases: items, immutable versions, diffs."""

from __future__ import annotations

import uuid
from typing import Any

from brandflow.contexts.campaigns.public import CampaignFacts, Channel, campaign_facts
from brandflow.contexts.content import schemas
from brandflow.contexts.content.bodies import BODY_ADAPTER, ChannelBody, parse_body
from brandflow.contexts.content.domain import (
    ContentCreated,
    VersionCreated,
    check_campaign_channel,
    check_campaign_open,
    check_channel,
    field_changes,
    unified_diff,
    version_etag,
)
from brandflow.contexts.content.orm import ContentItem, ContentVersion
from brandflow.contexts.content.repository import ContentRepository, DuplicateVersion
from brandflow.contexts.identity.public import WorkspaceAccess
from brandflow.kernel.errors import NotFound, PreconditionFailed
from brandflow.kernel.etag import require_match
from brandflow.kernel.pagination import (
    Page,
    PageParams,
    decode_json_cursor,
    encode_cursor,
    encode_json_cursor,
    split_page,
)
from brandflow.kernel.uow import UnitOfWork


def etag(item: ContentItem) -> str:
    """An item's ETag is the ETag of its current version."""
    return version_etag(item.id, item.current_version)


def to_read(item: ContentItem) -> schemas.ContentRead:
    return schemas.ContentRead.model_validate(item, from_attributes=True)


def to_version_read(version: ContentVersion) -> schemas.VersionRead:
    return schemas.VersionRead(
        content_id=version.content_id,
        number=version.number,
        created_at=version.created_at,
        author=schemas.Author(type=version.author_type, id=version.author_id),
        etag=version_etag(version.content_id, version.number),
        body=parse_body(version.body),
    )


def to_detail(item: ContentItem, current: ContentVersion) -> schemas.ContentDetail:
    return schemas.ContentDetail(**to_read(item).model_dump(), current=to_version_read(current))


def _before_number(position: Any) -> int:
    number = position["before"]
    if not isinstance(number, int):
        raise TypeError(number)
    return number


class ContentService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = ContentRepository(uow.session)

    async def _campaign(
        self, access: WorkspaceAccess, campaign_id: uuid.UUID, *, for_write: bool = False
    ) -> CampaignFacts:
        campaign = await campaign_facts(
            self.uow.session, access.workspace_id, campaign_id, lock_shared=for_write
        )
        if campaign is None:
            raise NotFound("Campaign not found.")
        return campaign

    async def _item(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        *,
        for_update: bool = False,
    ) -> ContentItem:
        item = await self.repo.get(
            access.workspace_id, campaign_id, content_id, for_update=for_update
        )
        if item is None:
            raise NotFound("Content not found.")
        return item

    async def _version(
        self, access: WorkspaceAccess, item: ContentItem, number: int
    ) -> ContentVersion:
        version = await self.repo.version(access.workspace_id, item.id, number)
        if version is None:
            raise NotFound(f"Version {number} of this content does not exist.")
        return version

    async def list(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        page: PageParams,
        *,
        channel: Channel | None,
    ) -> Page[schemas.ContentRead]:
        await self._campaign(access, campaign_id)
        rows = await self.repo.list(
            access.workspace_id, campaign_id, limit=page.limit, cursor=page.cursor, channel=channel
        )
        items, next_cursor = split_page(
            rows, page.limit, lambda i: encode_cursor(i.created_at, i.id)
        )
        return Page(items=[to_read(i) for i in items], next_cursor=next_cursor)

    async def create(
        self, access: WorkspaceAccess, campaign_id: uuid.UUID, data: schemas.ContentCreate
    ) -> tuple[ContentItem, ContentVersion]:
        campaign = await self._campaign(access, campaign_id, for_write=True)
        check_campaign_open(campaign.status)
        channel = Channel(data.body.channel)
        check_campaign_channel(campaign.channels, channel)
        item = ContentItem(
            workspace_id=access.workspace_id,
            campaign_id=campaign_id,
            channel=channel,
            title=data.title,
            current_version=1,
            created_by=access.principal.user_id,
        )
        self.repo.add(item)
        await self.uow.session.flush()
        version = self._new_version(access, item, 1, data.body)
        await self.repo.insert_version(version)
        self.uow.record(
            ContentCreated(
                workspace_id=access.workspace_id,
                subject_id=item.id,
                campaign_id=campaign_id,
                channel=channel,
                title=item.title,
                changes={
                    "title": [None, item.title],
                    "channel": [None, channel.value],
                    "current_version": [None, 1],
                },
            )
        )
        return item, version

    def _new_version(
        self, access: WorkspaceAccess, item: ContentItem, number: int, body: ChannelBody
    ) -> ContentVersion:
        actor = access.principal.actor
        return ContentVersion(
            workspace_id=access.workspace_id,
            content_id=item.id,
            number=number,
            body=BODY_ADAPTER.dump_python(body, mode="json"),
            author_type=actor.type,
            author_id=actor.id,
        )

    async def get(
        self, access: WorkspaceAccess, campaign_id: uuid.UUID, content_id: uuid.UUID
    ) -> tuple[ContentItem, ContentVersion]:
        item = await self._item(access, campaign_id, content_id)
        return item, await self._version(access, item, item.current_version)

    async def add_version(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        data: schemas.VersionCreate,
        if_match: str | None,
    ) -> tuple[ContentItem, ContentVersion]:
        """Write version n+1 if `if_match` names version n, the current one.

        The item's row lock serialises writers: the second of two writers holding the same
        ETag waits, then sees the bumped version and gets 412. The unique
        (content_id, number) constraint is the backstop.
        """
        return await self._append(access, campaign_id, content_id, data.body, if_match)

    async def append_version(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        body: ChannelBody,
    ) -> tuple[ContentItem, ContentVersion]:
        """Write the next version after whatever is current, without If-Match: for versions
        a job writes for the person who asked (the studio's generations), who read no ETag."""
        return await self._append(access, campaign_id, content_id, body, None, unconditional=True)

    async def _append(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        body: ChannelBody,
        if_match: str | None,
        *,
        unconditional: bool = False,
    ) -> tuple[ContentItem, ContentVersion]:
        item = await self._item(access, campaign_id, content_id, for_update=True)
        check_campaign_open((await self._campaign(access, campaign_id, for_write=True)).status)
        if not unconditional:
            require_match(if_match, etag(item))
        check_channel(item.channel, body.channel)
        previous = await self._version(access, item, item.current_version)
        old_number, new_number = item.current_version, item.current_version + 1
        version = self._new_version(access, item, new_number, body)
        try:
            await self.repo.insert_version(version)
        except DuplicateVersion as exc:
            raise PreconditionFailed(
                "Another version was written at the same time. Reload and retry."
            ) from exc
        item.current_version = new_number
        await self.uow.session.flush()
        changed = [c.field for c in field_changes(parse_body(previous.body), body)]
        self.uow.record(
            VersionCreated(
                workspace_id=access.workspace_id,
                subject_id=item.id,
                campaign_id=campaign_id,
                channel=item.channel,
                number=new_number,
                changed_fields=changed,
                changes={"current_version": [old_number, new_number]},
            )
        )
        return item, version

    async def versions(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        page: PageParams,
    ) -> Page[schemas.VersionRead]:
        item = await self._item(access, campaign_id, content_id)
        before = decode_json_cursor(page.cursor, _before_number) if page.cursor else None
        rows = await self.repo.versions(
            access.workspace_id, item.id, limit=page.limit, before_number=before
        )
        items, next_cursor = split_page(
            rows, page.limit, lambda v: encode_json_cursor({"before": v.number})
        )
        return Page(items=[to_version_read(v) for v in items], next_cursor=next_cursor)

    async def version(
        self, access: WorkspaceAccess, campaign_id: uuid.UUID, content_id: uuid.UUID, number: int
    ) -> ContentVersion:
        item = await self._item(access, campaign_id, content_id)
        return await self._version(access, item, number)

    async def diff(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        content_id: uuid.UUID,
        number: int,
        against: int,
    ) -> schemas.VersionDiff:
        item = await self._item(access, campaign_id, content_id)
        after = await self._version(access, item, number)
        before = await self._version(access, item, against)
        after_body, before_body = parse_body(after.body), parse_body(before.body)
        return schemas.VersionDiff(
            content_id=item.id,
            number=number,
            against=against,
            changes=[
                schemas.FieldChangeRead(
                    field=c.field,
                    kind=c.kind,
                    before=c.before,
                    after=c.after,
                )
                for c in field_changes(before_body, after_body)
            ],
            unified=unified_diff(
                before_body,
                after_body,
                before_label=f"version {against}",
                after_label=f"version {number}",
            ),
        )
