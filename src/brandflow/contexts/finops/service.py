"""FinOps use cases behind the API: budgets (read, replace) and usage reports."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.campaigns.public import campaign_facts
from brandflow.contexts.finops import schemas
from brandflow.contexts.finops.domain import (
    CENT,
    ZERO,
    BudgetChanged,
    BudgetRule,
    BudgetState,
    budget_changes,
    month_of,
    period_label,
    tidy,
)
from brandflow.contexts.finops.metering import notify_thresholds, rule_of
from brandflow.contexts.finops.orm import Budget
from brandflow.contexts.finops.repository import FinOpsRepository, UsageGroupRow
from brandflow.contexts.identity.public import WorkspaceAccess
from brandflow.kernel.db import utcnow
from brandflow.kernel.errors import PreconditionFailed, Unprocessable
from brandflow.kernel.uow import UnitOfWork

MAX_REPORT_DAYS = 366
EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)


# --- budgets --------------------------------------------------------------------------


def budgets_etag(budgets: list[Budget] | tuple[Budget, ...]) -> str:
    """A strong ETag of the workspace's budget settings (not of its spend)."""
    settings = sorted(
        (
            str(b.campaign_id or ""),
            str(b.monthly_limit_usd.quantize(CENT)),
            b.soft_threshold_percent,
            b.hard_limit,
        )
        for b in budgets
    )
    digest = hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:20]
    return f'"{digest}"'


def _rule(campaign_id: uuid.UUID | None, settings: schemas.BudgetSettings) -> BudgetRule:
    return BudgetRule(
        campaign_id=campaign_id,
        monthly_limit=settings.monthly_limit.quantize(CENT),
        soft_threshold_percent=settings.soft_threshold_percent,
        hard_limit=settings.hard_limit,
    )


def _status(campaign_id: uuid.UUID | None, state: BudgetState) -> schemas.BudgetStatusRead:
    rule = state.rule
    return schemas.BudgetStatusRead(
        campaign_id=campaign_id,
        monthly_limit=rule.monthly_limit if rule else None,
        soft_threshold_percent=rule.soft_threshold_percent if rule else None,
        hard_limit=rule.hard_limit if rule else None,
        spent=tidy(state.spent),
        reserved=tidy(state.reserved),
        remaining=None if state.remaining is None else tidy(state.remaining),
        percent_used=state.percent_used,
        soft_reached=state.soft_reached,
        hard_blocked=state.hard_blocked,
    )


async def budget_states(
    session: AsyncSession, workspace_id: uuid.UUID, campaign_id: uuid.UUID | None = None
) -> list[BudgetState]:
    """This month's state of the workspace and (if given) the campaign: what
    ``choose_route`` weighs and the banner shows."""
    repo = FinOpsRepository(session)
    now = utcnow()
    budgets = {b.campaign_id: b for b in await repo.budgets_for(workspace_id, campaign_id)}
    spent = await repo.spent(workspace_id, month_of(now))
    total, by_campaign = await repo.reserved(workspace_id, now)
    scopes: list[tuple[uuid.UUID | None, Decimal]] = [(None, total)]
    if campaign_id is not None:
        scopes.append((campaign_id, by_campaign.get(campaign_id, ZERO)))
    return [
        BudgetState(
            rule_of(budgets[scope]) if scope in budgets else None,
            spent.get(scope, ZERO),
            reserved,
        )
        for scope, reserved in scopes
    ]


