"""Shared helpers of the studio settings tests: people, organizations, keys and settings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select

from brandflow.bootstrap import Container
from brandflow.contexts.identity.orm import Organization, OrganizationMember, User, Workspace
from brandflow.contexts.identity.permissions import OrganizationRole
from brandflow.kernel.auth.passwords import hash_password
from brandflow.kernel.outbox import OutboxMessage
from tests.conftest import DEMO_PASSWORD, login

OWNER = "owner@northwind.example"
MANAGER = "strategist@northwind.example"  # organization member, manager of both workspaces
EDITOR = "writer@northwind.example"
CLIENT = "client@acme.example"  # client approver of Acme, in no organization
ADMIN = "admin@northwind.example"  # created by `people`: admin of Northwind
STRANGER = "owner@initech.example"  # created by `people`: owner of another organization
# Long enough to get a hint; nothing else in the app or the tests looks like it.
OPENAI_KEY = "sk-test-Zq8v1NbY3kL0pW7rT5uE2iO9aS4dF6gHjKlMnBvC"
ANTHROPIC_KEY = "sk-ant-test-Q1w2E3r4T5y6U7i8O9p0AsDfGhJkL"


@dataclass
class People:
    northwind: uuid.UUID
    initech: uuid.UUID
    initech_workspace: uuid.UUID
    owner: dict[str, str]
    admin: dict[str, str]
    manager: dict[str, str]
    editor: dict[str, str]
    client: dict[str, str]
    stranger: dict[str, str]


async def add_people(client: httpx.AsyncClient, container: Container) -> People:
    """The demo organization plus an admin of it, and another organization with its owner."""
    async with container.sessionmaker() as session:
        northwind = await session.scalar(
            select(Organization.id).where(Organization.slug == "northwind")
        )
        assert northwind is not None, "seed the demo first"
        initech = Organization(name="Initech", slug="initech")
        session.add(initech)
        await session.flush()
        workspace = Workspace(organization_id=initech.id, name="Initech TPS", slug="tps")
        session.add(workspace)
        for email, org, role in (
            (ADMIN, northwind, OrganizationRole.ADMIN),
            (STRANGER, initech.id, OrganizationRole.OWNER),
        ):
            user = User(
                email=email,
                display_name=email.split("@")[0],
                password_hash=hash_password(DEMO_PASSWORD),
            )
            session.add(user)
            await session.flush()
            session.add(OrganizationMember(organization_id=org, user_id=user.id, role=role))
        await session.commit()
        ids = (northwind, initech.id, workspace.id)
    return People(
        *ids,
        owner=await login(client, OWNER),
        admin=await login(client, ADMIN),
        manager=await login(client, MANAGER),
        editor=await login(client, EDITOR),
        client=await login(client, CLIENT),
        stranger=await login(client, STRANGER),
    )


def keys_url(organization_id: uuid.UUID, key_id: uuid.UUID | str | None = None) -> str:
    base = f"/api/v1/organizations/{organization_id}/provider-keys"
    return base if key_id is None else f"{base}/{key_id}"


def settings_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/ai-settings"


async def create_key(
    client: httpx.AsyncClient,
    organization_id: uuid.UUID,
    headers: dict[str, str],
    *,
    name: str = "OpenAI production",
    provider: str = "openai",
    api_key: str = OPENAI_KEY,
    base_url: str | None = "https://llm.example.com/v1",
) -> dict[str, Any]:
    response = await client.post(
        keys_url(organization_id),
        json={"name": name, "provider": provider, "api_key": api_key, "base_url": base_url},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def save_settings(
    client: httpx.AsyncClient,
    workspace_id: uuid.UUID,
    headers: dict[str, str],
    body: dict[str, Any],
) -> httpx.Response:
    """PUT with the ETag just read: the caller sees only validation and permission answers."""
    current = await client.get(settings_url(workspace_id), headers=headers)
    assert current.status_code == 200, current.text
    return await client.put(
        settings_url(workspace_id),
        json=body,
        headers={**headers, "If-Match": current.headers["ETag"]},
    )


async def outbox(container: Container, prefix: str = "studio.") -> list[dict[str, Any]]:
    """Every outbox envelope of events whose type starts with ``prefix``, oldest first."""
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.type.startswith(prefix))
            .order_by(OutboxMessage.created_at)
        )
        return [row.envelope for row in rows]
