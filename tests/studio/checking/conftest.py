"""Fixtures of the stored-checks tests: an Acme campaign on every channel, content helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from brandflow.bootstrap import Container
from brandflow.contexts.studio.checking.orm import ContentCheck
from tests.conftest import login

WRITER = "writer@northwind.example"  # editor: writes content, may run AI checks
MANAGER = "strategist@northwind.example"  # manager of both demo workspaces
REVIEWER = "reviewer@northwind.example"
GLOBEX_CLIENT = "client@globex.example"
CHANNELS = ["x", "linkedin", "instagram", "email", "blog_post", "landing_page", "search_ad"]


@dataclass
class Item:
    """A content item made through the API, and where its versions live."""

    url: str  # .../contents/{id}
    id: str
    etag: str

    def check_url(self, number: int) -> str:
        return f"{self.url}/versions/{number}/check"


@pytest.fixture
async def writer(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, WRITER)


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, MANAGER)


@pytest.fixture
async def acme(demo: dict[str, uuid.UUID]) -> uuid.UUID:
    return demo["acme-running"]


@pytest.fixture
async def contents_url(
    app_client: httpx.AsyncClient, acme: uuid.UUID, writer: dict[str, str]
) -> str:
    """Contents URL of a new Acme campaign planned for every channel we test."""
    created = await app_client.post(
        f"/api/v1/workspaces/{acme}/campaigns",
        json={"name": "Checks", "objective": "Check copy", "channels": CHANNELS},
        headers=writer,
    )
    assert created.status_code == 201, created.text
    return f"/api/v1/workspaces/{acme}/campaigns/{created.json()['id']}/contents"


async def create_item(
    client: httpx.AsyncClient, contents_url: str, headers: dict[str, str], body: dict[str, Any]
) -> Item:
    response = await client.post(
        contents_url, json={"title": "Checked copy", "body": body}, headers=headers
    )
    assert response.status_code == 201, response.text
    item = response.json()
    return Item(f"{contents_url}/{item['id']}", item["id"], response.headers["ETag"])


async def add_version(
    client: httpx.AsyncClient, item: Item, headers: dict[str, str], body: dict[str, Any]
) -> int:
    response = await client.post(
        f"{item.url}/versions", json={"body": body}, headers={**headers, "If-Match": item.etag}
    )
    assert response.status_code == 201, response.text
    item.etag = response.headers["ETag"]
    return int(response.json()["number"])


async def get_check(
    client: httpx.AsyncClient, item: Item, number: int, headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.get(item.check_url(number), headers=headers)
    assert response.status_code == 200, response.text
    check: dict[str, Any] = response.json()
    return check


async def stored_checks(container: Container, content_id: str, number: int | None = None) -> int:
    """Rows in content_checks for an item (or one of its versions), read from the database."""
    conditions = [ContentCheck.content_id == uuid.UUID(content_id)]
    if number is not None:
        conditions.append(ContentCheck.version_number == number)
    async with container.sessionmaker() as session:
        return int(
            await session.scalar(select(func.count()).select_from(ContentCheck).where(*conditions))
            or 0
        )


def kinds(check: dict[str, Any]) -> list[str]:
    return sorted(f["kind"] for f in check["findings"])
