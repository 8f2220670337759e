"""The caller, their workspaces, and member management (invite, change role, remove)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from tests.conftest import login


def members_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/members"


def invitations_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/invitations"


async def member_ids(
    client: httpx.AsyncClient, workspace_id: uuid.UUID, headers: dict[str, str]
) -> dict[str, tuple[str, str]]:
    response = await client.get(members_url(workspace_id), headers=headers)
    assert response.status_code == 200, response.text
    return {m["email"]: (m["user_id"], m["role"]) for m in response.json()}


async def test_me_describes_the_caller(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    me = (
        await app_client.get(
            "/api/v1/me", headers=await login(app_client, "owner@northwind.example")
        )
    ).json()
    assert me["user"]["email"] == "owner@northwind.example"
    assert [(o["organization_name"], o["role"]) for o in me["organizations"]] == [
        ("Northwind Agency", "owner")
    ]
    assert {w["workspace_name"]: w["role"] for w in me["workspaces"]} == {
        "Acme Running": "manager",
        "Globex Coffee": "manager",
    }


async def test_unauthenticated_me_is_401(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    response = await app_client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("client@acme.example", {"Acme Running": "client_approver"}),
        ("client@globex.example", {"Globex Coffee": "client_approver"}),
        ("owner@northwind.example", {"Acme Running": "manager", "Globex Coffee": "manager"}),
        ("writer@northwind.example", {"Acme Running": "editor", "Globex Coffee": "editor"}),
    ],
)
async def test_workspaces_lists_only_the_callers(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    email: str,
    expected: dict[str, str],
) -> None:
    response = await app_client.get("/api/v1/workspaces", headers=await login(app_client, email))
    assert response.status_code == 200
    assert {w["name"]: w["role"] for w in response.json()} == expected


async def test_external_users_never_see_organization_level_data(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    client = await login(app_client, "client@acme.example")
    acme, globex = demo["acme-running"], demo["globex-coffee"]

    me = (await app_client.get("/api/v1/me", headers=client)).json()
    assert me["organizations"] == []
    assert "Northwind" not in str(me)
    listed = await app_client.get("/api/v1/workspaces", headers=client)
    assert "Northwind" not in listed.text
    assert "Globex" not in listed.text
    perms = listed.json()[0]["permissions"]
    assert "members:read" not in perms
    assert "audit:read" not in perms

    # The other client's workspace does not exist for them; organization-level lists are closed.
    assert (await app_client.get(f"/api/v1/workspaces/{globex}", headers=client)).status_code == 404
    assert (
        await app_client.get(f"/api/v1/workspaces/{globex}/campaigns", headers=client)
    ).status_code == 404
    for url in (
        members_url(acme),
        invitations_url(acme),
        f"/api/v1/workspaces/{acme}/api-keys",
        f"/api/v1/workspaces/{acme}/audit-events",
    ):
        response = await app_client.get(url, headers=client)
        assert response.status_code == 403, url
    # What they may see: their workspace and its campaigns.
    assert (await app_client.get(f"/api/v1/workspaces/{acme}", headers=client)).status_code == 200
    assert (
        await app_client.get(f"/api/v1/workspaces/{acme}/campaigns", headers=client)
    ).status_code == 200


async def test_members_are_listed_for_members_who_may_read_them(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    reviewer = await login(app_client, "reviewer@northwind.example")
    members = await member_ids(app_client, demo["acme-running"], reviewer)
    assert members.keys() == {
        "client@acme.example",
        "reviewer@northwind.example",
        "strategist@northwind.example",
        "writer@northwind.example",
    }
    assert members["strategist@northwind.example"][1] == "manager"


async def test_invite_returns_a_token_once_and_duplicates_conflict(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    manager = await login(app_client, "strategist@northwind.example")
    url = invitations_url(demo["acme-running"])
    body = {"email": "New.Person@Acme.example", "role": "viewer"}
    created = await app_client.post(url, json=body, headers=manager)
    assert created.status_code == 201, created.text
    invitation = created.json()
    assert invitation["token"]
    assert invitation["email"] == "new.person@acme.example"
    assert created.headers["Cache-Control"] == "no-store"

    listed = await app_client.get(url, headers=manager)
    assert [i["id"] for i in listed.json()] == [invitation["id"]]
    assert invitation["token"] not in listed.text

    again = await app_client.post(url, json=body, headers=manager)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    member = await app_client.post(
        url, json={"email": "writer@northwind.example", "role": "viewer"}, headers=manager
    )
    assert member.status_code == 409
    # The same person may be invited to another workspace.
    other = await app_client.post(
        invitations_url(demo["globex-coffee"]), json=body, headers=manager
    )
    assert other.status_code == 201
    # Only managers invite.
    writer = await login(app_client, "writer@northwind.example")
    refused = await app_client.post(
        url, json={"email": "x@acme.example", "role": "viewer"}, headers=writer
    )
    assert refused.status_code == 403


async def test_change_role_and_remove_member(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    manager = await login(app_client, "strategist@northwind.example")
    members = await member_ids(app_client, acme, manager)
    writer_id = members["writer@northwind.example"][0]

    changed = await app_client.patch(
        f"{members_url(acme)}/{writer_id}", json={"role": "reviewer"}, headers=manager
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "reviewer"
    writer = await login(app_client, "writer@northwind.example")
    campaigns = f"/api/v1/workspaces/{acme}/campaigns"
    brief = {
        "name": "Should fail",
        "objective": "o",
        "audience": "a",
        "key_messages": [],
        "channels": ["email"],
        "budget": {"amount": "1.00", "currency": "EUR"},
    }
    assert (await app_client.post(campaigns, json=brief, headers=writer)).status_code == 403

    removed = await app_client.delete(f"{members_url(acme)}/{writer_id}", headers=manager)
    assert removed.status_code == 204
    assert (await app_client.get(campaigns, headers=writer)).status_code == 404
    assert "writer@northwind.example" not in await member_ids(app_client, acme, manager)
    # Still a member elsewhere.
    globex = f"/api/v1/workspaces/{demo['globex-coffee']}/campaigns"
    assert (await app_client.get(globex, headers=writer)).status_code == 200

    unknown = await app_client.delete(f"{members_url(acme)}/{uuid.uuid4()}", headers=manager)
    assert unknown.status_code == 404


async def test_the_last_manager_cannot_be_removed_or_demoted(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    owner = await login(app_client, "owner@northwind.example")
    members = await member_ids(app_client, acme, owner)
    strategist = members["strategist@northwind.example"][0]
    writer = members["writer@northwind.example"][0]

    demote = await app_client.patch(
        f"{members_url(acme)}/{strategist}", json={"role": "editor"}, headers=owner
    )
    assert demote.status_code == 409
    assert demote.headers["content-type"].startswith("application/problem+json")
    remove = await app_client.delete(f"{members_url(acme)}/{strategist}", headers=owner)
    assert remove.status_code == 409
    assert (await member_ids(app_client, acme, owner))["strategist@northwind.example"][
        1
    ] == "manager"

    # With a second manager, the first may step down.
    promoted = await app_client.patch(
        f"{members_url(acme)}/{writer}", json={"role": "manager"}, headers=owner
    )
    assert promoted.status_code == 200
    demote = await app_client.patch(
        f"{members_url(acme)}/{strategist}", json={"role": "editor"}, headers=owner
    )
    assert demote.status_code == 200
    remove = await app_client.delete(f"{members_url(acme)}/{writer}", headers=owner)
    assert remove.status_code == 409


async def test_two_managers_demoting_each_other_at_once_leave_one(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    owner = await login(app_client, "owner@northwind.example")
    members = await member_ids(app_client, acme, owner)
    strategist = members["strategist@northwind.example"][0]
    writer = members["writer@northwind.example"][0]
    promoted = await app_client.patch(
        f"{members_url(acme)}/{writer}", json={"role": "manager"}, headers=owner
    )
    assert promoted.status_code == 200

    results = await asyncio.gather(
        app_client.patch(
            f"{members_url(acme)}/{strategist}", json={"role": "editor"}, headers=owner
        ),
        app_client.delete(f"{members_url(acme)}/{writer}", headers=owner),
    )
    assert sorted(r.status_code for r in results) in ([200, 409], [204, 409]), [
        r.text for r in results
    ]
    roles = [role for _, role in (await member_ids(app_client, acme, owner)).values()]
    assert roles.count("manager") == 1