class BudgetService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = FinOpsRepository(uow.session)

    async def overview(self, access: WorkspaceAccess) -> schemas.BudgetsRead:
        workspace_id = access.workspace_id
        now = utcnow()
        budgets = tuple(await self.repo.budgets(workspace_id))
        spent = await self.repo.spent(workspace_id, month_of(now))
        total, by_campaign = await self.repo.reserved(workspace_id, now)
        rules = {b.campaign_id: rule_of(b) for b in budgets}

        def state(scope: uuid.UUID | None, reserved: Decimal) -> schemas.BudgetStatusRead:
            return _status(scope, BudgetState(rules.get(scope), spent.get(scope, ZERO), reserved))

        return schemas.BudgetsRead(
            workspace_id=workspace_id,
            period=period_label(month_of(now)),
            etag=budgets_etag(budgets),
            workspace=state(None, total),
            campaigns=[
                state(b.campaign_id, by_campaign.get(b.campaign_id, ZERO))
                for b in budgets
                if b.campaign_id is not None
            ],
        )

    async def replace(
        self, access: WorkspaceAccess, body: schemas.BudgetsUpdate, if_match: str | None
    ) -> schemas.BudgetsRead:
        """Make the workspace's budgets exactly ``body``. Locks the workspace's period row
        first, like every reservation: a budget never changes under a running check.
        ``If-Match`` is optional; when sent, a stale one answers 412."""
        workspace_id = access.workspace_id
        now = utcnow()
        await self.repo.lock_periods(workspace_id, None, month_of(now))
        current = {b.campaign_id: b for b in await self.repo.budgets(workspace_id)}
        if if_match is not None and if_match.strip():
            etag = budgets_etag(tuple(current.values()))
            tags = [t.strip().removeprefix("W/") for t in if_match.split(",")]
            if "*" not in tags and etag not in tags:
                raise PreconditionFailed(
                    "The budgets changed since you read them. Reload and retry.",
                    current_etag=etag,
                )
        await self._check_campaigns(access, body)
        wanted: dict[uuid.UUID | None, BudgetRule] = {}
        if body.workspace is not None:
            wanted[None] = _rule(None, body.workspace)
        for item in body.campaigns:
            wanted[item.campaign_id] = _rule(item.campaign_id, item)
        for scope, budget in current.items():
            if scope not in wanted:
                await self._remove(budget)
        for scope, rule in wanted.items():
            await self._set(workspace_id, current.get(scope), rule, now)
        return await self.overview(access)

    async def _check_campaigns(self, access: WorkspaceAccess, body: schemas.BudgetsUpdate) -> None:
        errors = [
            {
                "loc": ["body", "campaigns", index, "campaign_id"],
                "msg": "No such campaign in this workspace.",
                "type": "not_found",
            }
            for index, item in enumerate(body.campaigns)
            if await campaign_facts(self.uow.session, access.workspace_id, item.campaign_id) is None
        ]
        if errors:
            raise Unprocessable(
                "A budget names a campaign this workspace does not have.", errors=errors
            )

    async def _remove(self, budget: Budget) -> None:
        self.uow.record(
            BudgetChanged(
                workspace_id=budget.workspace_id,
                subject_id=budget.id,
                campaign_id=budget.campaign_id,
                removed=True,
                changes=budget_changes(rule_of(budget), None),
            )
        )
        await self.repo.delete_budget(budget)

    async def _set(
        self, workspace_id: uuid.UUID, budget: Budget | None, rule: BudgetRule, now: datetime
    ) -> None:
        before = rule_of(budget) if budget is not None else None
        changes = budget_changes(before, rule)
        if not changes:
            return
        if budget is None:
            budget = Budget(workspace_id=workspace_id, campaign_id=rule.campaign_id)
            self.repo.add_budget(budget)
        budget.monthly_limit_usd = rule.monthly_limit
        budget.soft_threshold_percent = rule.soft_threshold_percent
        budget.hard_limit = rule.hard_limit
        await self.uow.session.flush()
        self.uow.record(
            BudgetChanged(
                workspace_id=workspace_id,
                subject_id=budget.id,
                campaign_id=rule.campaign_id,
                changes=changes,
            )
        )
        # A lower limit or threshold may put this month's spend over the threshold now.
        periods = await self.repo.lock_periods(workspace_id, rule.campaign_id, month_of(now))
        locked = periods[1] if rule.campaign_id is not None else periods[0]
        if locked is not None:
            await notify_thresholds(
                self.uow, workspace_id, {rule.campaign_id: budget}, [locked], now
            )


# --- usage reports --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UsageQuery:
    group_by: schemas.GroupBy = "day"
    start: date | None = None
    end: date | None = None
    campaign_id: uuid.UUID | None = None


def _totals(rows: list[UsageGroupRow]) -> schemas.UsageTotals:
    return schemas.UsageTotals(
        calls=sum(r.calls for r in rows),
        cache_hits=sum(r.cache_hits for r in rows),
        unpriced_calls=sum(r.unpriced_calls for r in rows),
        input_tokens=sum(r.input_tokens for r in rows),
        output_tokens=sum(r.output_tokens for r in rows),
        cached_tokens=sum(r.cached_tokens for r in rows),
        cost=tidy(sum((r.cost for r in rows), ZERO)),
    )


def _group(row: UsageGroupRow, group_by: schemas.GroupBy) -> schemas.UsageGroup:
    return schemas.UsageGroup(
        key=None if row.key is None else str(row.key),
        provider=row.detail if group_by == "model" else None,
        actor_type=row.detail if group_by == "user" else None,
        **_totals([row]).model_dump(),
    )


def _every_day(rows: list[UsageGroupRow], start: date, end: date) -> list[UsageGroupRow]:
    """One row per day of the range, zero where nothing was used (charts need no gaps)."""
    by_day = {r.key: r for r in rows}
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [by_day.get(d) or UsageGroupRow(d, None, 0, 0, 0, 0, 0, 0, ZERO) for d in days]


class UsageService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.repo = FinOpsRepository(uow.session)

    async def report(self, access: WorkspaceAccess, query: UsageQuery) -> schemas.UsageReport:
        today = utcnow().date()
        start = query.start or today.replace(day=1)
        end = query.end or max(today, start)
        if not (EARLIEST <= start <= LATEST and EARLIEST <= end <= LATEST):
            raise Unprocessable(f"Dates must lie between {EARLIEST} and {LATEST}.")
        if end < start:
            raise Unprocessable("`to` must not be before `from`.")
        if (end - start).days + 1 > MAX_REPORT_DAYS:
            raise Unprocessable(f"A report covers at most {MAX_REPORT_DAYS} days.")
        rows = await self.repo.aggregate(
            access.workspace_id,
            datetime.combine(start, time.min, tzinfo=UTC),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC),
            query.group_by,
            query.campaign_id,
        )
        if query.group_by == "day":
            rows = _every_day(rows, start, end)
        else:
            rows.sort(key=lambda r: (-r.cost, -r.calls, str(r.key)))
        return schemas.UsageReport.model_validate(
            {
                "workspace_id": access.workspace_id,
                "group_by": query.group_by,
                "from": start,
                "to": end,
                "campaign_id": query.campaign_id,
                "totals": _totals(rows),
                "groups": [_group(r, query.group_by) for r in rows],
            }
        )
