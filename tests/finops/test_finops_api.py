"""The finops API: budgets (read, replace, status) and usage reports, with their permissions."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from brandflow.bootstrap import Container
from brandflow.contexts.finops.public import Task, TokenCounts, record, reserve
from brandflow.kernel.context import Actor
from brandflow.kernel.db import utcnow
from tests.conftest import login
from tests.finops.support import SETTINGS, WRITER, call, campaigns_of, events

MANAGER = "strategist@northwind.example"
EDITOR = "writer@northwind.example"
CLIENT = "client@acme.example"
REVIEWER_ACTOR = Actor("user", "00000000-0000-7000-8000-000000000002")


def budgets_url(workspace: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace}/budgets"


def usage_url(workspace: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace}/usage"


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, MANAGER)


async def put_budgets(
    client: httpx.AsyncClient,
    workspace: uuid.UUID,
    body: dict[str, Any],
    headers: dict[str, str],
    if_match: str | None = None,
) -> httpx.Response:
    sent = {**headers, **({"If-Match": if_match} if if_match else {})}
    return await client.put(budgets_url(workspace), json=body, headers=sent)


# --- budgets --------------------------------------------------------------------------


async def test_budgets_start_empty_and_are_replaced_as_a_whole(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    spring, summer = (await campaigns_of(container, acme))[:2]
    empty = await app_client.get(budgets_url(acme), headers=manager)
    assert empty.status_code == 200, empty.text
    body = empty.json()
    assert body["workspace"]["monthly_limit"] is None
    assert body["workspace"]["spent"] == "0.00"
    assert body["campaigns"] == []
    assert body["currency"] == "USD"
    assert empty.headers["ETag"] == body["etag"]

    campaign_budgets: list[dict[str, Any]] = [
        {"campaign_id": str(spring), "monthly_limit": 120.5, "hard_limit": False},
        {"campaign_id": str(summer), "monthly_limit": "80.00"},
    ]
    wanted = {
        "workspace": {"monthly_limit": "500", "soft_threshold_percent": 75},
        "campaigns": campaign_budgets,
    }
    saved = await put_budgets(app_client, acme, wanted, manager, if_match=body["etag"])
    assert saved.status_code == 200, saved.text
    read = saved.json()
    assert read["workspace"]["monthly_limit"] == "500.00"
    assert read["workspace"]["soft_threshold_percent"] == 75
    assert read["workspace"]["hard_limit"] is True
    by_campaign = {c["campaign_id"]: c for c in read["campaigns"]}
    assert by_campaign[str(spring)]["monthly_limit"] == "120.50"
    assert by_campaign[str(spring)]["hard_limit"] is False
    assert by_campaign[str(summer)]["soft_threshold_percent"] == 80  # the default
    assert saved.headers["ETag"] == read["etag"] != body["etag"]
    changed = await events(container, "finops.budget_changed", acme)
    assert len(changed) == 3
    whole = next(e for e in changed if e["campaign_id"] is None)
    assert whole["changes"]["monthly_limit"] == [None, "500.00"]

    # The same budgets again change nothing and record nothing.
    same = await put_budgets(app_client, acme, wanted, manager)
    assert same.json()["etag"] == read["etag"]
    assert len(await events(container, "finops.budget_changed", acme)) == 3
    # Left out means removed.
    fewer = await put_budgets(app_client, acme, {"campaigns": campaign_budgets[:1]}, manager)
    assert fewer.status_code == 200, fewer.text
    assert fewer.json()["workspace"]["monthly_limit"] is None
    assert [c["campaign_id"] for c in fewer.json()["campaigns"]] == [str(spring)]
    removed = (await events(container, "finops.budget_changed", acme))[3:]
    assert {e["removed"] for e in removed} == {True}
    assert len(removed) == 2


async def test_a_stale_if_match_is_refused(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    acme = demo["acme-running"]
    etag = (await app_client.get(budgets_url(acme), headers=manager)).json()["etag"]
    first = await put_budgets(
        app_client, acme, {"workspace": {"monthly_limit": "10"}}, manager, etag
    )
    assert first.status_code == 200, first.text
    second = await put_budgets(
        app_client, acme, {"workspace": {"monthly_limit": "20"}}, manager, etag
    )
    assert second.status_code == 412, second.text
    assert second.json()["current_etag"] == first.json()["etag"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"workspace": {"monthly_limit": "10.001"}}, "monthly_limit"),
        ({"workspace": {"monthly_limit": "-1"}}, "monthly_limit"),
        ({"workspace": {"monthly_limit": "1", "soft_threshold_percent": 0}}, "soft_threshold"),
        ({"workspace": {"monthly_limit": "1", "currency": "EUR"}}, "currency"),
    ],
)
async def test_invalid_budgets_are_refused(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
    body: dict[str, Any],
    where: str,
) -> None:
    response = await put_budgets(app_client, demo["acme-running"], body, manager)
    assert response.status_code == 422, response.text
    assert where in response.text


async def test_a_budget_cannot_name_another_workspaces_campaign_or_one_twice(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    foreign = (await campaigns_of(container, globex))[0]
    own = (await campaigns_of(container, acme))[0]
    response = await put_budgets(
        app_client,
        acme,
        {"campaigns": [{"campaign_id": str(foreign), "monthly_limit": "5"}]},
        manager,
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "campaigns", 0, "campaign_id"]
    twice = [{"campaign_id": str(own), "monthly_limit": "5"}] * 2
    response = await put_budgets(app_client, acme, {"campaigns": twice}, manager)
    assert response.status_code == 422, response.text
    assert "two budgets" in response.text


async def test_status_shows_spend_reservations_and_the_banner_flags(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    campaign = (await campaigns_of(container, acme))[0]
    body = {
        "workspace": {"monthly_limit": "0.50", "soft_threshold_percent": 50},
        "campaigns": [{"campaign_id": str(campaign), "monthly_limit": "0.20"}],
    }
    assert (await put_budgets(app_client, acme, body, manager)).status_code == 200
    # $0.20 spent in the campaign, $0.10 held by a call in flight elsewhere in the workspace.
    for _ in range(2):
        await record(
            container.sessionmaker,
            call(acme, campaign_id=campaign),
            TokenCounts(100_000, 0),
            latency_ms=1,
            settings=SETTINGS,
        )
    await reserve(container.sessionmaker, call(acme), Decimal("0.1"), settings=SETTINGS)

    read = (await app_client.get(budgets_url(acme), headers=manager)).json()
    workspace = read["workspace"]
    assert (workspace["spent"], workspace["reserved"], workspace["remaining"]) == (
        "0.20",
        "0.10",
        "0.20",
    )
    assert workspace["percent_used"] == "40.00"
    assert (workspace["soft_reached"], workspace["hard_blocked"]) == (False, False)
    [spring] = read["campaigns"]
    assert (spring["spent"], spring["reserved"], spring["remaining"]) == ("0.20", "0.00", "0.00")
    assert spring["percent_used"] == "100.00"
    assert (spring["soft_reached"], spring["hard_blocked"]) == (True, True)
    assert read["period"] == utcnow().strftime("%Y-%m")

    # Lowering the workspace's limit puts its spend past the threshold: one event, now.
    lower = {**body, "workspace": {"monthly_limit": "0.30", "soft_threshold_percent": 50}}
    assert (await put_budgets(app_client, acme, lower, manager)).status_code == 200
    reached = await events(container, "finops.budget_threshold_reached", acme)
    assert sorted(str(e["campaign_id"]) for e in reached) == sorted(["None", str(campaign)])


async def test_who_sees_costs_and_who_sets_budgets(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    editor = await login(app_client, EDITOR)
    client = await login(app_client, CLIENT)
    assert (await app_client.get(budgets_url(acme), headers=editor)).status_code == 200
    assert (await app_client.get(usage_url(acme), headers=editor)).status_code == 200
    refused = await put_budgets(app_client, acme, {"workspace": {"monthly_limit": "1"}}, editor)
    assert refused.status_code == 403, refused.text
    assert (await app_client.get(budgets_url(acme), headers=client)).status_code == 403
    assert (await app_client.get(usage_url(acme), headers=client)).status_code == 403


# --- usage reports --------------------------------------------------------------------


async def seed_usage(container: Container, acme: uuid.UUID, campaign: uuid.UUID) -> None:
    """Four calls: $0.10 + $0.01 in the campaign (writer), a free embedding and an unpriced
    call outside it (reviewer); one of the campaign's calls is a cache hit."""
    calls = [
        (call(acme, campaign_id=campaign), TokenCounts(60_000, 40_000, 10_000), False),
        (call(acme, campaign_id=campaign, model="probe-cheap"), TokenCounts(100_000, 0), False),
        (call(acme, campaign_id=campaign), TokenCounts(5_000, 5_000), True),
        (
            call(
                acme,
                provider="local",
                model="all-MiniLM-L6-v2",
                task=Task.EMBED,
                actor=REVIEWER_ACTOR,
            ),
            TokenCounts(2_000, 0),
            False,
        ),
        (
            call(acme, provider="openai", model="brandflow-unreleased", actor=REVIEWER_ACTOR),
            TokenCounts(10, 10),
            False,
        ),
    ]
    for context, usage, hit in calls:
        await record(
            container.sessionmaker, context, usage, latency_ms=1, cache_hit=hit, settings=SETTINGS
        )


