"""Idempotency-Key: replays, mismatches, caller scopes, 4xx replays and concurrent retries."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.types import Message

from brandflow.app import create_app
from brandflow.bootstrap import Container
from brandflow.kernel.idempotency import IdempotencyRecord
from tests.conftest import login

BRIEF: dict[str, Any] = {
    "name": "Idempotent Launch",
    "objective": "Launch once, however often the client retries",
    "audience": "Runners",
    "key_messages": ["Only once"],
    "channels": ["email"],
    "budget": {"amount": "100.00", "currency": "EUR"},
}
PROBLEMS = "https://brandflow.dev/problems/"


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, "strategist@northwind.example")


def campaigns_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/campaigns"


async def names(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> list[str]:
    page = await client.get(url, params={"limit": 100}, headers=headers)
    assert page.status_code == 200, page.text
    return [c["name"] for c in page.json()["items"]]


async def test_same_key_same_body_replays_the_first_response(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    headers = {**manager, "Idempotency-Key": "create-launch-1"}
    first = await app_client.post(url, json=BRIEF, headers=headers)
    second = await app_client.post(url, json=BRIEF, headers=headers)

    assert first.status_code == second.status_code == 201, second.text
    assert second.json() == first.json()
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Location"] == first.headers["Location"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert (await names(app_client, url, manager)).count(BRIEF["name"]) == 1


async def test_without_a_key_each_post_creates(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    for _ in range(2):
        assert (await app_client.post(url, json=BRIEF, headers=manager)).status_code == 201
    assert (await names(app_client, url, manager)).count(BRIEF["name"]) == 2


async def test_same_key_with_another_body_is_refused(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    headers = {**manager, "Idempotency-Key": "reused-key"}
    assert (await app_client.post(url, json=BRIEF, headers=headers)).status_code == 201
    other = await app_client.post(url, json={**BRIEF, "name": "Something else"}, headers=headers)

    assert other.status_code == 422
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["type"] == PROBLEMS + "idempotency-key-reused"
    assert "Something else" not in await names(app_client, url, manager)


async def test_keys_are_scoped_to_the_caller(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    writer = await login(app_client, "writer@northwind.example")
    key = {"Idempotency-Key": "shared-key"}
    mine = await app_client.post(url, json=BRIEF, headers={**manager, **key})
    theirs = await app_client.post(url, json=BRIEF, headers={**writer, **key})

    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert mine.json()["id"] != theirs.json()["id"]
    # A different body under the other user's key is not a reuse of mine either.
    other = await app_client.post(
        url, json={**BRIEF, "name": "Writer's own"}, headers={**writer, "Idempotency-Key": "k2"}
    )
    assert other.status_code == 201
    assert (await names(app_client, url, manager)).count(BRIEF["name"]) == 2


async def test_keys_are_scoped_to_the_path(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    headers = {**manager, "Idempotency-Key": "same-key-two-workspaces"}
    acme = await app_client.post(campaigns_url(demo["acme-running"]), json=BRIEF, headers=headers)
    globex = await app_client.post(
        campaigns_url(demo["globex-coffee"]), json=BRIEF, headers=headers
    )
    assert acme.status_code == globex.status_code == 201
    assert acme.json()["workspace_id"] != globex.json()["workspace_id"]


async def test_a_4xx_answer_is_replayed(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    headers = {**manager, "Idempotency-Key": "bad-dates"}
    bad = {**BRIEF, "start_date": "2027-12-31", "end_date": "2027-01-01"}
    first = await app_client.post(url, json=bad, headers=headers)
    second = await app_client.post(url, json=bad, headers=headers)

    assert first.status_code == second.status_code == 422
    assert second.headers["content-type"].startswith("application/problem+json")
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"


async def test_an_authentication_failure_is_not_stored(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    """401 says "not now", not "this is the outcome": the retry with a good token runs."""
    url = campaigns_url(demo["acme-running"])
    key = {"Idempotency-Key": "after-login"}
    refused = await app_client.post(url, json=BRIEF, headers=key)
    assert refused.status_code == 401
    created = await app_client.post(url, json=BRIEF, headers={**manager, **key})
    assert created.status_code == 201
    assert "Idempotent-Replayed" not in created.headers


@pytest.mark.parametrize("key", ["", "has space", "é", "x" * 256, "tab\tin"])
async def test_malformed_keys_are_refused(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str], key: str
) -> None:
    url = campaigns_url(demo["acme-running"])
    headers = {k.encode(): v.encode() for k, v in manager.items()}
    headers[b"Idempotency-Key"] = key.encode()
    response = await app_client.post(url, json=BRIEF, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["type"] == PROBLEMS + "invalid-idempotency-key"
    assert BRIEF["name"] not in await names(app_client, url, manager)


async def test_the_longest_valid_key_is_accepted(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = campaigns_url(demo["acme-running"])
    headers = {**manager, "Idempotency-Key": "~" * 255}
    assert (await app_client.post(url, json=BRIEF, headers=headers)).status_code == 201
    assert (await app_client.post(url, json=BRIEF, headers=headers)).headers[
        "Idempotent-Replayed"
    ] == "true"


async def test_concurrent_retries_never_create_twice(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    url = campaigns_url(demo["acme-running"])
    headers = {**manager, "Idempotency-Key": "racing"}
    responses = await asyncio.gather(
        *(app_client.post(url, json=BRIEF, headers=headers) for _ in range(4))
    )
    statuses = sorted(r.status_code for r in responses)
    originals = [
        r for r in responses if "Idempotent-Replayed" not in r.headers and r.status_code == 201
    ]
    assert len(originals) == 1, statuses
    for r in responses:
        assert r.status_code in (201, 409), r.text
        if r.status_code == 409:
            assert r.json()["type"] == PROBLEMS + "idempotent-request-in-progress"
        else:
            assert r.json()["id"] == originals[0].json()["id"]
    assert (await names(app_client, url, manager)).count(BRIEF["name"]) == 1


async def test_expired_keys_can_be_used_again(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    url = campaigns_url(demo["acme-running"])
    headers = {**manager, "Idempotency-Key": "expiring"}
    assert (await app_client.post(url, json=BRIEF, headers=headers)).status_code == 201
    async with container.sessionmaker() as session, session.begin():
        record = await session.scalar(select(IdempotencyRecord))
        assert record is not None
        record.expires_at = record.created_at
    again = await app_client.post(url, json=BRIEF, headers=headers)
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert (await names(app_client, url, manager)).count(BRIEF["name"]) == 2


async def test_secrets_shown_once_are_never_stored(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    url = f"/api/v1/workspaces/{demo['acme-running']}/api-keys"
    headers = {**manager, "Idempotency-Key": "new-key"}
    body = {"name": "ci", "permissions": ["campaigns:read"]}
    created = await app_client.post(url, json=body, headers=headers)
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]

    retried = await app_client.post(url, json=body, headers=headers)
    assert retried.status_code == 409
    assert retried.json()["type"] == PROBLEMS + "idempotent-response-withheld"
    assert len((await app_client.get(url, headers=manager)).json()) == 1
    async with container.sessionmaker() as session:
        record = await session.scalar(select(IdempotencyRecord))
        assert record is not None
        assert record.status_code == 201
        assert record.response_body is None
        assert secret not in str(record.response_headers)
        assert await session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1


async def test_an_oversized_streamed_body_is_still_a_413(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    limit = container.settings.max_body_bytes

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    response = await app_client.post(
        campaigns_url(demo["acme-running"]),
        content=chunks(),
        headers={**manager, "Idempotency-Key": "huge", "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    async with container.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0


async def test_a_client_that_disconnects_mid_body_does_not_use_up_the_key(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    url = campaigns_url(demo["acme-running"])
    body = json.dumps(BRIEF).encode()
    app = create_app(container.settings, container=container)
    container.attach(app)
    incoming: list[Message] = [
        {"type": "http.request", "body": body[:20], "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": url,
        "raw_path": url.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"authorization", manager["Authorization"].encode()),
            (b"idempotency-key", b"cut-short"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)

    async with container.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    # The retry with the whole body runs as a first request, not as a reused key.
    retry = await app_client.post(
        url, json=BRIEF, headers={**manager, "Idempotency-Key": "cut-short"}
    )
    assert retry.status_code == 201, retry.text
    assert "Idempotent-Replayed" not in retry.headers
