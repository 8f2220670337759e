"""HTTP routes of studio settings: an organization's provider keys (owners and admins only)
and a workspace's AI settings. Thin: parse, authorize, call the service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, status

from brandflow.contexts.identity.public import (
    Authorize,
    OrganizationAdminDep,
    Permission,
    WorkspaceAccess,
)
from brandflow.contexts.studio.settings import schemas
from brandflow.contexts.studio.settings.service import AISettingsService, ProviderKeyService
from brandflow.kernel.crypto import keyring_for
from brandflow.kernel.errors import problem_responses
from brandflow.kernel.http import UnitOfWorkDep
from brandflow.kernel.routing import CheckedRoute

keys_router = APIRouter(
    prefix="/organizations/{organization_id}/provider-keys",
    tags=["provider_keys"],
    route_class=CheckedRoute,
)
settings_router = APIRouter(
    prefix="/workspaces/{workspace_id}/ai-settings", tags=["ai_settings"], route_class=CheckedRoute
)

CanRead = Annotated[WorkspaceAccess, Depends(Authorize(Permission.CONTENT_READ))]
CanManage = Annotated[WorkspaceAccess, Depends(Authorize(Permission.AI_SETTINGS_MANAGE))]
IfMatch = Annotated[str | None, Header(description="ETag of the settings, as you read them")]


def _keys(request: Request, uow: UnitOfWorkDep) -> ProviderKeyService:
    return ProviderKeyService(uow, keyring_for(request.app.state.settings))


Keys = Annotated[ProviderKeyService, Depends(_keys)]


@keys_router.get(
    "",
    operation_id="provider_keys_list",
    response_model=list[schemas.ProviderKeyRead],
    responses=problem_responses(401, 403, 404),
)
async def list_provider_keys(
    access: OrganizationAdminDep, keys: Keys
) -> list[schemas.ProviderKeyRead]:
    """The organization's model provider keys, by name. Keys themselves are never shown:
    only their last 4 characters."""
    return await keys.list_keys(access)


@keys_router.post(
    "",
    operation_id="provider_keys_create",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ProviderKeyRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_provider_key(
    access: OrganizationAdminDep, keys: Keys, body: schemas.ProviderKeyCreate
) -> schemas.ProviderKeyRead:
    """Store a provider key, encrypted (AES-256-GCM). Workspaces of the organization can then
    route model calls through it by its `id`."""
    return await keys.create(access, body)


@keys_router.put(
    "/{key_id}",
    operation_id="provider_keys_update",
    response_model=schemas.ProviderKeyRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_provider_key(
    access: OrganizationAdminDep, keys: Keys, key_id: uuid.UUID, body: schemas.ProviderKeyUpdate
) -> schemas.ProviderKeyRead:
    """Rename it, change its endpoint, or rotate the key itself (send `api_key`)."""
    return await keys.update(access, key_id, body)


@keys_router.delete(
    "/{key_id}",
    operation_id="provider_keys_delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409),
)
async def delete_provider_key(
    access: OrganizationAdminDep, keys: Keys, key_id: uuid.UUID
) -> Response:
    """Delete it; refused (409) while a workspace's AI settings route through it."""
    await keys.delete(access, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@settings_router.get(
    "",
    operation_id="ai_settings_get",
    response_model=schemas.AISettingsRead,
    responses=problem_responses(401, 403, 404),
)
async def get_ai_settings(
    uow: UnitOfWorkDep, access: CanRead, response: Response
) -> schemas.AISettingsRead:
    """The workspace's AI settings; `ETag` is their revision's. Never saved: the defaults
    at revision 0, whose ETag the first save sends as `If-Match`."""
    read = await AISettingsService(uow).current(access)
    response.headers["ETag"] = read.etag
    return read


@settings_router.put(
    "",
    operation_id="ai_settings_update",
    response_model=schemas.AISettingsRead,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
)
async def update_ai_settings(
    uow: UnitOfWorkDep,
    access: CanManage,
    body: schemas.AISettingsUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.AISettingsRead:
    """Replace the settings. A stale `If-Match` answers 412, none 428. A route naming a
    provider key must name one of the organization's, for its provider (422 otherwise)."""
    read = await AISettingsService(uow).save(access, body, if_match)
    response.headers["ETag"] = read.etag
    return read


@settings_router.get(
    "/provider-keys",
    operation_id="ai_settings_provider_keys",
    response_model=list[schemas.UsableProviderKey],
    responses=problem_responses(401, 403, 404),
)
async def usable_provider_keys(
    uow: UnitOfWorkDep, access: CanManage
) -> list[schemas.UsableProviderKey]:
    """The organization's provider keys a route may name (managers choosing routes need
    them; the keys' own page is for organization owners and admins)."""
    return await AISettingsService(uow).usable_keys(access)


router = APIRouter()
router.include_router(keys_router)
router.include_router(settings_router)