async def report(
    client: httpx.AsyncClient, workspace: uuid.UUID, headers: dict[str, str], **params: str
) -> dict[str, Any]:
    response = await client.get(usage_url(workspace), params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_usage_is_reported_by_every_grouping(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    campaign = (await campaigns_of(container, acme))[0]
    await seed_usage(container, acme, campaign)
    today = utcnow().date().isoformat()

    by_day = await report(app_client, acme, manager, group_by="day", **{"from": today, "to": today})
    assert by_day["totals"] == {
        "calls": 5,
        "cache_hits": 1,
        "unpriced_calls": 1,
        "input_tokens": 167_010,
        "output_tokens": 45_010,
        "cached_tokens": 10_000,
        "cost": "0.11",
    }
    assert [(g["key"], g["cost"]) for g in by_day["groups"]] == [(today, "0.11")]
    assert (by_day["from"], by_day["to"], by_day["currency"]) == (today, today, "USD")

    by_model = await report(app_client, acme, manager, group_by="model")
    assert [(g["provider"], g["key"], g["calls"], g["cost"]) for g in by_model["groups"]] == [
        ("test", "probe-1", 2, "0.10"),
        ("test", "probe-cheap", 1, "0.01"),
        ("local", "all-MiniLM-L6-v2", 1, "0.00"),
        ("openai", "brandflow-unreleased", 1, "0.00"),
    ]
    assert by_model["groups"][3]["unpriced_calls"] == 1

    by_campaign = await report(app_client, acme, manager, group_by="campaign")
    assert [(g["key"], g["calls"], g["cost"]) for g in by_campaign["groups"]] == [
        (str(campaign), 3, "0.11"),
        (None, 2, "0.00"),
    ]
    by_user = await report(app_client, acme, manager, group_by="user")
    assert [(g["actor_type"], g["key"], g["calls"]) for g in by_user["groups"]] == [
        ("user", WRITER.id, 3),
        ("user", REVIEWER_ACTOR.id, 2),
    ]
    by_task = await report(app_client, acme, manager, group_by="task")
    assert [(g["key"], g["calls"]) for g in by_task["groups"]] == [("generate", 4), ("embed", 1)]
    only = await report(app_client, acme, manager, group_by="task", campaign_id=str(campaign))
    assert only["totals"]["calls"] == 3
    assert only["campaign_id"] == str(campaign)


async def test_days_without_usage_read_zero_and_the_range_is_bounded(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    await seed_usage(container, acme, (await campaigns_of(container, acme))[0])
    today = utcnow().date()
    start = today - timedelta(days=6)
    week = await report(
        app_client, acme, manager, **{"from": start.isoformat(), "to": today.isoformat()}
    )
    assert [g["key"] for g in week["groups"]] == [
        (start + timedelta(days=n)).isoformat() for n in range(7)
    ]
    assert [g["calls"] for g in week["groups"]] == [0, 0, 0, 0, 0, 0, 5]
    earlier = await report(
        app_client, acme, manager, **{"from": start.isoformat(), "to": start.isoformat()}
    )
    assert earlier["totals"]["calls"] == 0
    for params in (
        {"from": today.isoformat(), "to": start.isoformat()},
        {"from": (today - timedelta(days=400)).isoformat(), "to": today.isoformat()},
        {"from": "1999-12-31", "to": "2000-01-01"},
        {"group_by": "hour"},
        {"from": "9999-12-31"},
    ):
        response = await app_client.get(usage_url(acme), params=params, headers=manager)
        assert response.status_code == 422, (params, response.text)


async def test_another_workspace_never_sees_this_usage(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    campaign = (await campaigns_of(container, acme))[0]
    await seed_usage(container, acme, campaign)
    await reserve(container.sessionmaker, call(acme), Decimal("0.5"), settings=SETTINGS)
    theirs = await report(app_client, globex, manager, group_by="campaign")
    assert theirs["totals"]["calls"] == 0
    assert theirs["groups"] == []
    # Filtering Globex's report by an Acme campaign finds nothing either.
    probe = await report(app_client, globex, manager, campaign_id=str(campaign))
    assert probe["totals"]["calls"] == 0
    status = (await app_client.get(budgets_url(globex), headers=manager)).json()
    assert (status["workspace"]["spent"], status["workspace"]["reserved"]) == ("0.00", "0.00")
    # A Globex-only member reaching Acme's report: 404, as for every foreign workspace.
    outsider = await login(app_client, "client@globex.example")
    response = await app_client.get(usage_url(acme), headers=outsider)
    assert response.status_code == 404, response.text
    assert str(campaign) not in response.text
