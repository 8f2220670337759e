"""Reserve, settle, release, record: the ledger and the hard limit on the real database."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI
from genai_prices.data_snapshot import get_snapshot
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from brandflow.bootstrap import Container
from brandflow.contexts.finops.orm import BudgetReservation, UsageRecord
from brandflow.contexts.finops.public import (
    BudgetExceeded,
    BudgetState,
    PriceSource,
    Task,
    TokenCounts,
    budget_states,
    cache_get,
    cache_key,
    cache_put,
    estimate_cost,
    record,
    release,
    reserve,
    settle,
)
from brandflow.kernel.problems import install_problem_handlers
from tests.finops.support import SETTINGS, call, campaigns_of, count, events, set_budget

MILLION = Decimal(1_000_000)
# probe-1 at $1 per million tokens: 100,000 tokens in, 0 out = $0.10.
TEN_CENTS = TokenCounts(100_000, 0)


async def ledger(container: Container, workspace_id: uuid.UUID) -> list[UsageRecord]:
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(UsageRecord)
            .where(UsageRecord.workspace_id == workspace_id)
            .order_by(UsageRecord.created_at)
        )
        return list(rows)


async def test_a_settled_call_is_ledgered_at_exactly_usage_times_price(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    campaign = (await campaigns_of(container, workspace))[0]
    context = call(workspace, campaign_id=campaign, provider="openai", model="gpt-4o")
    estimate = estimate_cost("openai", "gpt-4o", input_tokens=3_000, max_output_tokens=800)
    reservation = await reserve(container.sessionmaker, context, estimate, settings=SETTINGS)
    usage = TokenCounts(2_345, 678, cache_read_tokens=1_024)
    metered = await settle(
        container.sessionmaker, reservation, usage, latency_ms=812.6, settings=SETTINGS
    )

    _, model = get_snapshot().find_provider_model("gpt-4o", None, "openai", None)
    prices = model.get_prices(metered.created_at)
    expected = (
        (2_345 - 1_024) * Decimal(str(prices.input_mtok))
        + 1_024 * Decimal(str(prices.cache_read_mtok))
        + 678 * Decimal(str(prices.output_mtok))
    ) / MILLION
    [row] = await ledger(container, workspace)
    assert row.cost_usd == expected == metered.cost
    assert row.price_source == PriceSource.GENAI_PRICES
    assert (row.input_tokens, row.output_tokens, row.cache_read_tokens) == (2_345, 678, 1_024)
    assert (row.campaign_id, row.task, row.provider, row.model) == (
        campaign,
        "generate",
        "openai",
        "gpt-4o",
    )
    assert (row.actor_type, row.latency_ms, row.cache_hit) == ("user", 813, False)
    assert (row.request_id, row.reservation_id) == ("req-finops", reservation.id)
    # The reservation is gone; the month's spend holds the cost, for the workspace and campaign.
    assert await count(container, BudgetReservation) == 0
    states = await _states(container, workspace, campaign)
    assert [s.spent for s in states] == [expected, expected]


async def _states(
    container: Container, workspace: uuid.UUID, campaign: uuid.UUID | None = None
) -> list[BudgetState]:
    async with container.sessionmaker() as session:
        return list(await budget_states(session, workspace, campaign))


async def test_settling_twice_writes_one_row_and_counts_once(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    reservation = await reserve(
        container.sessionmaker, call(workspace), Decimal("0.1"), settings=SETTINGS
    )
    first = await settle(
        container.sessionmaker, reservation, TEN_CENTS, latency_ms=5, settings=SETTINGS
    )
    again = await settle(
        container.sessionmaker, reservation, TEN_CENTS, latency_ms=5, settings=SETTINGS
    )
    assert again.id == first.id
    assert len(await ledger(container, workspace)) == 1
    [state] = await budget_states_of(container, workspace)
    assert state.spent == Decimal("0.1")


async def budget_states_of(container: Container, workspace: uuid.UUID) -> list[BudgetState]:
    return await _states(container, workspace)


async def test_a_fallback_model_is_ledgered_as_the_model_that_answered(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    reservation = await reserve(
        container.sessionmaker, call(workspace), Decimal(1), settings=SETTINGS
    )
    metered = await settle(
        container.sessionmaker,
        reservation,
        TEN_CENTS,
        latency_ms=1,
        model="probe-cheap",
        settings=SETTINGS,
    )
    assert metered.cost == Decimal("0.01")
    assert [r.model for r in await ledger(container, workspace)] == ["probe-cheap"]


async def test_an_unknown_price_is_ledgered_null_and_flagged(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    context = call(workspace, provider="openai", model="brandflow-unreleased-model")
    metered = await record(
        container.sessionmaker, context, TokenCounts(500, 50), latency_ms=3, settings=SETTINGS
    )
    assert metered.cost is None
    assert metered.price_unknown
    [row] = await ledger(container, workspace)
    assert (row.cost_usd, row.price_source, row.input_tokens) == (None, "unknown", 500)


async def test_free_calls_are_ledgered_with_their_tokens(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    for provider, model, task in (
        ("offline", "offline-composer", Task.GENERATE),
        ("local", "all-MiniLM-L6-v2", Task.EMBED),
    ):
        await record(
            container.sessionmaker,
            call(workspace, provider=provider, model=model, task=task),
            TokenCounts(321, 123 if task is Task.GENERATE else 0),
            latency_ms=2,
            settings=SETTINGS,
        )
    rows = await ledger(container, workspace)
    assert [(r.task, r.cost_usd, r.price_source, r.input_tokens) for r in rows] == [
        ("generate", Decimal(0), "free", 321),
        ("embed", Decimal(0), "free", 321),
    ]


async def test_the_ledger_is_append_only(container: Container, demo: dict[str, uuid.UUID]) -> None:
    workspace = demo["acme-running"]
    await record(
        container.sessionmaker, call(workspace), TEN_CENTS, latency_ms=1, settings=SETTINGS
    )
    async with container.sessionmaker() as session:
        with pytest.raises(DBAPIError, match="immutable"):
            await session.execute(text("UPDATE usage_records SET cost_usd = 0"))


# --- the hard limit -------------------------------------------------------------------


async def test_the_hard_limit_refuses_before_anything_is_spent(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    await set_budget(container, workspace, "0.25")
    first = await reserve(
        container.sessionmaker, call(workspace), Decimal("0.1"), settings=SETTINGS
    )
    await reserve(container.sessionmaker, call(workspace), Decimal("0.1"), settings=SETTINGS)
    with pytest.raises(BudgetExceeded) as refused:
        await reserve(container.sessionmaker, call(workspace), Decimal("0.1"), settings=SETTINGS)
    assert refused.value.status == 402
    assert refused.value.extra["reserved"] == "0.20"
    assert refused.value.extra["scope"] == "workspace"
    # Releasing a reservation frees its share; free calls always pass.
    await release(container.sessionmaker, first)
    await reserve(container.sessionmaker, call(workspace), Decimal("0.05"), settings=SETTINGS)
    await reserve(container.sessionmaker, call(workspace), Decimal(0), settings=SETTINGS)
    assert await count(container, UsageRecord) == 0


async def test_a_campaign_budget_limits_that_campaign_only(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    spring, other = (await campaigns_of(container, workspace))[:2]
    await set_budget(container, workspace, "100.00")
    await set_budget(container, workspace, "0.15", campaign_id=spring)
    reservation = await reserve(
        container.sessionmaker,
        call(workspace, campaign_id=spring),
        Decimal("0.1"),
        settings=SETTINGS,
    )
    await settle(container.sessionmaker, reservation, TEN_CENTS, latency_ms=1, settings=SETTINGS)
    with pytest.raises(BudgetExceeded) as refused:
        await reserve(
            container.sessionmaker,
            call(workspace, campaign_id=spring),
            Decimal("0.1"),
            settings=SETTINGS,
        )
    assert refused.value.extra["scope"] == "campaign"
    assert refused.value.extra["campaign_id"] == str(spring)
    assert refused.value.extra["spent"] == "0.10"
    # Another campaign, and calls with no campaign, still go.
    await reserve(
        container.sessionmaker,
        call(workspace, campaign_id=other),
        Decimal("0.1"),
        settings=SETTINGS,
    )
    await reserve(container.sessionmaker, call(workspace), Decimal("0.1"), settings=SETTINGS)


async def test_a_soft_only_budget_never_refuses(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    await set_budget(container, workspace, "0.01", hard=False)
    await reserve(container.sessionmaker, call(workspace), Decimal(5), settings=SETTINGS)


async def test_an_unknown_price_is_admitted_only_while_budget_is_left(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    await set_budget(container, workspace, "0.10")
    await reserve(container.sessionmaker, call(workspace), None, settings=SETTINGS)
    await record(
        container.sessionmaker, call(workspace), TEN_CENTS, latency_ms=1, settings=SETTINGS
    )
    with pytest.raises(BudgetExceeded):
        await reserve(container.sessionmaker, call(workspace), None, settings=SETTINGS)


async def test_concurrent_calls_never_overspend_the_limit(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """Twenty calls at once, each reserving then settling $0.10, against $0.75: exactly seven
    get through, whatever the interleaving, and the month's spend stays within the limit."""
    workspace = demo["acme-running"]
    campaign = (await campaigns_of(container, workspace))[0]
    await set_budget(container, workspace, "0.75")
    estimate = Decimal("0.1")

    async def one() -> bool:
        context = call(workspace, campaign_id=campaign)
        try:
            reservation = await reserve(
                container.sessionmaker, context, estimate, settings=SETTINGS
            )
        except BudgetExceeded:
            return False
        await asyncio.sleep(0)  # let the others run while this "model call" is in flight
        await settle(
            container.sessionmaker, reservation, TEN_CENTS, latency_ms=1, settings=SETTINGS
        )
        return True

    outcomes = await asyncio.gather(*(one() for _ in range(20)))
    assert outcomes.count(True) == 7
    rows = await ledger(container, workspace)
    spent = sum((r.cost_usd or Decimal(0) for r in rows), Decimal(0))
    assert len(rows) == 7
    assert spent == Decimal("0.7")
    assert spent <= Decimal("0.75")  # within the limit; the bound allows one estimate more
    [state] = await budget_states_of(container, workspace)
    assert state.spent == spent
    assert state.reserved == 0


