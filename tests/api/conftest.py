"""Fixtures of the API suites: the demo data plus REAL Acme objects for every path id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from brandflow.bootstrap import Container
from brandflow.contexts.identity.permissions import API_KEY_GRANTABLE
from tests.api.routes import PATH_PARAM, operation
from tests.conftest import login

STRATEGIST = "strategist@northwind.example"  # manager of both workspaces
ACME_ONLY_MEMBER = "client@acme.example"


@dataclass
class World:
    acme: uuid.UUID
    globex: uuid.UUID
    path_values: dict[str, str]  # path parameter -> a REAL Acme value
    markers: set[str]  # ids and names only Acme has: none may reach another tenant
    strategist: dict[str, str]
    globex_key: dict[str, str] = field(default_factory=dict)


def url_for(path: str, op_id: str, values: dict[str, str]) -> str:
    missing = [p for p in PATH_PARAM.findall(path) if p not in values]
    if missing:
        pytest.fail(
            f"{op_id}: no real Acme value for path parameter(s) {missing}; "
            "create such an object in the `world` fixture of tests/api/conftest.py"
        )
    return path.format(**{p: values[p] for p in PATH_PARAM.findall(path)})


async def create(
    client: httpx.AsyncClient,
    op_id: str,
    values: dict[str, str],
    headers: dict[str, str],
    body: dict[str, Any],
) -> dict[str, Any] | None:
    """Create an object through the API when the operation exists (others' routes grow)."""
    found = operation(op_id)
    if found is None:
        return None
    _, path, _ = found
    response = await client.post(
        url_for(path, op_id, values),
        json=body,
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, f"{op_id}: {response.status_code} {response.text}"
    created: dict[str, Any] = response.json()
    return created


async def get(
    client: httpx.AsyncClient, op_id: str, values: dict[str, str], headers: dict[str, str]
) -> Any:
    found = operation(op_id)
    if found is None:
        return None
    _, path, _ = found
    response = await client.get(url_for(path, op_id, values), headers=headers)
    assert response.status_code == 200, f"{op_id}: {response.status_code} {response.text}"
    return response.json()


@pytest.fixture
async def world(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], container: Container
) -> World:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    strategist = await login(app_client, STRATEGIST)
    values = {"workspace_id": str(acme), "number": "1"}
    markers = {str(acme), "Acme Running", "acme-running", ACME_ONLY_MEMBER, "Casey Acme"}

    campaigns = await get(app_client, "campaigns_list", values, strategist)
    if campaigns is not None:
        items = campaigns["items"]
        assert items, "the demo data has Acme campaigns"
        for item in items:
            markers |= {item["id"], item["name"]}
        chosen = next((c for c in items if "x" in c["channels"]), items[0])
        values["campaign_id"] = chosen["id"]

    me = await get(app_client, "me_get", values, strategist)
    if me is not None and me["organizations"]:  # shared by both workspaces: not a marker
        values["organization_id"] = me["organizations"][0]["organization_id"]

    members = await get(app_client, "members_list", values, strategist)
    if members is not None:
        acme_only = next(m for m in members if m["email"] == ACME_ONLY_MEMBER)
        values["user_id"] = acme_only["user_id"]
        markers.add(acme_only["user_id"])

    key = await create(
        app_client,
        "api_keys_create",
        values,
        strategist,
        {"name": "Acme isolation key", "permissions": ["campaigns:read"]},
    )
    if key is not None:
        values["key_id"] = key["id"]
        markers |= {key["id"], key["name"], key["secret"]}

    invitation = await create(
        app_client,
        "members_invite",
        values,
        strategist,
        {"email": "acme.invitee@acme.example", "role": "viewer"},
    )
    if invitation is not None:
        values["invitation_id"] = invitation["id"]
        markers |= {invitation["id"], invitation["email"], invitation["token"]}

    if "campaign_id" in values:
        content = await create(
            app_client,
            "content_create",
            values,
            strategist,
            {"title": "Acme secret launch copy", "body": {"channel": "x", "text": "Trail!"}},
        )
        if content is not None:
            values["content_id"] = content["id"]
            markers |= {content["id"], "Acme secret launch copy"}

    document = await app_client.post(
        f"/api/v1/workspaces/{acme}/knowledge/documents",
        headers=strategist,
        files={"file": ("pricing.txt", b"Acme secret wholesale pricing sheet", "text/plain")},
        data={"title": "Acme secret pricing sheet"},
    )
    if document.status_code != 404:  # the route exists
        assert document.status_code == 201, document.text
        values["document_id"] = document.json()["id"]
        markers |= {document.json()["id"], "Acme secret pricing sheet"}

    values["task"] = "generate"  # a prompt template's task
    found = operation("studio_generation_create") if "content_id" in values else None
    if found is not None:
        generated = await app_client.post(
            url_for(found[1], "studio_generation_create", values), json={}, headers=strategist
        )
        assert generated.status_code == 202, generated.text
        values["generation_id"] = generated.json()["id"]
        markers.add(generated.json()["id"])
        await container.relay.drain()  # the job runs: its event stream has an end

    world = World(acme, globex, values, markers, strategist)
    # An API key of the OTHER workspace, holding every permission a key may hold.
    globex_key = await create(
        app_client,
        "api_keys_create",
        {"workspace_id": str(globex)},
        strategist,
        {
            "name": "Globex key",
            "permissions": [p.value for p in sorted(API_KEY_GRANTABLE)],
        },
    )
    if globex_key is not None:
        world.globex_key = {"Authorization": f"Bearer {globex_key['secret']}"}
    return world
