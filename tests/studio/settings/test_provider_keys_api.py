"""Organization provider keys over the API: who may manage them, what is stored, and that the
key itself never comes back out (responses, events, audit, logs, the database column)."""

from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from brandflow.bootstrap import Container
from brandflow.contexts.audit.orm import AuditEvent
from brandflow.contexts.studio.settings.orm import ProviderCredential
from tests.ops.conftest import CapturedLogs
from tests.studio.settings.support import (
    ANTHROPIC_KEY,
    OPENAI_KEY,
    People,
    create_key,
    keys_url,
    outbox,
    save_settings,
)


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def _raw_rows(container: Container) -> list[tuple[bytes, str]]:
    """Each key row's ciphertext, and the whole row as PostgreSQL prints it."""
    async with container.sessionmaker() as session:
        rows = await session.execute(
            text("SELECT secret_ciphertext, provider_credentials::text FROM provider_credentials")
        )
        return [(bytes(r[0]), str(r[1])) for r in rows]


async def test_owner_stores_a_key_that_never_comes_back_out(
    app_client: httpx.AsyncClient,
    container: Container,
    people: People,
    captured_logs: CapturedLogs,
) -> None:
    org = people.northwind
    responses: list[httpx.Response] = []
    created = await app_client.post(
        keys_url(org),
        json={
            "name": "OpenAI production",
            "provider": "openai",
            "base_url": "https://llm.example.com/v1",
            "api_key": f"  {OPENAI_KEY}\n",
        },
        headers=people.owner,
    )
    responses.append(created)
    assert created.status_code == 201, created.text
    key = created.json()
    assert key["name"] == "OpenAI production"
    assert key["provider"] == "openai"
    assert key["base_url"] == "https://llm.example.com/v1"
    assert key["key_hint"] == OPENAI_KEY[-4:]
    assert key["organization_id"] == str(org)
    assert key["rotated_at"]
    assert key["created_at"]
    assert "api_key" not in key

    listed = await app_client.get(keys_url(org), headers=people.owner)
    responses.append(listed)
    assert listed.status_code == 200, listed.text
    assert [k["id"] for k in listed.json()] == [key["id"]]

    rotated = await app_client.put(
        keys_url(org, key["id"]),
        json={
            "name": "OpenAI prod",
            "base_url": "https://llm.example.com/v1",
            "api_key": ANTHROPIC_KEY,
        },
        headers=people.admin,
    )
    responses.append(rotated)
    assert rotated.status_code == 200, rotated.text
    responses.append(await app_client.get(keys_url(org), headers=people.admin))
    await container.relay.drain()

    secrets = (OPENAI_KEY, ANTHROPIC_KEY)
    for response in responses:
        for secret in secrets:
            assert secret not in response.text
            assert secret[:12] not in response.text
    for ciphertext, row in await _raw_rows(container):
        for secret in secrets:
            assert secret.encode() not in ciphertext
            assert secret not in row
    envelopes = await outbox(container)
    assert [e["type"] for e in envelopes] == [
        "studio.provider_key_created",
        "studio.provider_key_updated",
    ]
    assert all(e["organization_id"] == str(org) and e["workspace_id"] is None for e in envelopes)
    assert envelopes[1]["payload"]["secret_rotated"] is True
    async with container.sessionmaker() as session:
        audit = (await session.scalars(select(AuditEvent))).all()
    audited = [a for a in audit if a.action.startswith("studio.provider_key")]
    assert len(audited) == 2
    assert {a.organization_id for a in audited} == {org}
    recorded = json.dumps(envelopes) + json.dumps([a.changes for a in audit])
    for secret in secrets:
        assert secret not in recorded
        assert secret[-8:] not in recorded
    for secret in secrets:
        assert secret not in captured_logs.text


