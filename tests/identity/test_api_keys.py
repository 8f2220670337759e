"""Workspace API keys: shown once, stored hashed, limited to their permissions, revocable."""

from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
from sqlalchemy import select, text

from brandflow.bootstrap import Container
from brandflow.contexts.identity.orm import ApiKey
from tests.conftest import login

BRIEF = {
    "name": "Keyed campaign",
    "objective": "Made by a robot",
    "audience": "Everyone",
    "key_messages": ["Hello"],
    "channels": ["email"],
    "budget": {"amount": "1.00", "currency": "EUR"},
}


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, "strategist@northwind.example")


def keys_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/api-keys"


async def create_key(
    client: httpx.AsyncClient,
    workspace_id: uuid.UUID,
    headers: dict[str, str],
    *perms: str,
    name: str = "reporting",
) -> dict[str, str]:
    response = await client.post(
        keys_url(workspace_id),
        json={"name": name, "permissions": list(perms)},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


async def test_the_secret_is_shown_once_and_stored_only_as_a_hash(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    workspace = demo["acme-running"]
    created = await create_key(app_client, workspace, manager, "campaigns:read")
    secret = created["secret"]
    assert secret.startswith(created["prefix"] + ".")

    listed = await app_client.get(keys_url(workspace), headers=manager)
    assert listed.status_code == 200
    assert [k["id"] for k in listed.json()] == [created["id"]]
    assert "secret" not in listed.json()[0]
    assert secret.split(".", 1)[1] not in listed.text

    async with container.sessionmaker() as session:
        row = await session.scalar(select(ApiKey).where(ApiKey.id == uuid.UUID(created["id"])))
        assert row is not None
        assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
        dump = (await session.execute(text("SELECT api_keys::text FROM api_keys"))).scalar_one()
        assert secret.split(".", 1)[1] not in dump


async def test_a_read_only_key_reads_but_cannot_write_or_leave_its_workspace(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    created = await create_key(app_client, acme, manager, "campaigns:read")
    key = {"Authorization": f"Bearer {created['secret']}"}

    listed = await app_client.get(f"/api/v1/workspaces/{acme}/campaigns", headers=key)
    assert listed.status_code == 200, listed.text
    assert len(listed.json()["items"]) == 2

    create = await app_client.post(f"/api/v1/workspaces/{acme}/campaigns", json=BRIEF, headers=key)
    assert create.status_code == 403
    assert create.headers["content-type"].startswith("application/problem+json")

    other = await app_client.get(f"/api/v1/workspaces/{globex}/campaigns", headers=key)
    assert other.status_code == 404

    assert (await app_client.get(keys_url(acme), headers=key)).status_code == 403
    assert (
        await app_client.get(f"/api/v1/workspaces/{acme}/members", headers=key)
    ).status_code == 403
    assert (await app_client.get("/api/v1/me", headers=key)).status_code == 403
    workspaces = await app_client.get("/api/v1/workspaces", headers=key)
    assert [w["id"] for w in workspaces.json()] == [str(acme)]


async def test_a_write_key_creates(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    acme = demo["acme-running"]
    created = await create_key(app_client, acme, manager, "campaigns:read", "campaigns:write")
    key = {"Authorization": f"Bearer {created['secret']}"}
    response = await app_client.post(
        f"/api/v1/workspaces/{acme}/campaigns", json=BRIEF, headers=key
    )
    assert response.status_code == 201, response.text


async def test_a_wrong_secret_with_a_real_prefix_is_401(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    acme = demo["acme-running"]
    created = await create_key(app_client, acme, manager, "campaigns:read")
    forged = {"Authorization": f"Bearer {created['prefix']}.not-the-secret"}
    response = await app_client.get(f"/api/v1/workspaces/{acme}/campaigns", headers=forged)
    assert response.status_code == 401


async def test_revocation_makes_the_key_401(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    acme = demo["acme-running"]
    created = await create_key(app_client, acme, manager, "campaigns:read")
    key = {"Authorization": f"Bearer {created['secret']}"}
    url = f"/api/v1/workspaces/{acme}/campaigns"
    assert (await app_client.get(url, headers=key)).status_code == 200

    revoked = await app_client.delete(f"{keys_url(acme)}/{created['id']}", headers=manager)
    assert revoked.status_code == 204
    response = await app_client.get(url, headers=key)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    listed = (await app_client.get(keys_url(acme), headers=manager)).json()
    assert listed[0]["revoked_at"] is not None


async def test_last_used_at_is_set_after_use(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    acme = demo["acme-running"]
    created = await create_key(app_client, acme, manager, "campaigns:read")
    assert created["last_used_at"] is None
    key = {"Authorization": f"Bearer {created['secret']}"}
    assert (
        await app_client.get(f"/api/v1/workspaces/{acme}/campaigns", headers=key)
    ).status_code == 200
    listed = (await app_client.get(keys_url(acme), headers=manager)).json()
    assert listed[0]["last_used_at"] is not None


async def test_only_managers_create_keys_and_never_with_management_rights(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    acme = demo["acme-running"]
    writer = await login(app_client, "writer@northwind.example")
    body = {"name": "mine", "permissions": ["campaigns:read"]}
    assert (await app_client.post(keys_url(acme), json=body, headers=writer)).status_code == 403
    client = await login(app_client, "client@acme.example")
    assert (await app_client.post(keys_url(acme), json=body, headers=client)).status_code == 403

    for perms in (["members:manage"], ["api_keys:manage"], ["no:such"]):
        response = await app_client.post(
            keys_url(acme), json={"name": "x", "permissions": perms}, headers=manager
        )
        assert response.status_code == 422, perms
    assert (await app_client.get(keys_url(acme), headers=manager)).json() == []


async def test_keys_of_another_workspace_cannot_be_revoked(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    created = await create_key(app_client, demo["acme-running"], manager, "campaigns:read")
    response = await app_client.delete(
        f"{keys_url(demo['globex-coffee'])}/{created['id']}", headers=manager
    )
    assert response.status_code == 404
