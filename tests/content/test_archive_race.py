"""A content write in flight holds its campaign open: an archive waits for it to commit.

Creating an item is covered by its foreign key to the campaign (PostgreSQL takes a key-share
lock); a new version references only the item, so the service takes a share lock itself.
"""

from __future__ import annotations

import asyncio
import uuid

import httpx

from brandflow.bootstrap import Container
from brandflow.contexts.content.public import ContentService, VersionCreate, parse_body
from brandflow.contexts.identity.domain import Principal, WorkspaceAccess, role_permissions
from brandflow.contexts.identity.permissions import WorkspaceRole
from brandflow.kernel.context import Actor
from brandflow.kernel.uow import UnitOfWork
from tests.conftest import login


async def test_archive_waits_for_a_content_write_in_flight(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    manager = await login(app_client, "strategist@northwind.example")
    workspace_id = demo["acme-running"]
    campaigns_url = f"/api/v1/workspaces/{workspace_id}/campaigns"
    campaigns = (await app_client.get(campaigns_url, headers=manager)).json()["items"]
    campaign = next(c for c in campaigns if "x" in c["channels"])
    access = WorkspaceAccess(
        Principal(actor=Actor.system("test")),
        workspace_id,
        await _organization(app_client, manager),
        WorkspaceRole.MANAGER,
        role_permissions(WorkspaceRole.MANAGER),
    )

    contents_url = f"{campaigns_url}/{campaign['id']}/contents"
    created = await app_client.post(
        contents_url,
        json={"title": "Race", "body": {"channel": "x", "text": "First take"}},
        headers=manager,
    )
    assert created.status_code == 201, created.text

    async with container.sessionmaker() as session:
        uow = UnitOfWork(session)
        body = parse_body({"channel": "x", "text": "Written while someone archives"})
        await ContentService(uow).add_version(
            access,
            uuid.UUID(campaign["id"]),
            uuid.UUID(created.json()["id"]),
            VersionCreate(body=body),
            created.headers["ETag"],
        )
        archive = asyncio.create_task(
            app_client.post(f"{campaigns_url}/{campaign['id']}/archive", headers=manager)
        )
        done, _ = await asyncio.wait({archive}, timeout=0.5)
        assert not done, "the archive must wait for the content write to commit"
        await uow.commit()

    archived = await archive
    assert archived.status_code == 200, archived.text
    item = await app_client.get(f"{contents_url}/{created.json()['id']}", headers=manager)
    assert item.json()["current_version"] == 2  # written before the archive, not after


async def _organization(client: httpx.AsyncClient, headers: dict[str, str]) -> uuid.UUID:
    me = (await client.get("/api/v1/me", headers=headers)).json()
    return uuid.UUID(me["workspaces"][0]["organization_id"])
