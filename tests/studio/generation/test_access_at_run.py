"""A generation job re-checks its requester's access when it runs, not only when it was queued:
whoever lost `ai:generate` in between (left, demoted, deactivated, key revoked) spends and
writes nothing, and the generation says why."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select, update

from brandflow.bootstrap import Container
from brandflow.contexts.finops.orm import UsageRecord
from brandflow.contexts.identity.orm import User
from tests.conftest import login
from tests.identity.test_api_keys import create_key
from tests.studio.generation.conftest import (
    WRITER,
    Item,
    generate,
    generation,
)
from tests.studio.generation.sse import parse

OWNER = "owner@northwind.example"  # organization owner, no workspace membership


async def writer_id(client: httpx.AsyncClient, item: Item, manager: dict[str, str]) -> str:
    response = await client.get(f"/api/v1/workspaces/{item.workspace_id}/members", headers=manager)
    assert response.status_code == 200, response.text
    return next(str(m["user_id"]) for m in response.json() if m["email"] == WRITER)


async def assert_refused_at_run(
    client: httpx.AsyncClient,
    container: Container,
    item: Item,
    generation_id: str,
    manager: dict[str, str],
    who: str,
) -> None:
    """Failed `forbidden`, naming who; no version, no ledger row, an error event saying why."""
    done = await generation(client, item, generation_id, manager)
    assert done["status"] == "failed", done
    assert done["error_code"] == "forbidden"
    assert f"{who} may no longer generate in this workspace" in done["reason"]
    assert done["variants"] == []
    assert done["usage"]["calls"] == 0

    listed = (await client.get(f"{item.url}/versions", headers=manager)).json()["items"]
    assert [v["number"] for v in listed] == [1], "no version was written"
    async with container.sessionmaker() as session:
        spent = await session.scalar(
            select(func.count())
            .select_from(UsageRecord)
            .where(UsageRecord.content_id == uuid.UUID(item.id))
        )
    assert spent == 0, "nothing was metered"

    response = await client.get(f"{item.generations}/{generation_id}/events", headers=manager)
    events = parse(response.text)[0]
    assert [e.kind for e in events if e.kind == "progress"] == [], "no step started"
    assert events[-2].kind == "status"
    assert events[-2].data == {"status": "failed"}
    assert events[-1].kind == "error"
    assert events[-1].data["code"] == "forbidden"
    assert who in events[-1].data["reason"]


@pytest.mark.parametrize("change", ["removed", "demoted"])
async def test_a_writer_who_lost_the_role_before_the_job_ran_spends_and_writes_nothing(
    app_client: httpx.AsyncClient,
    container: Container,
    x_item: Item,
    writer: dict[str, str],
    manager: dict[str, str],
    change: str,
) -> None:
    created = await generate(app_client, x_item, writer, variants=2)
    member = f"/api/v1/workspaces/{x_item.workspace_id}/members/"
    member += await writer_id(app_client, x_item, manager)
    if change == "removed":
        response = await app_client.delete(member, headers=manager)
        assert response.status_code == 204, response.text
    else:
        response = await app_client.patch(member, json={"role": "reviewer"}, headers=manager)
        assert response.status_code == 200, response.text

    await container.relay.drain()

    await assert_refused_at_run(
        app_client, container, x_item, created["id"], manager, "Wendy Writer"
    )


async def test_a_writer_deactivated_before_the_job_ran_spends_and_writes_nothing(
    app_client: httpx.AsyncClient,
    container: Container,
    x_item: Item,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    created = await generate(app_client, x_item, writer)
    # No endpoint deactivates accounts yet: the flag is what sign-in and sessions honour.
    async with container.sessionmaker() as session:
        await session.execute(update(User).where(User.email == WRITER).values(is_active=False))
        await session.commit()

    await container.relay.drain()

    await assert_refused_at_run(
        app_client, container, x_item, created["id"], manager, "Wendy Writer"
    )


async def test_an_api_key_revoked_before_the_job_ran_spends_and_writes_nothing(
    app_client: httpx.AsyncClient,
    container: Container,
    x_item: Item,
    manager: dict[str, str],
) -> None:
    key = await create_key(
        app_client, x_item.workspace_id, manager, "ai:generate", "content:read", name="CMS sync"
    )
    created = await generate(app_client, x_item, {"Authorization": f"Bearer {key['secret']}"})
    revoked = await app_client.delete(
        f"/api/v1/workspaces/{x_item.workspace_id}/api-keys/{key['id']}", headers=manager
    )
    assert revoked.status_code == 204, revoked.text

    await container.relay.drain()

    await assert_refused_at_run(
        app_client, container, x_item, created["id"], manager, "The API key “CMS sync”"
    )


async def test_a_live_api_key_and_an_organization_owner_still_generate(
    app_client: httpx.AsyncClient,
    container: Container,
    x_item: Item,
    manager: dict[str, str],
) -> None:
    """The check resolves what the request did: a key's own grants, and an organization
    owner's manager role in a workspace they are no member of."""
    key = await create_key(
        app_client, x_item.workspace_id, manager, "ai:generate", "content:read", name="CMS sync"
    )
    by_key = await generate(app_client, x_item, {"Authorization": f"Bearer {key['secret']}"})
    by_owner = await generate(app_client, x_item, await login(app_client, OWNER))

    await container.relay.drain()

    for created in (by_key, by_owner):
        done = await generation(app_client, x_item, created["id"], manager)
        assert done["status"] == "succeeded", done
