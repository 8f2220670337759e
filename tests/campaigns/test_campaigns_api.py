"""Campaign briefs: CRUD, filters, search, cursor pagination, If-Match, archive."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.conftest import login

BRIEF = {
    "name": "Winter Warm-up",
    "objective": "Sell thermal running gear",
    "audience": "Runners who train through winter",
    "key_messages": ["Stay warm, stay light"],
    "channels": ["email", "x"],
    "start_date": "2027-11-01",
    "end_date": "2027-12-31",
    "budget": {"amount": "1999.99", "currency": "EUR"},
}


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, "strategist@northwind.example")


def campaigns_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/campaigns"


async def test_create_read_and_money_stays_exact(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    created = await app_client.post(url, json=BRIEF, headers=manager)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["budget"] == {"amount": "1999.99", "currency": "EUR"}
    assert body["status"] == "planned"
    assert created.headers["ETag"]
    assert created.headers["Location"].endswith(body["id"])

    fetched = await app_client.get(f"{url}/{body['id']}", headers=manager)
    assert fetched.status_code == 200
    assert fetched.json() == body
    assert fetched.headers["ETag"] == created.headers["ETag"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"budget": {"amount": "-1", "currency": "EUR"}}, "amount"),
        ({"budget": {"amount": "10.001", "currency": "EUR"}}, "amount"),
        ({"budget": {"amount": "10", "currency": "EURO"}}, "currency"),
        ({"channels": ["fax"]}, "channels"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"start_date": "not-a-date"}, "start_date"),
    ],
)
async def test_invalid_briefs_are_refused_with_field_errors(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
    patch: dict[str, object],
    field: str,
) -> None:
    response = await app_client.post(
        campaigns_url(demo["acme-running"]), json={**BRIEF, **patch}, headers=manager
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert any(field in map(str, e["loc"]) for e in problem["errors"]), problem


async def test_end_before_start_is_refused(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    response = await app_client.post(
        campaigns_url(demo["acme-running"]),
        json={**BRIEF, "start_date": "2027-12-31", "end_date": "2027-01-01"},
        headers=manager,
    )
    assert response.status_code == 422
    assert "end date" in response.json()["detail"]


async def test_cursor_pagination_walks_every_campaign_once(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["globex-coffee"])
    for i in range(7):
        r = await app_client.post(url, json={**BRIEF, "name": f"Bulk {i}"}, headers=manager)
        assert r.status_code == 201
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = (await app_client.get(url, params=params, headers=manager)).json()
        seen.extend(c["id"] for c in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 9  # 7 new + 2 demo campaigns
    assert pages == 3


async def test_filters_and_search(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    await app_client.post(url, json={**BRIEF, "name": "100% Wool_Socks"}, headers=manager)

    by_status = (await app_client.get(url, params={"status": "active"}, headers=manager)).json()
    assert [c["name"] for c in by_status["items"]] == ["Spring Trail Launch"]

    by_channel = (
        await app_client.get(url, params={"channel": "blog_post"}, headers=manager)
    ).json()
    assert [c["name"] for c in by_channel["items"]] == ["City Marathon Partnership"]

    search = (await app_client.get(url, params={"q": "marathon"}, headers=manager)).json()
    assert [c["name"] for c in search["items"]] == ["City Marathon Partnership"]

    # LIKE wildcards in the query are literal characters, not patterns.
    literal = (await app_client.get(url, params={"q": "100%"}, headers=manager)).json()
    assert [c["name"] for c in literal["items"]] == ["100% Wool_Socks"]
    assert (await app_client.get(url, params={"q": "%"}, headers=manager)).json()["items"] != []
    underscore = (await app_client.get(url, params={"q": "l_S"}, headers=manager)).json()
    assert [c["name"] for c in underscore["items"]] == ["100% Wool_Socks"]

    bad_cursor = await app_client.get(url, params={"cursor": "not-a-cursor"}, headers=manager)
    assert bad_cursor.status_code == 400


async def test_patch_needs_current_etag(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    created = await app_client.post(url, json=BRIEF, headers=manager)
    item_url = f"{url}/{created.json()['id']}"
    etag = created.headers["ETag"]

    missing = await app_client.patch(item_url, json={"name": "No precondition"}, headers=manager)
    assert missing.status_code == 428

    updated = await app_client.patch(
        item_url,
        json={"name": "Renamed", "status": "active"},
        headers={**manager, "If-Match": etag},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["name"] == "Renamed"
    assert updated.json()["revision"] == 2
    assert updated.headers["ETag"] != etag

    stale = await app_client.patch(
        item_url, json={"name": "Lost update"}, headers={**manager, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == updated.headers["ETag"]
    assert (await app_client.get(item_url, headers=manager)).json()["name"] == "Renamed"


async def test_status_transitions_and_archive(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    created = await app_client.post(url, json=BRIEF, headers=manager)
    item_url = f"{url}/{created.json()['id']}"

    skip = await app_client.patch(
        item_url, json={"status": "completed"}, headers={**manager, "If-Match": "*"}
    )
    assert skip.status_code == 409

    archived = await app_client.post(f"{item_url}/archive", headers=manager)
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    again = await app_client.post(f"{item_url}/archive", headers=manager)
    assert again.json()["revision"] == archived.json()["revision"]

    frozen = await app_client.patch(
        item_url, json={"name": "Too late"}, headers={**manager, "If-Match": "*"}
    )
    assert frozen.status_code == 409


async def test_roles_and_tenants(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    client = await login(app_client, "client@acme.example")
    reviewer = await login(app_client, "reviewer@northwind.example")
    writer = await login(app_client, "writer@northwind.example")

    assert (await app_client.get(campaigns_url(acme), headers=client)).status_code == 200
    assert (await app_client.get(campaigns_url(globex), headers=client)).status_code == 404
    assert (
        await app_client.post(campaigns_url(acme), json=BRIEF, headers=client)
    ).status_code == 403
    assert (
        await app_client.post(campaigns_url(acme), json=BRIEF, headers=reviewer)
    ).status_code == 403
    assert (
        await app_client.post(campaigns_url(acme), json=BRIEF, headers=writer)
    ).status_code == 201

    globex_campaign = (await app_client.get(campaigns_url(globex), headers=writer)).json()["items"][
        0
    ]
    # A Globex campaign id through the Acme path is simply not there.
    crossed = await app_client.get(f"{campaigns_url(acme)}/{globex_campaign['id']}", headers=writer)
    assert crossed.status_code == 404
    assert globex_campaign["name"] not in crossed.text


@pytest.mark.parametrize("status", ["completed", "archived"])
async def test_a_campaign_starts_planned_or_active(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str], status: str
) -> None:
    response = await app_client.post(
        campaigns_url(demo["acme-running"]), json={**BRIEF, "status": status}, headers=manager
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "status"]


async def test_an_equal_amount_written_differently_changes_nothing(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    created = await app_client.post(
        url, json={**BRIEF, "budget": {"amount": "1999.9", "currency": "EUR"}}, headers=manager
    )
    assert created.json()["budget"]["amount"] == "1999.90"
    item_url = f"{url}/{created.json()['id']}"
    same = await app_client.patch(
        item_url,
        json={"budget": {"amount": "1999.900", "currency": "EUR"}},
        headers={**manager, "If-Match": created.headers["ETag"]},
    )
    assert same.status_code == 200, same.text
    assert same.json()["revision"] == 1
    assert same.headers["ETag"] == created.headers["ETag"]
    assert same.json() == (await app_client.get(item_url, headers=manager)).json()
