"""Metering off the response path: free calls take no budget lock, ``meter_soon`` rows wait
in memory until flushed (by the container's loop, on stop, or by hand), and the expired
answers of the response cache are purged on a timer."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from genai_prices.data_snapshot import get_snapshot
from sqlalchemy import select, update

from brandflow.bootstrap import Container
from brandflow.contexts.finops.orm import BudgetPeriod, CachedResponse, UsageRecord
from brandflow.contexts.finops.public import (
    CallContext,
    PendingUsage,
    Task,
    TokenCounts,
    cache_put,
    flush_pending_usage,
    meter_soon,
    purge_cache_periodically,
    record,
)
from brandflow.kernel.db import create_engine, create_sessionmaker, utcnow
from tests.finops.support import SETTINGS, call, campaigns_of, count

MILLION = Decimal(1_000_000)
LOCAL_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# probe-1 at $1 per million tokens: 100,000 tokens in, 0 out = $0.10.
TEN_CENTS = TokenCounts(100_000, 0)


def free_call(workspace_id: uuid.UUID, task: Task) -> CallContext:
    """A call of the local embedder: free."""
    return call(workspace_id, task=task, provider="local", model=LOCAL_MODEL)


async def ledger(container: Container, workspace_id: uuid.UUID) -> list[UsageRecord]:
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(UsageRecord)
            .where(UsageRecord.workspace_id == workspace_id)
            .order_by(UsageRecord.created_at, UsageRecord.input_tokens)
        )
        return list(rows)


async def spent(container: Container, workspace_id: uuid.UUID) -> Decimal | None:
    async with container.sessionmaker() as session:
        return await session.scalar(
            select(BudgetPeriod.spent_usd).where(
                BudgetPeriod.workspace_id == workspace_id, BudgetPeriod.campaign_id.is_(None)
            )
        )


# --- no lock for calls that spend nothing ----------------------------------------------


async def test_a_free_call_is_ledgered_while_the_budget_row_is_locked_and_a_paid_one_waits(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    paid = call(workspace)
    await record(container.sessionmaker, paid, TEN_CENTS, latency_ms=1, settings=SETTINGS)
    async with container.sessionmaker() as holder:
        # Another transaction holds the workspace's budget-period row, as a long settle would.
        await holder.execute(
            select(BudgetPeriod).where(BudgetPeriod.workspace_id == workspace).with_for_update()
        )
        free = free_call(workspace, Task.EMBED)
        await asyncio.wait_for(
            record(container.sessionmaker, free, TokenCounts(42), latency_ms=1, settings=SETTINGS),
            timeout=10,
        )
        waiting = asyncio.create_task(
            record(container.sessionmaker, paid, TEN_CENTS, latency_ms=1, settings=SETTINGS)
        )
        await asyncio.sleep(0.5)
        assert not waiting.done()  # the paid call queues behind the lock
        await holder.rollback()
    await asyncio.wait_for(waiting, timeout=10)
    rows = await ledger(container, workspace)
    assert sorted((r.task, r.cost_usd) for r in rows) == [
        ("embed", Decimal(0)),
        ("generate", Decimal("0.1")),
        ("generate", Decimal("0.1")),
    ]
    assert await spent(container, workspace) == Decimal("0.2")


async def test_calls_that_spend_nothing_leave_the_budget_rows_alone(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    for context in (
        free_call(workspace, Task.SEARCH),
        call(workspace, provider="openai", model="brandflow-unreleased-model"),  # unpriced
    ):
        await record(
            container.sessionmaker, context, TokenCounts(7), latency_ms=1, settings=SETTINGS
        )
    await record(
        container.sessionmaker,
        call(workspace),
        TEN_CENTS,
        latency_ms=1,
        cache_hit=True,
        settings=SETTINGS,
    )
    assert len(await ledger(container, workspace)) == 3
    assert await count(container, BudgetPeriod) == 0


# --- meter_soon: ledgered after the response ---------------------------------------------


async def test_meter_soon_writes_nothing_until_flushed_then_every_row_with_its_time(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    campaign = (await campaigns_of(container, workspace))[0]
    before = utcnow()
    async with container.sessionmaker() as session:
        for tokens in (3, 5, 8):
            meter_soon(
                session,
                free_call(workspace, Task.SEARCH),
                TokenCounts(tokens),
                latency_ms=4.4,
            )
        # A paid embeddings API: priced by genai-prices, so the budgets count it.
        paid = call(
            workspace,
            campaign_id=campaign,
            task=Task.SEARCH,
            provider="openai",
            model="text-embedding-3-small",
        )
        meter_soon(session, paid, TokenCounts(12_345), latency_ms=30)
        assert not session.in_transaction()  # nothing was sent to the database
    assert await ledger(container, workspace) == []
    await asyncio.sleep(0.05)

    assert await flush_pending_usage(container.sessionmaker) == 4
    rows = await ledger(container, workspace)
    assert [(r.task, r.provider, r.input_tokens, r.latency_ms) for r in rows] == [
        ("search", "local", 3, 4),
        ("search", "local", 5, 4),
        ("search", "local", 8, 4),
        ("search", "openai", 12_345, 30),
    ]
    assert all(before <= r.created_at <= before + timedelta(seconds=0.05) for r in rows)
    _, model = get_snapshot().find_provider_model("text-embedding-3-small", None, "openai", None)
    price = model.get_prices(rows[-1].created_at).input_mtok
    assert isinstance(price, Decimal)
    expected = 12_345 * price / MILLION
    assert (rows[-1].cost_usd, rows[-1].price_source) == (expected, "genai-prices")
    assert [r.cost_usd for r in rows[:3]] == [Decimal(0)] * 3
    assert await spent(container, workspace) == expected
    assert await flush_pending_usage(container.sessionmaker) == 0  # nothing twice


async def test_rows_the_database_refuses_are_dropped_and_the_others_kept(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """A workspace deleted between the call and the flush: its row cannot be kept."""
    workspace = demo["acme-running"]
    async with container.sessionmaker() as session:
        meter_soon(session, free_call(uuid.uuid4(), Task.SEARCH), TokenCounts(1), latency_ms=1)
        meter_soon(session, free_call(workspace, Task.SEARCH), TokenCounts(2), latency_ms=1)
    assert await flush_pending_usage(container.sessionmaker) == 1
    assert [r.input_tokens for r in await ledger(container, workspace)] == [2]
    assert await flush_pending_usage(container.sessionmaker) == 0  # not retried forever


async def test_an_unreachable_database_keeps_the_rows_for_the_next_flush(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    pending = PendingUsage(SETTINGS)
    for tokens in (1, 2):
        pending.add(free_call(workspace, Task.EMBED), TokenCounts(tokens), latency_ms=1)
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none", pool_size=1)
    try:
        with pytest.raises(Exception, match=r"(?i)connect"):
            await pending.flush(create_sessionmaker(engine))
    finally:
        await engine.dispose()
    assert len(pending) == 2
    assert await pending.flush(container.sessionmaker) == 2
    assert [r.input_tokens for r in await ledger(container, workspace)] == [1, 2]


def test_pending_rows_are_bounded_and_the_oldest_go_first() -> None:
    pending = PendingUsage(SETTINGS, max_pending=3)
    workspace = uuid.uuid4()
    for tokens in range(1, 6):
        pending.add(free_call(workspace, Task.SEARCH), TokenCounts(tokens), latency_ms=1)
    assert len(pending) == 3
    assert [e.usage.input_tokens for e in pending._entries] == [3, 4, 5]


async def test_meter_soon_refuses_a_session_that_cannot_flush(container: Container) -> None:
    bare = create_sessionmaker(container.engine)  # not the container's: no buffer
    async with bare() as session:
        with pytest.raises(RuntimeError, match="PendingUsage"):
            meter_soon(session, free_call(uuid.uuid4(), Task.SEARCH), TokenCounts(1), latency_ms=1)


async def test_the_container_flushes_in_the_background_and_on_stop(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    await container.start_background()
    try:
        async with container.sessionmaker() as session:
            meter_soon(session, free_call(workspace, Task.SEARCH), TokenCounts(1), latency_ms=1)
        for _ in range(50):  # the loop writes it within about a second
            if await ledger(container, workspace):
                break
            await asyncio.sleep(0.1)
        assert [r.input_tokens for r in await ledger(container, workspace)] == [1]
        async with container.sessionmaker() as session:
            meter_soon(session, free_call(workspace, Task.SEARCH), TokenCounts(2), latency_ms=1)
    finally:
        await container.stop_background()  # flushes what is left
    assert [r.input_tokens for r in await ledger(container, workspace)] == [1, 2]


# --- the response cache's purge --------------------------------------------------------


async def test_expired_cache_entries_are_purged_on_a_timer(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    for key in ("old", "fresh"):
        await cache_put(
            container.sessionmaker,
            workspace,
            key,
            provider="test",
            model="probe-1",
            response={"text": key},
            usage=TEN_CENTS,
            settings=SETTINGS,
        )
    async with container.sessionmaker() as session:
        await session.execute(
            update(CachedResponse)
            .where(CachedResponse.key == "old")
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    purger = asyncio.create_task(purge_cache_periodically(container.sessionmaker, interval=0.05))
    try:
        for _ in range(100):
            if await count(container, CachedResponse) == 1:
                break
            await asyncio.sleep(0.05)
    finally:
        purger.cancel()
    async with container.sessionmaker() as session:
        keys = list(await session.scalars(select(CachedResponse.key)))
    assert keys == ["fresh"]
