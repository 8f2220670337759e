"""Leases on running keys (a crashed request does not block its key) and the expiry purge."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from brandflow.bootstrap import Container
from brandflow.kernel.db import utcnow
from brandflow.kernel.idempotency import (
    IdempotencyRecord,
    Lease,
    _Store,
    caller_scope,
    purge_expired,
    purge_periodically,
    scope_hash,
)
from tests.conftest import login
from tests.idempotency.test_idempotency import BRIEF, PROBLEMS, campaigns_url, names

BODY = json.dumps(BRIEF).encode()


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, "strategist@northwind.example")


async def running_record(
    container: Container, headers: dict[str, str], url: str, key: str, *, lease: timedelta
) -> uuid.UUID:
    """The row a first attempt leaves behind when its process dies mid-request."""
    caller = caller_scope(
        [(b"authorization", headers["Authorization"].encode())],
        None,
        container.settings.secret_key.get_secret_value(),
    )
    now = utcnow()
    record = IdempotencyRecord(
        scope_hash=scope_hash(caller, "POST", url),
        key=key,
        request_hash=hashlib.sha256(BODY).hexdigest(),
        method="POST",
        path=url,
        created_at=now - timedelta(minutes=5),
        expires_at=now + timedelta(hours=24),
        locked_until=now + lease,
    )
    async with container.sessionmaker() as session, session.begin():
        session.add(record)
    return record.id


async def post(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], key: str, body: bytes = BODY
) -> httpx.Response:
    return await client.post(
        url,
        content=body,
        headers={**headers, "Idempotency-Key": key, "Content-Type": "application/json"},
    )


async def test_a_lapsed_lease_is_taken_over_and_the_retry_runs_once(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    url = campaigns_url(demo["acme-running"])
    record_id = await running_record(container, manager, url, "crashed", lease=timedelta(0))
    async with container.sessionmaker() as session, session.begin():  # lease in the past
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == record_id)
            .values(locked_until=func.now() - timedelta(seconds=1))
        )

    retried = await post(app_client, url, manager, "crashed")
    assert retried.status_code == 201, retried.text
    assert "Idempotent-Replayed" not in retried.headers
    replayed = await post(app_client, url, manager, "crashed")
    assert replayed.status_code == 201
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json()["id"] == retried.json()["id"]
    assert (await names(app_client, url, manager)).count(BRIEF["name"]) == 1
    async with container.sessionmaker() as session:
        record = await session.get(IdempotencyRecord, record_id)
        assert record is not None
        assert (record.status_code, record.attempt, record.locked_until) == (201, 2, None)


async def test_within_the_lease_a_retry_is_still_in_progress(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    url = campaigns_url(demo["acme-running"])
    await running_record(container, manager, url, "running", lease=timedelta(minutes=5))

    response = await post(app_client, url, manager, "running")
    assert response.status_code == 409
    assert response.json()["type"] == PROBLEMS + "idempotent-request-in-progress"
    assert BRIEF["name"] not in await names(app_client, url, manager)


async def test_a_lapsed_lease_is_not_taken_over_with_another_body(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    url = campaigns_url(demo["acme-running"])
    await running_record(container, manager, url, "crashed", lease=-timedelta(minutes=1))

    other = json.dumps({**BRIEF, "name": "Another"}).encode()
    response = await post(app_client, url, manager, "crashed", other)
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEMS + "idempotency-key-reused"
    assert "Another" not in await names(app_client, url, manager)


async def test_concurrent_retries_of_a_lapsed_lease_create_once(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    url = campaigns_url(demo["acme-running"])
    await running_record(container, manager, url, "crashed", lease=-timedelta(minutes=1))

    responses = await asyncio.gather(*(post(app_client, url, manager, "crashed") for _ in range(4)))
    originals = [
        r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    ]
    assert len(originals) == 1, [r.status_code for r in responses]
    assert all(r.status_code in (201, 409) for r in responses)
    assert (await names(app_client, url, manager)).count(BRIEF["name"]) == 1


async def test_a_holder_that_lost_its_lease_can_neither_renew_nor_complete(
    container: Container,
) -> None:
    store = _Store(container.sessionmaker)
    ttl = timedelta(hours=1)
    first = await store.claim("scope", "k", "hash", "POST", "/x", ttl)
    assert isinstance(first, Lease)
    assert await store.renew(first)
    async with container.sessionmaker() as session, session.begin():
        await session.execute(
            update(IdempotencyRecord).values(locked_until=utcnow() - timedelta(seconds=1))
        )

    second = await store.claim("scope", "k", "hash", "POST", "/x", ttl)
    assert second == Lease(first.record_id, 2)
    assert not await store.renew(first)
    await store.complete(first, 201, [], b"late")
    await store.release(first)
    async with container.sessionmaker() as session:
        record = await session.get(IdempotencyRecord, first.record_id)
        assert record is not None
        assert (record.status_code, record.attempt) == (None, 2)

    await store.complete(second, 201, [], b"mine")
    assert not await store.renew(second)
    async with container.sessionmaker() as session:
        record = await session.get(IdempotencyRecord, first.record_id)
        assert record is not None
        assert (record.status_code, record.response_body, record.locked_until) == (
            201,
            b"mine",
            None,
        )


async def add_records(container: Container, *, expired: int, fresh: int) -> set[str]:
    now = utcnow()
    records = [
        IdempotencyRecord(
            scope_hash="scope",
            key=f"{'old' if i < expired else 'new'}-{i}",
            request_hash="hash",
            method="POST",
            path="/x",
            status_code=201,
            created_at=now - timedelta(days=2),
            expires_at=now - timedelta(seconds=1) if i < expired else now + timedelta(hours=1),
        )
        for i in range(expired + fresh)
    ]
    async with container.sessionmaker() as session, session.begin():
        session.add_all(records)
    return {r.key for r in records[expired:]}


async def keys(container: Container) -> set[str]:
    async with container.sessionmaker() as session:
        return set(await session.scalars(select(IdempotencyRecord.key)))


async def test_purge_deletes_only_expired_records_in_batches(container: Container) -> None:
    fresh = await add_records(container, expired=7, fresh=3)

    assert await purge_expired(container.sessionmaker, batch_size=3) == 7
    assert await keys(container) == fresh
    assert await purge_expired(container.sessionmaker, batch_size=3) == 0


async def test_the_purge_loop_runs_on_its_own(container: Container) -> None:
    fresh = await add_records(container, expired=2, fresh=1)
    task = asyncio.create_task(purge_periodically(container.sessionmaker, interval=0.01))
    try:
        for _ in range(600):  # the bound only stops a broken run from hanging forever
            if await keys(container) == fresh:
                break
            await asyncio.sleep(0.05)
        assert await keys(container) == fresh
        assert not task.done()
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_serve_and_worker_schedule_the_purge(container: Container) -> None:
    container.run_relay = True
    await container.start_background()
    try:
        scheduled = {getattr(t.get_coro(), "__qualname__", "") for t in container._tasks}
        assert "purge_periodically" in scheduled
    finally:
        await container.stop_background()
