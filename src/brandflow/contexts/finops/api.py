"""HTTP routes of finops: usage reports and monthly budgets. Thin: parse, authorize, call."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from brandflow.contexts.finops import schemas
from brandflow.contexts.finops.service import BudgetService, UsageQuery, UsageService
from brandflow.contexts.identity.public import Authorize, Permission, WorkspaceAccess
from brandflow.kernel.errors import problem_responses
from brandflow.kernel.http import UnitOfWorkDep
from brandflow.kernel.routing import CheckedRoute

router = APIRouter(prefix="/workspaces/{workspace_id}", route_class=CheckedRoute)

CanReadUsage = Annotated[WorkspaceAccess, Depends(Authorize(Permission.USAGE_READ))]
CanManageBudgets = Annotated[WorkspaceAccess, Depends(Authorize(Permission.BUDGETS_MANAGE))]
IfMatch = Annotated[
    str | None, Header(description="ETag of the budgets as you read them (optional)")
]


@router.get(
    "/usage",
    tags=["usage"],
    operation_id="usage_report",
    response_model=schemas.UsageReport,
    responses=problem_responses(401, 403, 404, 422),
)
async def usage_report(
    uow: UnitOfWorkDep,
    access: CanReadUsage,
    group_by: Annotated[
        schemas.GroupBy, Query(description="One group per day, model, campaign, user or task")
    ] = "day",
    from_: Annotated[
        date | None, Query(alias="from", description="First day (UTC); default: the 1st")
    ] = None,
    to: Annotated[date | None, Query(description="Last day, inclusive; default: today")] = None,
    campaign_id: Annotated[uuid.UUID | None, Query(description="Only this campaign")] = None,
) -> schemas.UsageReport:
    """What model and embedding calls cost, from the ledger: totals and groups. Days are
    UTC; a report spans at most 366 days. Costs are exact USD decimal strings."""
    query = UsageQuery(group_by=group_by, start=from_, end=to, campaign_id=campaign_id)
    return await UsageService(uow).report(access, query)


@router.get(
    "/budgets",
    tags=["budgets"],
    operation_id="budgets_get",
    response_model=schemas.BudgetsRead,
    responses=problem_responses(401, 403, 404),
)
async def get_budgets(
    uow: UnitOfWorkDep, access: CanReadUsage, response: Response
) -> schemas.BudgetsRead:
    """The workspace's and its campaigns' monthly budgets with this month's spend: what the
    app's budget banner shows (`soft_reached`, `hard_blocked`)."""
    read = await BudgetService(uow).overview(access)
    response.headers["ETag"] = read.etag
    return read


@router.put(
    "/budgets",
    tags=["budgets"],
    operation_id="budgets_update",
    response_model=schemas.BudgetsRead,
    responses=problem_responses(401, 403, 404, 412, 422),
)
async def update_budgets(
    uow: UnitOfWorkDep,
    access: CanManageBudgets,
    body: schemas.BudgetsUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.BudgetsRead:
    """Replace every budget of the workspace (what the body leaves out is removed). With
    `If-Match`, a change made since you read them answers 412."""
    read = await BudgetService(uow).replace(access, body, if_match)
    response.headers["ETag"] = read.etag
    return read
