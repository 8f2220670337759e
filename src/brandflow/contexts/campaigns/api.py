"""HTTP routes of the campaigns context. Thin: parse, authorize, call the service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status

from brandflow.contexts.campaigns import schemas
from brandflow.contexts.campaigns.domain import CampaignStatus, Channel
from brandflow.contexts.campaigns.service import CampaignService, etag, to_read
from brandflow.contexts.identity.public import Authorize, Permission, WorkspaceAccess
from brandflow.kernel.errors import problem_responses
from brandflow.kernel.http import UnitOfWorkDep
from brandflow.kernel.pagination import Page, PageParams, page_params
from brandflow.kernel.routing import CheckedRoute

router = APIRouter(
    prefix="/workspaces/{workspace_id}/campaigns", tags=["campaigns"], route_class=CheckedRoute
)

CanRead = Annotated[WorkspaceAccess, Depends(Authorize(Permission.CAMPAIGNS_READ))]
CanWrite = Annotated[WorkspaceAccess, Depends(Authorize(Permission.CAMPAIGNS_WRITE))]
IfMatch = Annotated[str | None, Header(description="ETag of the campaign as you read it")]


@router.get(
    "",
    operation_id="campaigns_list",
    response_model=Page[schemas.CampaignRead],
    responses=problem_responses(400, 401, 403, 404),
)
async def list_campaigns(
    request: Request,
    uow: UnitOfWorkDep,
    access: CanRead,
    page: Annotated[PageParams, Depends(page_params)],
    status_filter: Annotated[CampaignStatus | None, Query(alias="status")] = None,
    channel: Channel | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Search in names")] = None,
) -> Response:
    # Serialized once by the service (and possibly cached): no second validation here.
    body = await CampaignService(uow).list_json(
        access,
        page,
        status=status_filter,
        channel=channel,
        search=q,
        cache=getattr(request.app.state, "list_cache", None),
        request=(request.scope["path"], request.scope["query_string"]),
        route=request.scope.get("route"),
    )
    return Response(body, media_type="application/json")


@router.post(
    "",
    operation_id="campaigns_create",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.CampaignRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_campaign(
    uow: UnitOfWorkDep, access: CanWrite, body: schemas.CampaignCreate, response: Response
) -> schemas.CampaignRead:
    campaign = await CampaignService(uow).create(access, body)
    response.headers["ETag"] = etag(campaign)
    response.headers["Location"] = (
        f"/api/v1/workspaces/{access.workspace_id}/campaigns/{campaign.id}"
    )
    return to_read(campaign)


@router.get(
    "/{campaign_id}",
    operation_id="campaigns_get",
    response_model=schemas.CampaignRead,
    responses=problem_responses(401, 403, 404),
)
async def get_campaign(
    uow: UnitOfWorkDep, access: CanRead, campaign_id: uuid.UUID, response: Response
) -> schemas.CampaignRead:
    campaign = await CampaignService(uow).get(access, campaign_id)
    response.headers["ETag"] = etag(campaign)
    return to_read(campaign)


@router.patch(
    "/{campaign_id}",
    operation_id="campaigns_update",
    response_model=schemas.CampaignRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
)
async def update_campaign(
    uow: UnitOfWorkDep,
    access: CanWrite,
    campaign_id: uuid.UUID,
    body: schemas.CampaignUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CampaignRead:
    """Change brief fields or status. A stale `If-Match` answers 412, none answers 428."""
    campaign = await CampaignService(uow).update(access, campaign_id, body, if_match)
    response.headers["ETag"] = etag(campaign)
    return to_read(campaign)


@router.post(
    "/{campaign_id}/archive",
    operation_id="campaigns_archive",
    response_model=schemas.CampaignRead,
    responses=problem_responses(401, 403, 404),
)
async def archive_campaign(
    uow: UnitOfWorkDep, access: CanWrite, campaign_id: uuid.UUID, response: Response
) -> schemas.CampaignRead:
    """Archive the campaign (final). Archiving twice is harmless."""
    campaign = await CampaignService(uow).archive(access, campaign_id)
    response.headers["ETag"] = etag(campaign)
    return to_read(campaign)
