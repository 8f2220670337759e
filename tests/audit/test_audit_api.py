"""The audit log: every change leaves a row managers can read; nobody else, nowhere else."""

from __future__ import annotations

import uuid

import httpx
import pytest

from brandflow.bootstrap import Container
from tests.conftest import login


def audit_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/audit-events"


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, "strategist@northwind.example")


async def _create_and_update(
    client: httpx.AsyncClient, headers: dict[str, str], workspace_id: uuid.UUID
) -> tuple[str, httpx.Response, httpx.Response]:
    url = f"/api/v1/workspaces/{workspace_id}/campaigns"
    created = await client.post(url, json={"name": "Audit me"}, headers=headers)
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    updated = await client.patch(
        f"{url}/{campaign_id}",
        json={"name": "Audited", "objective": "Be seen"},
        headers={**headers, "If-Match": created.headers["ETag"]},
    )
    assert updated.status_code == 200, updated.text
    return campaign_id, created, updated


async def test_managers_see_who_changed_what_with_the_request_id(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    workspace = demo["acme-running"]
    campaign_id, created, updated = await _create_and_update(app_client, manager, workspace)
    await container.relay.drain()

    response = await app_client.get(
        audit_url(workspace), params={"object_id": campaign_id}, headers=manager
    )
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["action"] for i in items] == [
        "campaigns.campaign_updated",
        "campaigns.campaign_created",
    ]  # newest first
    update_row, create_row = items
    assert create_row["request_id"] == created.headers["X-Request-ID"]
    assert update_row["request_id"] == updated.headers["X-Request-ID"]
    assert create_row["object_type"] == "campaign"
    assert create_row["workspace_id"] == str(workspace)
    assert create_row["actor"]["type"] == "user"
    assert update_row["actor"] == create_row["actor"]
    assert update_row["changes"]["name"] == ["Audit me", "Audited"]
    assert update_row["changes"]["objective"] == ["", "Be seen"]
    assert create_row["changes"]["name"] == [None, "Audit me"]


async def test_filters_and_cursor_pagination(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    workspace = demo["acme-running"]
    campaign_id, _created, _ = await _create_and_update(app_client, manager, workspace)
    await container.relay.drain()
    url = audit_url(workspace)

    only_updates = await app_client.get(
        url, params={"action": "campaigns.campaign_updated"}, headers=manager
    )
    assert {i["action"] for i in only_updates.json()["items"]} == {"campaigns.campaign_updated"}

    mine = await app_client.get(url, params={"object_id": campaign_id}, headers=manager)
    actor_id = mine.json()["items"][0]["actor"]["id"]
    by_actor = await app_client.get(
        url, params={"actor_id": actor_id, "object_type": "campaign"}, headers=manager
    )
    assert {i["object_id"] for i in by_actor.json()["items"]} == {campaign_id}

    everything = (await app_client.get(url, params={"limit": 200}, headers=manager)).json()
    assert everything["next_cursor"] is None
    all_ids = [i["id"] for i in everything["items"]]
    assert len(all_ids) >= 3  # the seeded campaigns are audited too

    paged: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await app_client.get(url, params=params, headers=manager)).json()
        paged += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == all_ids
    times = [i["occurred_at"] for i in everything["items"]]
    assert times == sorted(times, reverse=True)

    newest = everything["items"][0]["occurred_at"]
    later = await app_client.get(url, params={"occurred_after": newest}, headers=manager)
    assert [i["id"] for i in later.json()["items"]] == [all_ids[0]]
    earlier = await app_client.get(url, params={"occurred_before": newest}, headers=manager)
    assert all_ids[0] not in [i["id"] for i in earlier.json()["items"]]

    naive = await app_client.get(
        url, params={"occurred_after": "2027-01-01T00:00:00"}, headers=manager
    )
    assert naive.status_code == 422
    bad_cursor = await app_client.get(url, params={"cursor": "nonsense"}, headers=manager)
    assert bad_cursor.status_code == 400


async def test_editors_may_not_read_the_audit_log(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    writer = await login(app_client, "writer@northwind.example")
    response = await app_client.get(audit_url(demo["acme-running"]), headers=writer)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_another_workspaces_events_never_appear(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    globex_campaign, _, _ = await _create_and_update(app_client, manager, globex)
    await container.relay.drain()

    acme_rows = (
        await app_client.get(audit_url(acme), params={"limit": 200}, headers=manager)
    ).json()["items"]
    assert acme_rows, "the seeded acme campaigns should be audited"
    assert {r["workspace_id"] for r in acme_rows} == {str(acme)}
    assert globex_campaign not in {r["object_id"] for r in acme_rows}

    asked_by_id = await app_client.get(
        audit_url(acme), params={"object_id": globex_campaign}, headers=manager
    )
    assert asked_by_id.json()["items"] == []

    client_acme = await login(app_client, "client@acme.example")
    foreign = await app_client.get(audit_url(globex), headers=client_acme)
    assert foreign.status_code in (403, 404)
