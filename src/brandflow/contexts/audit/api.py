"""HTTP routes of the audit log. Thin: parse, authorize, call the service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime

from brandflow.contexts.audit import schemas
from brandflow.contexts.audit.repository import AuditFilters
from brandflow.contexts.audit.service import AuditService
from brandflow.contexts.identity.public import Authorize, Permission, WorkspaceAccess
from brandflow.kernel.errors import problem_responses
from brandflow.kernel.http import UnitOfWorkDep
from brandflow.kernel.pagination import Page, PageParams, page_params
from brandflow.kernel.routing import CheckedRoute

router = APIRouter(
    prefix="/workspaces/{workspace_id}/audit-events", tags=["audit"], route_class=CheckedRoute
)

CanRead = Annotated[WorkspaceAccess, Depends(Authorize(Permission.AUDIT_READ))]


@router.get(
    "",
    operation_id="audit_events_list",
    response_model=Page[schemas.AuditEventRead],
    responses=problem_responses(400, 401, 403, 404, 422),
)
async def list_audit_events(
    uow: UnitOfWorkDep,
    access: CanRead,
    page: Annotated[PageParams, Depends(page_params)],
    action: Annotated[
        str | None,
        Query(max_length=120, description="Event type, e.g. `campaigns.campaign_created`"),
    ] = None,
    object_type: Annotated[str | None, Query(max_length=60, description="e.g. `campaign`")] = None,
    object_id: uuid.UUID | None = None,
    actor_id: Annotated[str | None, Query(max_length=64, description="User or API key id")] = None,
    occurred_after: Annotated[
        AwareDatetime | None, Query(description="Inclusive lower bound (with timezone)")
    ] = None,
    occurred_before: Annotated[
        AwareDatetime | None, Query(description="Exclusive upper bound (with timezone)")
    ] = None,
) -> Page[schemas.AuditEventRead]:
    """Who changed what in this workspace, newest first. Workspace managers only."""
    filters = AuditFilters(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor_id,
        occurred_after=occurred_after,
        occurred_before=occurred_before,
    )
    return await AuditService(uow).list(access, page, filters)
