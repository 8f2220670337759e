"""Metering model calls: reserve before, settle (ledger row) after, release on failure.

Protocol, per call::

    reservation = await reserve(sessionmaker, call, estimate)  # 402 BudgetExceeded, or go
    try:
        result = await gateway.run(...)
    except Exception:
        await release(sessionmaker, reservation)                 # nothing was spent
        raise
    await settle(sessionmaker, reservation, result.usage, latency_ms=result.latency_ms)

Each step is its own short transaction, committed here, on purpose (the one exception to
"services never commit"): a reservation must be visible to concurrent callers while the
model runs, and a ledger row records money already spent, whatever becomes of the caller's
own transaction. Every step that admits or spends locks the workspace's budget-period row
first (then the campaign's), so budget checks and spend updates of a workspace run one at a
time; that is what keeps concurrent calls within the limit. A call that spends nothing (free,
cached or of unknown price) is ledgered with a plain INSERT and no lock. A reservation nobody
settles or releases (a crashed worker) stops counting after ``budget_reservation_seconds``.
Prices and those seconds come from ``Settings`` (``settings`` None: ``get_settings()``).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.finops.domain import (
    ZERO,
    BudgetExceeded,
    BudgetRule,
    BudgetThresholdReached,
    Price,
    PriceSource,
    Task,
    TokenCounts,
    month_of,
    period_label,
    tidy,
)
from brandflow.contexts.finops.orm import Budget, BudgetPeriod, BudgetReservation, UsageRecord
from brandflow.contexts.finops.pricing import price_of, price_table
from brandflow.contexts.finops.repository import FinOpsRepository
from brandflow.kernel.context import Actor
from brandflow.kernel.db import new_id, utcnow
from brandflow.kernel.uow import UnitOfWork
from brandflow.settings import Settings, get_settings

T = TypeVar("T")
Sessions = async_sessionmaker[AsyncSession]


@dataclass(frozen=True, slots=True)
class CallContext:
    """Who and what a metered call is for; every ledger row carries it."""

    workspace_id: uuid.UUID
    task: Task
    provider: str
    model: str
    actor: Actor = field(default_factory=Actor.system)
    campaign_id: uuid.UUID | None = None
    content_id: uuid.UUID | None = None
    request_id: str | None = None
    trace_id: str | None = None
    # The endpoint's URL: lets genai-prices tell OpenRouter, Azure, ... apart.
    base_url: str | None = None

    def __post_init__(self) -> None:
        Task(self.task)  # refuses anything else
        if not 0 < len(self.provider) <= 50 or not 0 < len(self.model) <= 200:
            raise ValueError("provider (1-50) and model (1-200 characters) are required")


@dataclass(frozen=True, slots=True)
class Reservation:
    """A call admitted by the budgets; ``estimate`` None: its price is unknown."""

    id: uuid.UUID
    call: CallContext
    estimate: Decimal | None
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Metered:
    """The ledger row of one call."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    cost: Decimal | None
    price_source: PriceSource
    price_ref: str | None
    usage: TokenCounts
    cache_hit: bool
    created_at: datetime

    @property
    def price_unknown(self) -> bool:
        return self.cost is None


def _metered(row: UsageRecord) -> Metered:
    return Metered(
        id=row.id,
        workspace_id=row.workspace_id,
        cost=row.cost_usd,
        price_source=PriceSource(row.price_source),
        price_ref=row.price_ref,
        usage=TokenCounts(
            row.input_tokens, row.output_tokens, row.cache_read_tokens, row.cache_write_tokens
        ),
        cache_hit=row.cache_hit,
        created_at=row.created_at,
    )


def _rules(budgets: list[Budget] | tuple[Budget, ...]) -> dict[uuid.UUID | None, Budget]:
    return {b.campaign_id: b for b in budgets}


def rule_of(budget: Budget) -> BudgetRule:
    return BudgetRule(
        campaign_id=budget.campaign_id,
        monthly_limit=budget.monthly_limit_usd,
        soft_threshold_percent=budget.soft_threshold_percent,
        hard_limit=budget.hard_limit,
    )


async def notify_thresholds(
    uow: UnitOfWork,
    workspace_id: uuid.UUID,
    budgets: dict[uuid.UUID | None, Budget],
    periods: list[BudgetPeriod],
    now: datetime,
) -> None:
    """Record the soft-threshold event of each locked period whose budget it just reached;
    ``soft_notified_at`` makes it once per budget and month."""
    for period in periods:
        budget = budgets.get(period.campaign_id)
        if budget is None or period.soft_notified_at is not None:
            continue
        rule = rule_of(budget)
        if not rule.soft_reached(period.spent_usd):
            continue
        period.soft_notified_at = now
        uow.record(
            BudgetThresholdReached(
                workspace_id=workspace_id,
                subject_id=budget.id,
                campaign_id=budget.campaign_id,
                period=period_label(period.period),
                monthly_limit=tidy(rule.monthly_limit),
                soft_threshold_percent=rule.soft_threshold_percent,
                spent=tidy(period.spent_usd),
                changes={"spent": [None, str(tidy(period.spent_usd))]},
            )
        )
    await uow.session.flush()


