"""Fixtures of the generation tests: Acme content, a knowledge document, the loopback model.

Two ways to run the job: the default container (the offline composer, as in a deployment
without a provider), and ``provider``: a container whose deployment chain is the loopback
OpenAI-compatible server (tests/llm/openai_server.py), with a configured price, so the
ledger's money can be checked to the picodollar.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from brandflow.app import create_app
from brandflow.bootstrap import Container, build_container
from brandflow.settings import Settings
from tests.conftest import login
from tests.llm.conftest import API_KEY, Server
from tests.llm.conftest import loopback as loopback
from tests.llm.conftest import server as server

WRITER = "writer@northwind.example"  # editor: may generate
MANAGER = "strategist@northwind.example"  # manager of both demo workspaces
REVIEWER = "reviewer@northwind.example"  # reads content, may not generate
CLIENT = "client@acme.example"  # client approver: reads, sees no costs
GLOBEX_CLIENT = "client@globex.example"
LOOPBACK_MODEL = "gpt-loopback"
# $1 per million input tokens, $2 per million output tokens.
PRICE_IN, PRICE_OUT = Decimal(1), Decimal(2)

GUIDE = """TrailFlow 3 field guide.

TrailFlow 3 grips wet rock with a new lug pattern designed in the Lake District.
The shoe is 30% lighter than TrailFlow 2, measured on a men's UK size 9.
Runners can test it on their own trails with free returns for 60 days.
"""


@dataclass
class Item:
    """A content item made through the API."""

    workspace_id: uuid.UUID
    campaign_id: str
    id: str

    @property
    def url(self) -> str:
        return f"/api/v1/workspaces/{self.workspace_id}/campaigns/{self.campaign_id}/contents/{self.id}"

    @property
    def generations(self) -> str:
        return f"{self.url}/generations"

    def provenance(self, number: int) -> str:
        return f"{self.url}/versions/{number}/provenance"


@pytest.fixture
async def writer(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, WRITER)


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, MANAGER)


@pytest.fixture
async def acme(demo: dict[str, uuid.UUID]) -> uuid.UUID:
    return demo["acme-running"]


async def new_campaign(
    client: httpx.AsyncClient,
    workspace_id: uuid.UUID,
    headers: dict[str, str],
    **fields: Any,
) -> str:
    body = {
        "name": "TrailFlow 3 launch",
        "objective": "Launch the TrailFlow 3 trail shoe",
        "audience": "Trail runners",
        "key_messages": ["Grip that holds on wet rock"],
        "channels": ["x", "linkedin", "email", "search_ad"],
        **fields,
    }
    response = await client.post(
        f"/api/v1/workspaces/{workspace_id}/campaigns", json=body, headers=headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def new_item(
    client: httpx.AsyncClient,
    workspace_id: uuid.UUID,
    campaign_id: str,
    headers: dict[str, str],
    body: dict[str, Any],
    title: str = "Launch post",
) -> Item:
    response = await client.post(
        f"/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}/contents",
        json={"title": title, "body": body},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return Item(workspace_id, campaign_id, str(response.json()["id"]))


@pytest.fixture
async def x_item(app_client: httpx.AsyncClient, acme: uuid.UUID, writer: dict[str, str]) -> Item:
    campaign = await new_campaign(app_client, acme, writer)
    return await new_item(
        app_client, acme, campaign, writer, {"channel": "x", "text": "TrailFlow 3 is coming."}
    )


@pytest.fixture
async def guide(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    writer: dict[str, str],
) -> str:
    """A field guide in Acme's knowledge base, indexed: what generations retrieve."""
    response = await app_client.post(
        f"/api/v1/workspaces/{acme}/knowledge/documents",
        headers=writer,
        files={"file": ("trailflow-guide.md", GUIDE.encode(), "text/markdown")},
        data={"title": "TrailFlow 3 field guide"},
    )
    assert response.status_code == 201, response.text
    await container.relay.drain()
    return str(response.json()["id"])


async def generate(
    client: httpx.AsyncClient, item: Item, headers: dict[str, str], **body: Any
) -> dict[str, Any]:
    response = await client.post(item.generations, json=body, headers=headers)
    assert response.status_code == 202, response.text
    assert response.headers["location"].endswith(response.json()["id"])
    created: dict[str, Any] = response.json()
    return created


async def generation(
    client: httpx.AsyncClient, item: Item, generation_id: str, headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.get(f"{item.generations}/{generation_id}", headers=headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


# --- the provider path ------------------------------------------------------------------


def provider_settings(settings: Settings, server: Server) -> Settings:
    """The test settings, with the loopback server as the deployment's model."""
    data = settings.model_dump()
    data.update(
        llm_provider="openai",
        llm_base_url=server.base_url,
        llm_api_key=SecretStr(API_KEY),
        llm_model=LOOPBACK_MODEL,
        llm_timeout_seconds=5.0,
        llm_max_retries=0,
        llm_prices={
            f"openai:{LOOPBACK_MODEL}": {"input_mtok": str(PRICE_IN), "output_mtok": str(PRICE_OUT)}
        },
        secret_key=settings.secret_key,
        demo_password=settings.demo_password,
    )
    return Settings.model_validate(data)


@dataclass
class Provider:
    container: Container
    client: httpx.AsyncClient
    server: Server


@pytest.fixture
async def provider(
    container: Container, settings: Settings, server: Server
) -> AsyncIterator[Provider]:
    """A second process wired to the loopback model (same database as ``container``)."""
    other = await build_container(provider_settings(settings, server))
    other.run_relay = False
    app = create_app(other.settings, container=other)
    other.attach(app)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield Provider(other, client, server)
    finally:
        await other.close()
