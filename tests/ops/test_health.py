"""Liveness and readiness."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from brandflow.app import create_app
from brandflow.bootstrap import Container, build_container
from brandflow.migrate import head_revision
from brandflow.settings import Settings

UNREACHABLE_DATABASE = "postgresql://brandflow:s3cret-pw@127.0.0.1:1/nowhere"


async def test_healthz_answers_ok(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_200_on_the_migrated_test_database(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"]["ok"] is True
    assert body["checks"]["migrations"]["current"] == head_revision()
    assert "broker" not in body["checks"]  # none configured


@pytest.fixture
async def unreachable_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    bad = settings.model_copy(update={"database_url": UNREACHABLE_DATABASE})
    container: Container = await build_container(bad)
    container.run_relay = False
    app = create_app(bad, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        await container.close()


async def test_readyz_is_503_with_a_clear_body_when_the_database_is_unreachable(
    unreachable_client: httpx.AsyncClient,
) -> None:
    response = await unreachable_client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert "database unreachable" in body["checks"]["database"]["error"]
    assert body["checks"]["migrations"]["ok"] is False
    assert "s3cret-pw" not in response.text  # the URL's password never leaves
    assert response.headers["x-request-id"]


async def test_healthz_stays_ok_when_the_database_is_unreachable(
    unreachable_client: httpx.AsyncClient,
) -> None:
    response = await unreachable_client.get("/healthz")
    assert response.status_code == 200


async def test_metrics_still_answer_when_the_database_is_unreachable(
    unreachable_client: httpx.AsyncClient,
) -> None:
    response = await unreachable_client.get("/metrics")
    assert response.status_code == 200
    assert "brandflow_database_up 0.0" in response.text