class Meter:
    """The metering steps inside one unit of work (the caller commits)."""

    def __init__(self, uow: UnitOfWork, settings: Settings | None = None) -> None:
        self.uow = uow
        self.settings = settings or get_settings()
        self.prices = price_table(self.settings)
        self.repo = FinOpsRepository(uow.session)

    async def reserve(
        self, call: CallContext, estimate: Decimal | None, *, hold: timedelta | None = None
    ) -> Reservation:
        """Admit the call against the workspace's and the campaign's budgets, or raise
        ``BudgetExceeded`` (402). ``estimate``: what the call may cost at most (see
        ``estimate_cost``); 0 for free calls; None when its price is unknown."""
        if estimate is not None and estimate < ZERO:
            raise ValueError("estimate must not be negative")
        now = utcnow()
        period = month_of(now)
        workspace_period, campaign_period = await self.repo.lock_periods(
            call.workspace_id, call.campaign_id, period
        )
        await self.repo.purge_expired_reservations(call.workspace_id, now)
        budgets = _rules(tuple(await self.repo.budgets_for(call.workspace_id, call.campaign_id)))
        reserved_total, reserved_by_campaign = await self.repo.reserved(call.workspace_id, now)
        checks: list[tuple[Budget | None, BudgetPeriod | None, Decimal]] = [
            (budgets.get(None), workspace_period, reserved_total)
        ]
        if call.campaign_id is not None:
            reserved = reserved_by_campaign.get(call.campaign_id, ZERO)
            checks.append((budgets.get(call.campaign_id), campaign_period, reserved))
        for budget, locked, reserved in checks:
            if budget is None or locked is None:
                continue
            rule = rule_of(budget)
            if not rule.admits(locked.spent_usd, reserved, estimate):
                raise BudgetExceeded(
                    rule,
                    period=period,
                    spent=locked.spent_usd,
                    reserved=reserved,
                    estimate=estimate,
                )
        if hold is None:
            hold = timedelta(seconds=self.settings.budget_reservation_seconds)
        expires_at = now + hold
        row = BudgetReservation(
            workspace_id=call.workspace_id,
            campaign_id=call.campaign_id,
            estimate_usd=estimate or ZERO,
            task=call.task,
            provider=call.provider,
            model=call.model,
            created_at=now,
            expires_at=expires_at,
        )
        self.repo.add_reservation(row)
        await self.uow.session.flush()
        return Reservation(row.id, call, estimate, expires_at)

    async def settle(
        self,
        reservation: Reservation,
        usage: object,
        *,
        latency_ms: float,
        provider: str | None = None,
        model: str | None = None,
    ) -> Metered:
        """Ledger the call (with the provider and model that answered, when a fallback did)
        and end its reservation. Settling twice writes one row."""
        call = reservation.call
        if provider is not None or model is not None:
            call = CallContext(
                **{
                    **_fields(call),
                    "provider": provider or call.provider,
                    "model": model or call.model,
                }
            )
        await self.repo.lock_periods(call.workspace_id, call.campaign_id, month_of(utcnow()))
        await self.repo.take_reservation(call.workspace_id, reservation.id)
        return await self._ledger(call, usage, latency_ms, False, reservation.id, utcnow())

    async def release(self, reservation: Reservation) -> None:
        """The call failed before anything was spent: drop its reservation."""
        await self.repo.take_reservation(reservation.call.workspace_id, reservation.id)

    async def record(
        self,
        call: CallContext,
        usage: object,
        *,
        latency_ms: float,
        cache_hit: bool = False,
        at: datetime | None = None,
    ) -> Metered:
        """Ledger a call made without a reservation (an embedding, a cache hit); ``at``: when
        it was made, for a row written later (default now)."""
        return await self._ledger(call, usage, latency_ms, cache_hit, None, at or utcnow())

    async def record_many(self, calls: Sequence[LedgerEntry]) -> int:
        """Ledger several calls made without reservations: those that spend nothing in one
        INSERT, without a lock; the others as ``record`` does, in workspace then campaign
        order, the order every writer locks in (two writers never deadlock)."""
        free: list[dict[str, Any]] = []
        for entry in sorted(calls, key=_lock_order):
            price = self._price(entry.call, entry.usage, False, entry.at)
            if _spends(price):
                await self._ledger(entry.call, entry.usage, entry.latency_ms, False, None, entry.at)
            else:
                free.append(
                    _values(entry.call, entry.usage, price, entry.latency_ms, False, None, entry.at)
                )
        await self.repo.insert_usage_rows(free)
        return len(calls)

    def _price(
        self, call: CallContext, tokens: TokenCounts, cache_hit: bool, at: datetime
    ) -> Price:
        if cache_hit:
            return Price(ZERO, PriceSource.CACHE, "exact-response cache")
        return price_of(
            call.provider, call.model, tokens, table=self.prices, base_url=call.base_url, at=at
        )

    async def _ledger(
        self,
        call: CallContext,
        usage: object,
        latency_ms: float,
        cache_hit: bool,
        reservation_id: uuid.UUID | None,
        at: datetime,
    ) -> Metered:
        tokens = TokenCounts.of(usage)
        price = self._price(call, tokens, cache_hit, at)
        # Only a call that spends moves a budget. A free, cached or unpriced one is a plain
        # INSERT that takes no lock, so metering every search query serializes nothing.
        spends = _spends(price)
        periods = (
            await self.repo.lock_periods(call.workspace_id, call.campaign_id, month_of(at))
            if spends
            else ()
        )
        row = await self.repo.insert_usage(
            _values(call, tokens, price, latency_ms, cache_hit, reservation_id, at)
        )
        if row is None:  # this reservation was settled before: that row stands
            assert reservation_id is not None
            existing = await self.repo.usage_of_reservation(call.workspace_id, reservation_id)
            assert existing is not None
            return _metered(existing)
        if spends:
            locked = [p for p in periods if p is not None]
            for period in locked:
                await self.repo.add_spend(period, price.cost or ZERO)
            budgets = _rules(
                tuple(await self.repo.budgets_for(call.workspace_id, call.campaign_id))
            )
            await notify_thresholds(self.uow, call.workspace_id, budgets, locked, at)
        return _metered(row)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A call to ledger later (``record_many``): who and what, its usage, when it was made."""

    call: CallContext
    usage: TokenCounts
    latency_ms: float
    at: datetime


def _lock_order(entry: LedgerEntry) -> tuple[bytes, bytes]:
    campaign = entry.call.campaign_id
    return entry.call.workspace_id.bytes, campaign.bytes if campaign is not None else b""


def _spends(price: Price) -> bool:
    return price.cost is not None and price.cost > ZERO


def _values(
    call: CallContext,
    tokens: TokenCounts,
    price: Price,
    latency_ms: float,
    cache_hit: bool,
    reservation_id: uuid.UUID | None,
    at: datetime,
) -> dict[str, Any]:
    """The ``usage_records`` row of one call."""
    return {
        "id": new_id(),
        "workspace_id": call.workspace_id,
        "campaign_id": call.campaign_id,
        "content_id": call.content_id,
        "actor_type": call.actor.type[:20],
        "actor_id": call.actor.id[:64],
        "task": str(call.task),
        "provider": call.provider,
        "model": call.model,
        **tokens.as_dict(),
        "cost_usd": price.cost,
        "price_source": str(price.source),
        "price_ref": price.ref[:200] if price.ref else None,
        "latency_ms": max(0, round(latency_ms)),
        "cache_hit": cache_hit,
        "reservation_id": reservation_id,
        "request_id": call.request_id[:100] if call.request_id else None,
        "trace_id": call.trace_id[:32] if call.trace_id else None,
        "created_at": at,
    }


def _fields(call: CallContext) -> dict[str, Any]:
    return {name: getattr(call, name) for name in CallContext.__dataclass_fields__}


async def _committed(
    sessionmaker: Sessions, settings: Settings | None, step: Callable[[Meter], Awaitable[T]]
) -> T:
    async with sessionmaker() as session:
        uow = UnitOfWork(session)
        try:
            result = await step(Meter(uow, settings))
        except BaseException:
            await uow.rollback()
            raise
        await uow.commit()
        return result


async def reserve(
    sessionmaker: Sessions,
    call: CallContext,
    estimate: Decimal | None,
    *,
    hold: timedelta | None = None,
    settings: Settings | None = None,
) -> Reservation:
    """Reserve ``estimate`` for the call, committed, or raise ``BudgetExceeded`` (402)."""
    return await _committed(sessionmaker, settings, lambda m: m.reserve(call, estimate, hold=hold))


async def settle(
    sessionmaker: Sessions,
    reservation: Reservation,
    usage: object,
    *,
    latency_ms: float,
    provider: str | None = None,
    model: str | None = None,
    settings: Settings | None = None,
) -> Metered:
    """Write the call's ledger row and end its reservation, committed."""
    return await _committed(
        sessionmaker,
        settings,
        lambda m: m.settle(
            reservation, usage, latency_ms=latency_ms, provider=provider, model=model
        ),
    )


async def release(
    sessionmaker: Sessions, reservation: Reservation, *, settings: Settings | None = None
) -> None:
    """End a reservation whose call spent nothing (it failed before the provider answered)."""
    await _committed(sessionmaker, settings, lambda m: m.release(reservation))


async def record(
    sessionmaker: Sessions,
    call: CallContext,
    usage: object,
    *,
    latency_ms: float,
    cache_hit: bool = False,
    settings: Settings | None = None,
) -> Metered:
    """Ledger a call made without a reservation (embeddings, cache hits), committed."""
    return await _committed(
        sessionmaker,
        settings,
        lambda m: m.record(call, usage, latency_ms=latency_ms, cache_hit=cache_hit),
    )
