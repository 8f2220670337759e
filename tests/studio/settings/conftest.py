"""Fixtures of the studio settings tests: the demo plus an organization admin and a second
organization, and the process's captured logs."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from brandflow.bootstrap import Container
from brandflow.contexts.identity.orm import Organization
from tests.conftest import login
from tests.ops.conftest import captured_logs
from tests.studio.settings.support import MANAGER, OWNER, People, add_people

__all__ = ["captured_logs"]


@pytest.fixture
async def people(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> People:
    return await add_people(app_client, container)


@pytest.fixture
async def owner(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    """Signed in as Northwind's owner only: the many bad-input cases need no one else."""
    return await login(app_client, OWNER)


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, MANAGER)


@pytest.fixture
async def northwind(container: Container, demo: dict[str, uuid.UUID]) -> uuid.UUID:
    async with container.sessionmaker() as session:
        found = await session.scalar(
            select(Organization.id).where(Organization.slug == "northwind")
        )
    assert found is not None
    return found
