"""HTTP routes of the brand kit. Thin: parse, authorize, call the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Response

from brandflow.contexts.brand_kit import schemas
from brandflow.contexts.brand_kit.service import BrandKitService, to_read
from brandflow.contexts.identity.public import Authorize, Permission, WorkspaceAccess
from brandflow.kernel.errors import problem_responses
from brandflow.kernel.http import UnitOfWorkDep
from brandflow.kernel.pagination import Page, PageParams, page_params
from brandflow.kernel.routing import CheckedRoute

router = APIRouter(
    prefix="/workspaces/{workspace_id}/brand-kit", tags=["brand_kit"], route_class=CheckedRoute
)

CanRead = Annotated[WorkspaceAccess, Depends(Authorize(Permission.BRAND_KIT_READ))]
CanWrite = Annotated[WorkspaceAccess, Depends(Authorize(Permission.BRAND_KIT_WRITE))]
IfMatch = Annotated[str | None, Header(description="ETag of the current kit, as you read it")]
VersionNumber = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get(
    "",
    operation_id="brand_kit_get",
    response_model=schemas.BrandKitRead,
    responses=problem_responses(401, 403, 404),
)
async def get_brand_kit(
    uow: UnitOfWorkDep, access: CanRead, response: Response
) -> schemas.BrandKitRead:
    """The current kit; `ETag` is its version's. A workspace that never saved one reads
    version 0, an empty kit, whose ETag the first save sends as `If-Match`."""
    read = to_read(await BrandKitService(uow).current(access))
    response.headers["ETag"] = read.etag
    return read


@router.put(
    "",
    operation_id="brand_kit_update",
    response_model=schemas.BrandKitRead,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
)
async def update_brand_kit(
    uow: UnitOfWorkDep,
    access: CanWrite,
    body: schemas.BrandKitUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.BrandKitRead:
    """Save the whole kit as the next version. A stale `If-Match` answers 412, none answers
    428. A kit equal to the current one saves nothing and answers the current version."""
    read = to_read(await BrandKitService(uow).save(access, body, if_match))
    response.headers["ETag"] = read.etag
    return read


@router.get(
    "/versions",
    operation_id="brand_kit_list_versions",
    response_model=Page[schemas.BrandKitVersionRead],
    responses=problem_responses(400, 401, 403, 404),
)
async def list_brand_kit_versions(
    uow: UnitOfWorkDep, access: CanRead, page: Annotated[PageParams, Depends(page_params)]
) -> Page[schemas.BrandKitVersionRead]:
    """Saved versions of the kit, newest first. Versions never change."""
    return await BrandKitService(uow).versions(access, page)


@router.get(
    "/versions/{number}",
    operation_id="brand_kit_get_version",
    response_model=schemas.BrandKitVersionRead,
    responses=problem_responses(401, 403, 404),
)
async def get_brand_kit_version(
    uow: UnitOfWorkDep, access: CanRead, number: VersionNumber, response: Response
) -> schemas.BrandKitVersionRead:
    read = await BrandKitService(uow).version(access, number)
    response.headers["ETag"] = read.etag
    return read