async def test_rotation_renaming_and_no_op_updates(
    app_client: httpx.AsyncClient, container: Container, people: People
) -> None:
    org = people.northwind
    key = await create_key(app_client, org, people.owner)
    url = keys_url(org, key["id"])
    before = (await _raw_rows(container))[0][0]

    renamed = await app_client.put(
        url, json={"name": "Renamed", "base_url": key["base_url"]}, headers=people.owner
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["rotated_at"] == key["rotated_at"]
    assert renamed.json()["key_hint"] == key["key_hint"]
    assert (await _raw_rows(container))[0][0] == before  # the key itself is untouched

    same = await app_client.put(
        url, json={"name": "Renamed", "base_url": key["base_url"]}, headers=people.owner
    )
    assert same.status_code == 200
    assert len(await outbox(container)) == 2  # created, renamed: the repeat records nothing

    short = await app_client.put(
        url, json={"name": "Renamed", "api_key": "ollama"}, headers=people.owner
    )
    assert short.status_code == 200, short.text
    assert short.json()["key_hint"] is None  # too short for a hint that hides enough
    assert short.json()["base_url"] is None  # a PUT replaces: left out means removed
    assert _when(short.json()["rotated_at"]) > _when(key["rotated_at"])
    assert (await _raw_rows(container))[0][0] != before
    updated = (await outbox(container))[-1]["payload"]
    assert updated["secret_rotated"] is True
    assert set(updated["changes"]) == {"base_url", "rotated_at"}


async def test_only_owners_and_admins_of_that_organization(
    app_client: httpx.AsyncClient, container: Container, people: People
) -> None:
    org = people.northwind
    key = await create_key(app_client, org, people.admin)
    body = {"name": "x", "provider": "openai", "api_key": OPENAI_KEY}
    update = {"name": "x"}

    async def each_call(headers: dict[str, str]) -> list[httpx.Response]:
        return [
            await app_client.get(keys_url(org), headers=headers),
            await app_client.post(keys_url(org), json=body, headers=headers),
            await app_client.put(keys_url(org, key["id"]), json=update, headers=headers),
            await app_client.delete(keys_url(org, key["id"]), headers=headers),
        ]

    # Organization members who are not admins: refused, though they manage workspaces.
    for headers in (people.manager, people.editor):
        assert {r.status_code for r in await each_call(headers)} == {403}
    # Not in the organization at all: it does not exist for them.
    for headers in (people.client, people.stranger):
        answers = await each_call(headers)
        assert {r.status_code for r in answers} == {404}
        assert all(_leaks_nothing(r, key) for r in answers)
        assert all(r.headers["content-type"] == "application/problem+json" for r in answers)
    # API keys belong to one workspace: never organization settings.
    api_key = await app_client.post(
        f"/api/v1/workspaces/{(await _acme(app_client, people))}/api-keys",
        json={"name": "all", "permissions": ["ai_settings:manage", "content:read"]},
        headers=people.owner,
    )
    assert api_key.status_code == 201, api_key.text
    bearer = {"Authorization": f"Bearer {api_key.json()['secret']}"}
    assert {r.status_code for r in await each_call(bearer)} == {403}
    assert {r.status_code for r in await each_call({})} == {401}
    # Nothing changed.
    listed = await app_client.get(keys_url(org), headers=people.owner)
    assert [(k["id"], k["name"]) for k in listed.json()] == [(key["id"], key["name"])]


def _leaks_nothing(response: httpx.Response, key: dict[str, Any]) -> bool:
    body = response.json()
    body.pop("instance")  # the caller's own request path
    return key["id"] not in json.dumps(body) and key["name"] not in response.text


async def _acme(client: httpx.AsyncClient, people: People) -> str:
    workspaces = (await client.get("/api/v1/workspaces", headers=people.owner)).json()
    return str(next(w["id"] for w in workspaces if w["slug"] == "acme-running"))


async def test_another_organizations_keys_are_not_found(
    app_client: httpx.AsyncClient, people: People
) -> None:
    ours = await create_key(app_client, people.northwind, people.owner)
    theirs = await create_key(app_client, people.initech, people.stranger, name="Initech key")
    # Their key through our organization's path, and ours through theirs.
    for org, key_id, headers in (
        (people.northwind, theirs["id"], people.owner),
        (people.initech, ours["id"], people.stranger),
    ):
        put = await app_client.put(keys_url(org, key_id), json={"name": "mine"}, headers=headers)
        delete = await app_client.delete(keys_url(org, key_id), headers=headers)
        assert (put.status_code, delete.status_code) == (404, 404)
    assert [
        k["name"]
        for k in (await app_client.get(keys_url(people.initech), headers=people.stranger)).json()
    ] == ["Initech key"]
    unknown = await app_client.get(keys_url(uuid.uuid4()), headers=people.owner)
    assert unknown.status_code == 404
    not_a_uuid = await app_client.get(keys_url("northwind"), headers=people.owner)  # type: ignore[arg-type]
    assert not_a_uuid.status_code == 422


def _error_locs(response: httpx.Response) -> list[list[Any]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [e["loc"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"provider": "cohere"}, ["body", "provider"]),
        ({"provider": "offline"}, ["body", "provider"]),
        ({"provider": ["openai"]}, ["body", "provider"]),
        ({"provider": None}, ["body", "provider"]),
        ({"base_url": "ftp://llm.example.com"}, ["body", "base_url"]),
        ({"base_url": "llm.example.com/v1"}, ["body", "base_url"]),
        ({"base_url": "https://"}, ["body", "base_url"]),
        ({"base_url": "https://user:pw@llm.example.com"}, ["body", "base_url"]),
        ({"base_url": "https://llm.example.com:99999"}, ["body", "base_url"]),
        ({"base_url": "https://llm.example.com/#x"}, ["body", "base_url"]),
        ({"base_url": "https://llm.example.com/ v1"}, ["body", "base_url"]),
        ({"base_url": "https://e.com/" + "a" * 2048}, ["body", "base_url"]),
        ({"base_url": 42}, ["body", "base_url"]),
        ({"name": ""}, ["body", "name"]),
        ({"name": "   "}, ["body", "name"]),
        ({"name": "n" * 101}, ["body", "name"]),
        ({"name": "line\nbreak"}, ["body", "name"]),
        ({"name": "zero\u200bwidth"}, ["body", "name"]),
        ({"name": 123}, ["body", "name"]),
        ({"api_key": ""}, ["body", "api_key"]),
        ({"api_key": "sk with spaces"}, ["body", "api_key"]),
        ({"api_key": "sk-clé-ünïcode-0123456789"}, ["body", "api_key"]),
        ({"api_key": "k" * 4097}, ["body", "api_key"]),
        ({"api_key": 12345678901234567}, ["body", "api_key"]),
        ({"api_key": None}, ["body", "api_key"]),
        ({"extra": "field"}, ["body", "extra"]),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_never_the_key(
    app_client: httpx.AsyncClient,
    northwind: uuid.UUID,
    owner: dict[str, str],
    change: dict[str, Any],
    loc: list[Any],
) -> None:
    body = {"name": "Probe", "provider": "openai", "api_key": OPENAI_KEY, **change}
    response = await app_client.post(keys_url(northwind), json=body, headers=owner)
    assert loc in _error_locs(response)
    assert OPENAI_KEY not in response.text
    if isinstance(change.get("api_key"), str) and len(change["api_key"]) > 3:
        assert change["api_key"] not in response.text
    listed = await app_client.get(keys_url(northwind), headers=owner)
    assert listed.json() == []


async def test_aliases_unicode_names_and_bodies_too_large(
    app_client: httpx.AsyncClient, people: People
) -> None:
    org = people.northwind
    decomposed = unicodedata.normalize("NFD", "  Clé Gémini — 東京  ")
    created = await create_key(
        app_client, org, people.owner, name=decomposed, provider=" Gemini ", base_url=None
    )
    assert created["name"] == unicodedata.normalize("NFC", "Clé Gémini — 東京")
    assert created["provider"] == "google"
    azure = await create_key(app_client, org, people.owner, name="Azure", provider="azure-openai")
    assert azure["provider"] == "openai"
    huge = await app_client.post(
        keys_url(org),
        content=json.dumps({"name": "x", "provider": "openai", "api_key": "k" * 2_000_000}),
        headers={**people.owner, "Content-Type": "application/json"},
    )
    assert huge.status_code == 413, huge.text


async def test_names_are_unique_within_an_organization(
    app_client: httpx.AsyncClient, people: People
) -> None:
    first = await create_key(app_client, people.northwind, people.owner, name="Main")
    again = await app_client.post(
        keys_url(people.northwind),
        json={"name": " Main ", "provider": "anthropic", "api_key": ANTHROPIC_KEY},
        headers=people.owner,
    )
    assert again.status_code == 409, again.text
    other = await create_key(app_client, people.northwind, people.owner, name="Other")
    rename = await app_client.put(
        keys_url(people.northwind, other["id"]), json={"name": "Main"}, headers=people.owner
    )
    assert rename.status_code == 409, rename.text
    # Another organization may use the same name.
    await create_key(app_client, people.initech, people.stranger, name="Main")
    # The provider is fixed at creation: a key is only ever sent to its own provider.
    switch = await app_client.put(
        keys_url(people.northwind, first["id"]),
        json={"name": "Main", "provider": "anthropic"},
        headers=people.owner,
    )
    assert ["body", "provider"] in _error_locs(switch)


async def test_a_key_in_use_cannot_be_deleted(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    people: People,
) -> None:
    org, acme = people.northwind, demo["acme-running"]
    key = await create_key(app_client, org, people.owner)
    route = {"provider": "openai", "model": "gpt-4o-mini", "credential_id": key["id"]}
    saved = await save_settings(
        app_client,
        acme,
        people.manager,
        {"near_limit": {"threshold_percent": 90, "routes": [route]}},
    )
    assert saved.status_code == 200, saved.text

    refused = await app_client.delete(keys_url(org, key["id"]), headers=people.owner)
    assert refused.status_code == 409, refused.text
    assert refused.json()["workspace_ids"] == [str(acme)]

    moved = await save_settings(app_client, acme, people.manager, {"routing": {"check": [route]}})
    assert moved.status_code == 200, moved.text
    assert (
        await app_client.delete(keys_url(org, key["id"]), headers=people.owner)
    ).status_code == 409

    cleared = await save_settings(app_client, acme, people.manager, {})
    assert cleared.status_code == 200, cleared.text
    deleted = await app_client.delete(keys_url(org, key["id"]), headers=people.owner)
    assert deleted.status_code == 204, deleted.text
    again = await app_client.delete(keys_url(org, key["id"]), headers=people.owner)
    assert again.status_code == 404
    async with container.sessionmaker() as session:
        assert (await session.scalars(select(ProviderCredential))).all() == []
    last = (await outbox(container, "studio.provider_key"))[-1]
    assert last["type"] == "studio.provider_key_deleted"
    assert last["payload"]["key_name"] == "OpenAI production"
