"""HTTP routes of the content context. Thin: parse, authorize, call the service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response, status

from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.content import schemas
from brandflow.contexts.content.service import (
    ContentService,
    etag,
    to_detail,
    to_version_read,
)
from brandflow.contexts.identity.public import Authorize, Permission, WorkspaceAccess
from brandflow.kernel.errors import problem_responses
from brandflow.kernel.http import UnitOfWorkDep
from brandflow.kernel.pagination import Page, PageParams, page_params
from brandflow.kernel.routing import CheckedRoute

router = APIRouter(
    prefix="/workspaces/{workspace_id}/campaigns/{campaign_id}/contents",
    tags=["content"],
    route_class=CheckedRoute,
)

CanRead = Annotated[WorkspaceAccess, Depends(Authorize(Permission.CONTENT_READ))]
CanWrite = Annotated[WorkspaceAccess, Depends(Authorize(Permission.CONTENT_WRITE))]
IfMatch = Annotated[str | None, Header(description="ETag of the current version, as you read it")]
VersionNumber = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _location(access: WorkspaceAccess, campaign_id: uuid.UUID, content_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{access.workspace_id}/campaigns/{campaign_id}/contents/{content_id}"


@router.get(
    "",
    operation_id="content_list",
    response_model=Page[schemas.ContentRead],
    responses=problem_responses(400, 401, 403, 404),
)
async def list_contents(
    uow: UnitOfWorkDep,
    access: CanRead,
    campaign_id: uuid.UUID,
    page: Annotated[PageParams, Depends(page_params)],
    channel: Channel | None = None,
) -> Page[schemas.ContentRead]:
    """Content items of the campaign, newest first."""
    return await ContentService(uow).list(access, campaign_id, page, channel=channel)


@router.post(
    "",
    operation_id="content_create",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ContentDetail,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_content(
    uow: UnitOfWorkDep,
    access: CanWrite,
    campaign_id: uuid.UUID,
    body: schemas.ContentCreate,
    response: Response,
) -> schemas.ContentDetail:
    """Create an item of the body's channel, with its version 1."""
    item, version = await ContentService(uow).create(access, campaign_id, body)
    response.headers["ETag"] = etag(item)
    response.headers["Location"] = _location(access, campaign_id, item.id)
    return to_detail(item, version)


@router.get(
    "/{content_id}",
    operation_id="content_get",
    response_model=schemas.ContentDetail,
    responses=problem_responses(401, 403, 404),
)
async def get_content(
    uow: UnitOfWorkDep,
    access: CanRead,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    response: Response,
) -> schemas.ContentDetail:
    """The item with its current version; `ETag` is the current version's."""
    item, version = await ContentService(uow).get(access, campaign_id, content_id)
    response.headers["ETag"] = etag(item)
    return to_detail(item, version)


@router.post(
    "/{content_id}/versions",
    operation_id="content_create_version",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.VersionRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
)
async def create_version(
    uow: UnitOfWorkDep,
    access: CanWrite,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    body: schemas.VersionCreate,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.VersionRead:
    """Write the next version. A stale `If-Match` answers 412, none answers 428;
    an archived campaign answers 409."""
    item, version = await ContentService(uow).add_version(
        access, campaign_id, content_id, body, if_match
    )
    response.headers["ETag"] = etag(item)
    response.headers["Location"] = (
        f"{_location(access, campaign_id, item.id)}/versions/{version.number}"
    )
    return to_version_read(version)


@router.get(
    "/{content_id}/versions",
    operation_id="content_list_versions",
    response_model=Page[schemas.VersionRead],
    responses=problem_responses(400, 401, 403, 404),
)
async def list_versions(
    uow: UnitOfWorkDep,
    access: CanRead,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[schemas.VersionRead]:
    """Versions of the item, newest first. Versions never change."""
    return await ContentService(uow).versions(access, campaign_id, content_id, page)


@router.get(
    "/{content_id}/versions/{number}",
    operation_id="content_get_version",
    response_model=schemas.VersionRead,
    responses=problem_responses(401, 403, 404),
)
async def get_version(
    uow: UnitOfWorkDep,
    access: CanRead,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    number: VersionNumber,
    response: Response,
) -> schemas.VersionRead:
    version = await ContentService(uow).version(access, campaign_id, content_id, number)
    read = to_version_read(version)
    response.headers["ETag"] = read.etag
    return read


@router.get(
    "/{content_id}/versions/{number}/diff",
    operation_id="content_diff_versions",
    response_model=schemas.VersionDiff,
    responses=problem_responses(401, 403, 404, 422),
)
async def diff_versions(
    uow: UnitOfWorkDep,
    access: CanRead,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    number: VersionNumber,
    against: Annotated[
        int, Query(ge=1, le=2_147_483_647, description="The version to compare with (before)")
    ],
) -> schemas.VersionDiff:
    """Per-field and unified text diff from version `against` to version `number`."""
    return await ContentService(uow).diff(access, campaign_id, content_id, number, against)
