"""HTTP routes of stored checks. Thin: parse, authorize, call the service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from brandflow.contexts.content.public import StoredVersion, stored_version
from brandflow.contexts.finops.public import Task
from brandflow.contexts.identity.public import Authorize, Permission, WorkspaceAccess
from brandflow.contexts.studio.checking.judge import MeteredToneJudge
from brandflow.contexts.studio.checking.schemas import CheckRead, CheckRequest, to_read
from brandflow.contexts.studio.checking.service import current_check, recheck
from brandflow.contexts.studio.metering import Attribution, Meter
from brandflow.contexts.studio.settings.service import (
    ai_settings_of,
    chain_for_task,
    cheaper_route_for,
)
from brandflow.kernel.context import request_id_var
from brandflow.kernel.errors import NotFound, problem_responses
from brandflow.kernel.http import UnitOfWorkDep
from brandflow.kernel.routing import CheckedRoute
from brandflow.kernel.telemetry import current_trace_id
from brandflow.kernel.uow import UnitOfWork
from brandflow.settings import Settings

router = APIRouter(
    prefix="/workspaces/{workspace_id}/campaigns/{campaign_id}/contents/{content_id}"
    "/versions/{number}/check",
    tags=["checks"],
    route_class=CheckedRoute,
)

CanRead = Annotated[WorkspaceAccess, Depends(Authorize(Permission.CONTENT_READ))]
CanRun = Annotated[WorkspaceAccess, Depends(Authorize(Permission.AI_GENERATE))]
VersionNumber = Annotated[int, Path(ge=1, le=2_147_483_647)]


async def _version(
    uow: UnitOfWork,
    access: WorkspaceAccess,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    number: int,
) -> StoredVersion:
    version = await stored_version(
        uow.session, access.workspace_id, content_id, number, campaign_id=campaign_id
    )
    if version is None:
        raise NotFound(f"Version {number} of this content does not exist.")
    return version


async def _tone_judge(
    request: Request, uow: UnitOfWork, access: WorkspaceAccess, version: StoredVersion
) -> MeteredToneJudge:
    settings: Settings = request.app.state.settings
    session, workspace_id = uow.session, access.workspace_id
    who = Attribution(
        workspace_id=workspace_id,
        task=Task.CHECK,
        actor=access.principal.actor,
        campaign_id=version.campaign_id,
        content_id=version.content_id,
        request_id=request_id_var.get(),
        trace_id=current_trace_id(),
    )
    return MeteredToneJudge(
        Meter(sessionmaker=request.app.state.sessionmaker, gateway=request.app.state.gateway),
        who,
        await chain_for_task(session, workspace_id, "check", settings),
        await cheaper_route_for(session, workspace_id, settings),
    )


@router.get(
    "",
    operation_id="checks_get",
    response_model=CheckRead,
    responses=problem_responses(401, 403, 404),
)
async def get_check(
    uow: UnitOfWorkDep,
    access: CanRead,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    number: VersionNumber,
) -> CheckRead:
    """The version's compliance check against the current brand kit: the stored one, or run
    now when there is none (a new version, or a kit changed since). `passed` uses the
    workspace's current minimum score."""
    version = await _version(uow, access, campaign_id, content_id, number)
    return to_read(await current_check(uow.session, access.workspace_id, version))


@router.post(
    "",
    operation_id="checks_run",
    response_model=CheckRead,
    responses=problem_responses(401, 402, 403, 404, 422, 503),
)
async def run_check(
    uow: UnitOfWorkDep,
    access: CanRun,
    request: Request,
    campaign_id: uuid.UUID,
    content_id: uuid.UUID,
    number: VersionNumber,
    body: CheckRequest | None = None,
) -> CheckRead:
    """Run the check again now (new knowledge may back a claim) and store it; with
    `tone_judge`, a model also judges the tone (metered: 402 over budget, 503 if no model
    answers)."""
    version = await _version(uow, access, campaign_id, content_id, number)
    wanted = body.tone_judge if body is not None else None
    if wanted is None:
        wanted = (await ai_settings_of(uow.session, access.workspace_id)).tone_judge
    judge = await _tone_judge(request, uow, access, version) if wanted else None
    return to_read(await recheck(uow.session, access.workspace_id, version, judge))
