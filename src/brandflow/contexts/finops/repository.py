"""FinOps queries, always inside one workspace."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, delete, func, null, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.finops.domain import ZERO
from brandflow.contexts.finops.orm import (
    Budget,
    BudgetPeriod,
    BudgetReservation,
    CachedResponse,
    UsageRecord,
)
from brandflow.kernel.db import new_id

GroupBy = Literal["day", "model", "campaign", "user", "task"]


@dataclass(frozen=True, slots=True)
class UsageGroupRow:
    key: Any  # date, str, uuid or None, per grouping
    detail: str | None  # the provider (by model) or the actor type (by user)
    calls: int
    cache_hits: int
    unpriced_calls: int
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    cost: Decimal


class FinOpsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- periods: the rows budget checks lock --------------------------------------------

    async def lock_periods(
        self, workspace_id: uuid.UUID, campaign_id: uuid.UUID | None, period: date
    ) -> tuple[BudgetPeriod, BudgetPeriod | None]:
        """The workspace's row of ``period`` then the campaign's, created if missing and
        locked in that order (one order everywhere: no deadlocks) until the transaction ends."""
        scopes: list[uuid.UUID | None] = [None] if campaign_id is None else [None, campaign_id]
        await self.session.execute(
            insert(BudgetPeriod)
            .values(
                [
                    {
                        "id": new_id(),
                        "workspace_id": workspace_id,
                        "campaign_id": c,
                        "period": period,
                    }
                    for c in scopes
                ]
            )
            .on_conflict_do_nothing(constraint="uq_budget_periods_workspace_id_campaign_id_period")
        )
        locked = [await self._lock_period(workspace_id, c, period) for c in scopes]
        return locked[0], (locked[1] if len(locked) > 1 else None)

    async def _lock_period(
        self, workspace_id: uuid.UUID, campaign_id: uuid.UUID | None, period: date
    ) -> BudgetPeriod:
        row = await self.session.scalar(
            select(BudgetPeriod)
            .where(
                BudgetPeriod.workspace_id == workspace_id,
                _is(BudgetPeriod.campaign_id, campaign_id),
                BudgetPeriod.period == period,
            )
            .with_for_update()
            # After waiting for another holder, see its committed totals, not a cached row.
            .execution_options(populate_existing=True)
        )
        if row is None:  # inserted just above or by a committed transaction
            raise RuntimeError("budget period row missing after insert")
        return row

    async def spent(self, workspace_id: uuid.UUID, period: date) -> dict[uuid.UUID | None, Decimal]:
        """Spend of ``period`` per scope (None: the workspace)."""
        rows = await self.session.execute(
            select(BudgetPeriod.campaign_id, BudgetPeriod.spent_usd).where(
                BudgetPeriod.workspace_id == workspace_id, BudgetPeriod.period == period
            )
        )
        return {campaign_id: spent for campaign_id, spent in rows}

    # --- budgets --------------------------------------------------------------------------

    async def budgets(self, workspace_id: uuid.UUID) -> Sequence[Budget]:
        return (
            await self.session.scalars(
                select(Budget)
                .where(Budget.workspace_id == workspace_id)
                .order_by(Budget.campaign_id.asc().nulls_first())
            )
        ).all()

    async def budgets_for(
        self, workspace_id: uuid.UUID, campaign_id: uuid.UUID | None
    ) -> Sequence[Budget]:
        """The workspace's budget and the campaign's, when they exist."""
        scope: ColumnElement[bool] = Budget.campaign_id.is_(None)
        if campaign_id is not None:
            scope = scope | (Budget.campaign_id == campaign_id)
        return (
            await self.session.scalars(
                select(Budget).where(Budget.workspace_id == workspace_id, scope)
            )
        ).all()

    def add_budget(self, budget: Budget) -> None:
        self.session.add(budget)

    async def delete_budget(self, budget: Budget) -> None:
        await self.session.delete(budget)

    # --- reservations ---------------------------------------------------------------------

    async def purge_expired_reservations(self, workspace_id: uuid.UUID, now: datetime) -> int:
        result = await self.session.execute(
            delete(BudgetReservation).where(
                BudgetReservation.workspace_id == workspace_id,
                BudgetReservation.expires_at <= now,
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def reserved(
        self, workspace_id: uuid.UUID, now: datetime
    ) -> tuple[Decimal, dict[uuid.UUID, Decimal]]:
        """Active (unexpired) reservations: the workspace's total and each campaign's."""
        rows = await self.session.execute(
            select(BudgetReservation.campaign_id, func.sum(BudgetReservation.estimate_usd))
            .where(
                BudgetReservation.workspace_id == workspace_id,
                BudgetReservation.expires_at > now,
            )
            .group_by(BudgetReservation.campaign_id)
        )
        total, by_campaign = ZERO, {}
        for campaign_id, amount in rows:
            total += amount
            if campaign_id is not None:
                by_campaign[campaign_id] = amount
        return total, by_campaign

    def add_reservation(self, reservation: BudgetReservation) -> None:
        self.session.add(reservation)

    async def take_reservation(self, workspace_id: uuid.UUID, reservation_id: uuid.UUID) -> bool:
        """Delete the reservation; False when it was gone (settled, released or purged)."""
        result = await self.session.execute(
            delete(BudgetReservation)
            .where(
                BudgetReservation.workspace_id == workspace_id,
                BudgetReservation.id == reservation_id,
            )
            .returning(BudgetReservation.id)
        )
        return result.first() is not None

    # --- the ledger -----------------------------------------------------------------------

    async def insert_usage(self, values: dict[str, Any]) -> UsageRecord | None:
        """Insert a ledger row; None when its reservation was settled already."""
        row = await self.session.scalar(
            insert(UsageRecord)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[UsageRecord.reservation_id])
            .returning(UsageRecord)
        )
        return row

    async def insert_usage_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert ledger rows of calls without a reservation: one bulk statement (psycopg
        pipelines its executemany: one round trip, not one per row)."""
        if rows:
            await self.session.execute(insert(UsageRecord), list(rows))

    async def usage_of_reservation(
        self, workspace_id: uuid.UUID, reservation_id: uuid.UUID
    ) -> UsageRecord | None:
        return await self.session.scalar(
            select(UsageRecord).where(
                UsageRecord.workspace_id == workspace_id,
                UsageRecord.reservation_id == reservation_id,
            )
        )

    async def add_spend(self, period: BudgetPeriod, cost: Decimal) -> None:
        await self.session.execute(
            update(BudgetPeriod)
            .where(BudgetPeriod.id == period.id)
            .values(spent_usd=BudgetPeriod.spent_usd + cost, calls=BudgetPeriod.calls + 1)
        )
        await self.session.refresh(period)

    async def aggregate(
        self,
        workspace_id: uuid.UUID,
        start: datetime,
        end: datetime,
        group_by: GroupBy,
        campaign_id: uuid.UUID | None = None,
    ) -> list[UsageGroupRow]:
        """Totals per group of the rows created in [start, end)."""
        key, detail = _group_columns(group_by)
        u = UsageRecord
        grouping = [key] if detail is None else [key, detail]
        query = (
            select(
                key.label("key"),
                (detail if detail is not None else null()).label("detail"),
                func.count().label("calls"),
                func.count().filter(u.cache_hit).label("cache_hits"),
                func.count().filter(u.cost_usd.is_(None)).label("unpriced"),
                func.coalesce(func.sum(u.input_tokens), 0).label("input_tokens"),
                func.coalesce(func.sum(u.output_tokens), 0).label("output_tokens"),
                func.coalesce(func.sum(u.cache_read_tokens), 0).label("cached_tokens"),
                func.coalesce(func.sum(u.cost_usd), 0).label("cost"),
            )
            .where(u.workspace_id == workspace_id, u.created_at >= start, u.created_at < end)
            .group_by(*grouping)
        )
        if campaign_id is not None:
            query = query.where(u.campaign_id == campaign_id)
        rows = await self.session.execute(query)
        return [
            UsageGroupRow(
                key=r.key,
                detail=r.detail,
                calls=r.calls,
                cache_hits=r.cache_hits,
                unpriced_calls=r.unpriced,
                input_tokens=int(r.input_tokens),
                output_tokens=int(r.output_tokens),
                cached_tokens=int(r.cached_tokens),
                cost=Decimal(r.cost),
            )
            for r in rows
        ]

    # --- the exact-response cache ---------------------------------------------------------

    async def cached(
        self, workspace_id: uuid.UUID, key: str, now: datetime
    ) -> CachedResponse | None:
        return await self.session.scalar(
            select(CachedResponse).where(
                CachedResponse.workspace_id == workspace_id,
                CachedResponse.key == key,
                CachedResponse.expires_at > now,
            )
        )

    async def put_cached(self, values: dict[str, Any]) -> None:
        statement = insert(CachedResponse).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[CachedResponse.workspace_id, CachedResponse.key],
                set_={
                    name: statement.excluded[name]
                    for name in (
                        "provider",
                        "model",
                        "response",
                        "usage",
                        "created_at",
                        "expires_at",
                    )
                },
            )
        )

    async def purge_cache(self, now: datetime) -> int:
        """Every workspace's expired entries (housekeeping, not a tenant read)."""
        result = await self.session.execute(
            delete(CachedResponse).where(CachedResponse.expires_at <= now)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _is(column: Any, value: uuid.UUID | None) -> ColumnElement[bool]:
    result: ColumnElement[bool] = column.is_(None) if value is None else column == value
    return result


def _group_columns(group_by: GroupBy) -> tuple[ColumnElement[Any], ColumnElement[Any] | None]:
    """The grouping key and, for models and users, the column that completes it."""
    u = UsageRecord
    if group_by == "day":
        day: ColumnElement[Any] = func.date(func.timezone("UTC", u.created_at))
        return day, None
    columns: dict[GroupBy, tuple[Any, Any]] = {
        "model": (u.model, u.provider),
        "campaign": (u.campaign_id, None),
        "user": (u.actor_id, u.actor_type),
        "task": (u.task, None),
    }
    return columns[group_by]
