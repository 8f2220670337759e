"""Failed sign-ins are slowed down per account and per client address, in memory or via Redis."""

from __future__ import annotations

import os
import uuid

import httpx
import pytest
import redis.asyncio as aioredis
from fastapi import FastAPI

from brandflow.app import create_app
from brandflow.bootstrap import Container, build_container
from brandflow.settings import Settings
from tests.conftest import DEMO_PASSWORD, service_unavailable

TOKEN_URL = "/api/v1/auth/token"
ACCOUNT = "writer@northwind.example"


def make_app(container: Container) -> FastAPI:
    app = create_app(container.settings, container=container)
    container.attach(app)
    return app


def client_from(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def fresh_address() -> str:
    """A client address no earlier run has used (Redis counters outlive a test run)."""
    raw = uuid.uuid4().bytes
    return f"10.{raw[0]}.{raw[1]}.{raw[2]}"


async def attempt(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(TOKEN_URL, data={"username": email, "password": password})


async def fail(client: httpx.AsyncClient, email: str, times: int) -> None:
    for _ in range(times):
        response = await attempt(client, email, "wrong-password")
        assert response.status_code == 401, response.text


def assert_throttled(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["Retry-After"]) >= 1
    assert "access_token" not in response.text


async def test_failures_per_account_lock_even_the_right_password(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    limit = container.settings.login_max_failures
    app = make_app(container)
    # Failures spread over many addresses still add up on the account.
    for i in range(limit):
        async with client_from(app, f"10.1.0.{i + 1}") as client:
            await fail(client, ACCOUNT, 1)
    async with client_from(app, "10.1.1.1") as client:
        assert_throttled(await attempt(client, ACCOUNT, DEMO_PASSWORD))
        # Other accounts from a fresh address are not affected.
        ok = await attempt(client, "reviewer@northwind.example", DEMO_PASSWORD)
        assert ok.status_code == 200


async def test_failures_per_address_lock_every_account_from_it(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    limit = container.settings.login_max_failures
    app = make_app(container)
    async with client_from(app, "10.2.0.1") as client:
        for i in range(limit):
            await fail(client, f"nobody{i}@northwind.example", 1)
        assert_throttled(await attempt(client, "owner@northwind.example", DEMO_PASSWORD))
    async with client_from(app, "10.2.0.2") as elsewhere:
        ok = await attempt(elsewhere, "owner@northwind.example", DEMO_PASSWORD)
        assert ok.status_code == 200


async def test_fewer_failures_than_the_limit_still_sign_in(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    app = make_app(container)
    async with client_from(app, "10.3.0.1") as client:
        await fail(client, ACCOUNT, container.settings.login_max_failures - 1)
        assert (await attempt(client, ACCOUNT, DEMO_PASSWORD)).status_code == 200


@pytest.fixture
async def redis_settings(settings: Settings) -> Settings:
    url = os.environ.get("BRANDFLOW_TEST_REDIS_URL")
    if not url:
        service_unavailable("BRANDFLOW_TEST_REDIS_URL is not set")
        raise AssertionError("unreachable")
    probe = aioredis.from_url(url)
    try:
        await probe.ping()
    except (OSError, aioredis.RedisError) as exc:
        service_unavailable(f"Redis at {url} is unreachable: {exc}")
    finally:
        await probe.aclose()
    return settings.model_copy(update={"redis_url": url})


async def test_redis_counters_are_shared_by_two_app_instances(
    container: Container, demo: dict[str, uuid.UUID], redis_settings: Settings
) -> None:
    first = await build_container(redis_settings)
    second = await build_container(redis_settings)
    try:
        address = fresh_address()
        keys = (f"login:account:{ACCOUNT}", f"login:address:{address}")
        for key in keys:  # an earlier run may have left the account's counter behind
            await first.login_limiter.clear(key)
        limit = redis_settings.login_max_failures
        app_one, app_two = make_app(first), make_app(second)
        async with client_from(app_one, address) as one, client_from(app_two, address) as two:
            # The failures alternate between the instances; each alone saw fewer than the limit.
            for i in range(limit):
                await fail(one if i % 2 == 0 else two, ACCOUNT, 1)
            assert_throttled(await attempt(two, ACCOUNT, DEMO_PASSWORD))
            assert_throttled(await attempt(one, ACCOUNT, DEMO_PASSWORD))
        # The in-memory limiter of the shared test container knows nothing of it.
        async with client_from(make_app(container), address) as local:
            assert (await attempt(local, ACCOUNT, DEMO_PASSWORD)).status_code == 200
        for key in keys:
            await first.login_limiter.clear(key)
    finally:
        await first.close()
        await second.close()


async def test_redis_counts_per_address(
    container: Container, demo: dict[str, uuid.UUID], redis_settings: Settings
) -> None:
    instance = await build_container(redis_settings)
    try:
        address = fresh_address()
        limit = redis_settings.login_max_failures
        async with client_from(make_app(instance), address) as client:
            for i in range(limit):
                await fail(client, f"nobody-{uuid.uuid4().hex[:8]}-{i}@northwind.example", 1)
            assert_throttled(await attempt(client, "owner@northwind.example", DEMO_PASSWORD))
        await instance.login_limiter.clear(f"login:address:{address}")
    finally:
        await instance.close()
