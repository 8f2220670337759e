"""Campaign use cases. Services check permissions through the access they are given."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic_core import to_json

from brandflow.contexts.campaigns import schemas
from brandflow.contexts.campaigns.domain import (
    CampaignArchived,
    CampaignCreated,
    CampaignStatus,
    CampaignUpdated,
    Channel,
    check_dates,
    check_transition,
)
from brandflow.contexts.campaigns.orm import Campaign
from brandflow.contexts.campaigns.repository import CampaignRepository, ListRow
from brandflow.contexts.identity.public import Permission, WorkspaceAccess
from brandflow.kernel.cache import CachedRoute, ResponseCache
from brandflow.kernel.errors import Conflict, NotFound
from brandflow.kernel.etag import make_etag, require_match
from brandflow.kernel.pagination import PageParams, encode_cursor, split_page
from brandflow.kernel.uow import UnitOfWork

BRIEF_FIELDS = (
    "name",
    "objective",
    "audience",
    "key_messages",
    "channels",
    "start_date",
    "end_date",
    "status",
)


def to_read(c: Campaign) -> schemas.CampaignRead:
    budget = (
        schemas.Money(amount=c.budget_amount, currency=c.budget_currency)
        if c.budget_amount is not None and c.budget_currency is not None
        else None
    )
    return schemas.CampaignRead(
        id=c.id,
        workspace_id=c.workspace_id,
        name=c.name,
        objective=c.objective,
        audience=c.audience,
        key_messages=list(c.key_messages),
        channels=[Channel(ch) for ch in c.channels],
        start_date=c.start_date,
        end_date=c.end_date,
        budget=budget,
        status=c.status,
        revision=c.revision,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


# Events named `campaigns.*` bump this collection's version in the list cache.
LIST_COLLECTION = "campaigns"


def _list_item(row: ListRow) -> dict[str, Any]:
    """One `CampaignRead`, as the JSON-ready dict pydantic would serialize, from a Core row.

    Database values are trusted (they were validated on the way in): no second validation.
    The key order and value types match `CampaignRead`, so the bytes are the same.
    """
    (
        id_,
        workspace_id,
        name,
        objective,
        audience,
        key_messages,
        channels,
        start_date,
        end_date,
        budget_amount,
        budget_currency,
        status,
        revision,
        created_at,
        updated_at,
    ) = row
    return {
        "id": id_,
        "workspace_id": workspace_id,
        "name": name,
        "objective": objective,
        "audience": audience,
        "key_messages": key_messages,
        "channels": channels,
        "start_date": start_date,
        "end_date": end_date,
        "budget": (
            {"amount": budget_amount, "currency": budget_currency}
            if budget_amount is not None and budget_currency is not None
            else None
        ),
        "status": status,
        "revision": revision,
        "created_at": created_at,
        "updated_at": updated_at,
    }


def page_json(rows: Sequence[ListRow], limit: int) -> bytes:
    """A `Page[CampaignRead]` serialized once, from ``limit + 1`` rows."""
    items, next_cursor = split_page(rows, limit, lambda r: encode_cursor(r.created_at, r.id))
    return to_json({"items": [_list_item(r) for r in items], "next_cursor": next_cursor})


def etag(c: Campaign) -> str:
    return make_etag(c.id, c.revision)


def _snapshot(c: Campaign) -> dict[str, Any]:
    snap: dict[str, Any] = {f: getattr(c, f) for f in BRIEF_FIELDS}
    snap["budget"] = (
        f"{c.budget_amount} {c.budget_currency}" if c.budget_amount is not None else None
    )
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in snap.items()}


class CampaignService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = CampaignRepository(uow.session)

    async def list_json(
        self,
        access: WorkspaceAccess,
        page: PageParams,
        *,
        status: CampaignStatus | None,
        channel: Channel | None,
        search: str | None,
        cache: ResponseCache | None = None,
        request: tuple[str, bytes] | None = None,
        route: object = None,
    ) -> bytes:
        """A page as JSON bytes (`Page[CampaignRead]`), from the list cache when it is current.

        The caller's access was checked before (``Authorize``); the cache only saves the
        query and the serialization, keyed by workspace and every query parameter. With
        ``request`` (path, raw query string) and ``route``, ``CachedGetMiddleware`` may answer
        that exact request again, for callers whose cached access grants `campaigns:read`.
        """
        cached = cache is not None and cache.enabled
        key = (
            LIST_COLLECTION,
            access.workspace_id,
            page.cursor,
            page.limit,
            status,
            channel,
            search,
        )
        if cached:
            assert cache is not None
            # Read the version before the query: a write committed meanwhile bumps it.
            version = cache.version(LIST_COLLECTION, access.workspace_id)
            if (body := cache.get(key, version)) is not None:
                return body
        rows = await self.repo.list_rows(
            access.workspace_id,
            limit=page.limit,
            cursor=page.cursor,
            status=status,
            channel=channel,
            search=search,
        )
        body = page_json(rows, page.limit)
        if cached:
            assert cache is not None
            fast = CachedRoute(
                key, LIST_COLLECTION, access.workspace_id, Permission.CAMPAIGNS_READ, route
            )
            cache.put(key, version, body, request, fast)
        return body

    async def get(self, access: WorkspaceAccess, campaign_id: uuid.UUID) -> Campaign:
        campaign = await self.repo.get(access.workspace_id, campaign_id)
        if campaign is None:
            raise NotFound("Campaign not found.")
        return campaign

    async def create(self, access: WorkspaceAccess, data: schemas.CampaignCreate) -> Campaign:
        check_dates(data.start_date, data.end_date)
        campaign = Campaign(
            workspace_id=access.workspace_id,
            name=data.name,
            objective=data.objective,
            audience=data.audience,
            key_messages=data.key_messages,
            channels=[c.value for c in dict.fromkeys(data.channels)],
            start_date=data.start_date,
            end_date=data.end_date,
            budget_amount=data.budget.amount if data.budget else None,
            budget_currency=str(data.budget.currency) if data.budget else None,
            status=data.status,
            created_by=access.principal.user_id,
        )
        self.repo.add(campaign)
        await self.uow.session.flush()
        self.uow.record(
            CampaignCreated(
                workspace_id=access.workspace_id,
                subject_id=campaign.id,
                campaign_name=campaign.name,
                status=campaign.status,
                changes={k: [None, v] for k, v in _snapshot(campaign).items() if v},
            )
        )
        return campaign

    async def update(
        self,
        access: WorkspaceAccess,
        campaign_id: uuid.UUID,
        data: schemas.CampaignUpdate,
        if_match: str | None,
    ) -> Campaign:
        campaign = await self.repo.get(access.workspace_id, campaign_id, for_update=True)
        if campaign is None:
            raise NotFound("Campaign not found.")
        require_match(if_match, etag(campaign))
        if campaign.status == CampaignStatus.ARCHIVED:
            raise Conflict("An archived campaign cannot change.")
        before = _snapshot(campaign)
        sent = data.model_fields_set
        for field in ("name", "objective", "audience", "key_messages"):
            if field in sent and (value := getattr(data, field)) is not None:
                setattr(campaign, field, value)
        if "channels" in sent and data.channels is not None:
            campaign.channels = [c.value for c in dict.fromkeys(data.channels)]
        if "start_date" in sent:
            campaign.start_date = data.start_date
        if "end_date" in sent:
            campaign.end_date = data.end_date
        if "budget" in sent:
            campaign.budget_amount = data.budget.amount if data.budget else None
            campaign.budget_currency = str(data.budget.currency) if data.budget else None
        if "status" in sent and data.status is not None:
            check_transition(campaign.status, data.status)
            campaign.status = data.status
        check_dates(campaign.start_date, campaign.end_date)
        after = _snapshot(campaign)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            campaign.revision += 1
            await self.uow.session.flush()
            self.uow.record(
                CampaignUpdated(
                    workspace_id=access.workspace_id, subject_id=campaign.id, changes=changes
                )
            )
        return campaign

    async def archive(self, access: WorkspaceAccess, campaign_id: uuid.UUID) -> Campaign:
        campaign = await self.repo.get(access.workspace_id, campaign_id, for_update=True)
        if campaign is None:
            raise NotFound("Campaign not found.")
        if campaign.status != CampaignStatus.ARCHIVED:
            before = campaign.status.value
            campaign.status = CampaignStatus.ARCHIVED
            campaign.revision += 1
            await self.uow.session.flush()
            self.uow.record(
                CampaignArchived(
                    workspace_id=access.workspace_id,
                    subject_id=campaign.id,
                    changes={"status": [before, CampaignStatus.ARCHIVED.value]},
                )
            )
        return campaign