async def test_concurrent_reservations_alone_respect_the_limit(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """Reservations held (calls still running) count as much as spend does."""
    workspace = demo["acme-running"]
    await set_budget(container, workspace, "1.00")

    async def one() -> bool:
        try:
            await reserve(
                container.sessionmaker, call(workspace), Decimal("0.3"), settings=SETTINGS
            )
        except BudgetExceeded:
            return False
        return True

    outcomes = await asyncio.gather(*(one() for _ in range(12)))
    assert outcomes.count(True) == 3
    assert await count(container, BudgetReservation) == 3


async def test_expired_reservations_are_reclaimed(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """A worker that crashed never settles: its reservation stops counting once expired."""
    workspace = demo["acme-running"]
    await set_budget(container, workspace, "0.15")
    await reserve(
        container.sessionmaker,
        call(workspace),
        Decimal("0.1"),
        hold=timedelta(0),
        settings=SETTINGS,
    )
    kept = await reserve(container.sessionmaker, call(workspace), Decimal("0.1"), settings=SETTINGS)
    assert await count(container, BudgetReservation) == 1  # the expired one was purged
    with pytest.raises(BudgetExceeded):  # the live one still counts
        await reserve(container.sessionmaker, call(workspace), Decimal("0.1"), settings=SETTINGS)
    # A late settlement of the expired call is still ledgered: the money was spent.
    await settle(container.sessionmaker, kept, TEN_CENTS, latency_ms=1, settings=SETTINGS)
    assert len(await ledger(container, workspace)) == 1


async def test_the_402_leaves_the_api_as_a_problem(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """Through our problem handlers, as the studio's routes will answer it."""
    workspace = demo["acme-running"]
    await set_budget(container, workspace, "0.05")
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/generate")
    async def generate() -> dict[str, str]:
        await reserve(container.sessionmaker, call(workspace), Decimal("0.1"), settings=SETTINGS)
        return {"status": "started"}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post("/generate")
    assert response.status_code == 402
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "https://brandflow.dev/problems/budget-exceeded"
    assert problem["title"] == "Budget exceeded"
    assert problem["monthly_limit"] == "0.05"
    assert problem["estimate"] == "0.10"
    assert problem["currency"] == "USD"
    assert await count(container, BudgetReservation) == 0


# --- the soft threshold ---------------------------------------------------------------


async def test_the_soft_threshold_event_is_recorded_once_per_month(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    workspace = demo["acme-running"]
    campaign = (await campaigns_of(container, workspace))[0]
    await set_budget(container, workspace, "1.00", soft=20, hard=False)
    await set_budget(container, workspace, "0.30", campaign_id=campaign, soft=50)
    name = "finops.budget_threshold_reached"
    seen = []
    for _ in range(4):  # $0.10 each: both thresholds are reached by the second call
        await record(
            container.sessionmaker,
            call(workspace, campaign_id=campaign),
            TEN_CENTS,
            latency_ms=1,
            settings=SETTINGS,
        )
        seen.append(len(await events(container, name, workspace)))
    assert seen == [0, 2, 2, 2]
    found = await events(container, name, workspace)
    assert {(e["campaign_id"], e["spent"]) for e in found} == {
        (None, "0.20"),
        (str(campaign), "0.20"),
    }
    assert {e["period"] for e in found} == {found[0]["period"]}
    await container.relay.drain()
    async with container.sessionmaker() as session:
        audited = await session.scalar(
            text("SELECT count(*) FROM audit_events WHERE action = :a AND workspace_id = :w"),
            {"a": name, "w": workspace},
        )
    assert audited == 2


# --- the exact-response cache ---------------------------------------------------------


async def test_a_cached_answer_is_served_free_and_ledgered_as_a_hit(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    key = cache_key("test", "probe-1", [{"role": "user", "content": "Five LinkedIn posts"}])
    assert await cache_get(container.sessionmaker, acme, key, settings=SETTINGS) is None
    await cache_put(
        container.sessionmaker,
        acme,
        key,
        provider="test",
        model="probe-1",
        response={"text": "Run further."},
        usage=TEN_CENTS,
        settings=SETTINGS,
    )
    hit = await cache_get(container.sessionmaker, acme, key, settings=SETTINGS)
    assert hit is not None
    assert hit.response == {"text": "Run further."}
    assert hit.usage == TEN_CENTS
    # Scoped: another workspace never reads it; a TTL of 0 turns the cache off.
    assert await cache_get(container.sessionmaker, globex, key, settings=SETTINGS) is None
    off = SETTINGS.model_copy(update={"llm_cache_ttl_seconds": 0})
    assert await cache_get(container.sessionmaker, acme, key, settings=off) is None

    metered = await record(
        container.sessionmaker,
        call(acme),
        hit.usage,
        latency_ms=1,
        cache_hit=True,
        settings=SETTINGS,
    )
    assert (metered.cost, metered.price_source, metered.cache_hit) == (
        Decimal(0),
        PriceSource.CACHE,
        True,
    )
    [row] = await ledger(container, acme)
    assert (row.cache_hit, row.cost_usd, row.input_tokens) == (True, Decimal(0), 100_000)


async def test_deleting_a_workspace_deletes_its_finops_rows(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    """Erasure of a tenant takes its ledger, budgets, reservations and cache along, even
    though the ledger's campaign reference does not cascade on its own."""
    workspace = demo["acme-running"]
    campaign = (await campaigns_of(container, workspace))[0]
    await set_budget(container, workspace, "5.00", campaign_id=campaign)
    await record(
        container.sessionmaker,
        call(workspace, campaign_id=campaign),
        TEN_CENTS,
        latency_ms=1,
        settings=SETTINGS,
    )
    await reserve(
        container.sessionmaker, call(workspace, campaign_id=campaign), Decimal(1), settings=SETTINGS
    )
    await cache_put(
        container.sessionmaker,
        workspace,
        "k" * 64,
        provider="test",
        model="probe-1",
        response={},
        usage=TEN_CENTS,
        settings=SETTINGS,
    )
    async with container.sessionmaker() as session:
        await session.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": workspace})
        await session.commit()
        for table in (
            "usage_records",
            "budgets",
            "budget_periods",
            "budget_reservations",
            "llm_response_cache",
        ):
            left = await session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            assert left == 0, table
