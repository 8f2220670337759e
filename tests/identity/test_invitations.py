"""The invitation lifecycle: invite, accept (new or existing account), revoke, expire."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update

from brandflow.bootstrap import Container
from brandflow.contexts.identity.orm import Invitation, User, WorkspaceMember
from brandflow.contexts.identity.permissions import WorkspaceRole
from brandflow.kernel.db import utcnow
from tests.conftest import login

ACCEPT_URL = "/api/v1/invitations/accept"
MANAGER = "strategist@northwind.example"  # manager of both workspaces
EDITOR = "writer@northwind.example"
GLOBEX_ONLY = "client@globex.example"  # an existing account, member of Globex only
ACME_ONLY = "client@acme.example"
NEW_PASSWORD = "a long enough passphrase"


def invitations_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/invitations"


async def invite(
    client: httpx.AsyncClient,
    manager: dict[str, str],
    workspace_id: uuid.UUID,
    email: str,
    role: str = "viewer",
) -> dict[str, Any]:
    response = await client.post(
        invitations_url(workspace_id), json={"email": email, "role": role}, headers=manager
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def accept(
    client: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str] | None = None
) -> httpx.Response:
    return await client.post(ACCEPT_URL, json=body, headers=headers or {})


async def invitation_row(container: Container, invitation_id: str) -> Invitation:
    async with container.sessionmaker() as session:
        row = await session.get(Invitation, uuid.UUID(invitation_id))
        assert row is not None
        return row


async def memberships(container: Container, email: str) -> dict[uuid.UUID, WorkspaceRole]:
    async with container.sessionmaker() as session:
        rows = await session.execute(
            select(WorkspaceMember.workspace_id, WorkspaceMember.role)
            .join(User, User.id == WorkspaceMember.user_id)
            .where(User.email == email)
        )
        return {w: r for w, r in rows}


def assert_problem(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = response.json()["detail"].lower()
    for word in words:
        assert word in detail, detail


async def test_new_invitee_creates_an_account_and_sees_only_that_workspace(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    manager = await login(app_client, MANAGER)
    invitation = await invite(app_client, manager, acme, "New.Hire@Example.com", "editor")

    # Without a name and password the account cannot be created; the token stays usable.
    missing = await accept(app_client, {"token": invitation["token"]})
    assert_problem(missing, 422, "display_name", "password")
    short = await accept(
        app_client, {"token": invitation["token"], "display_name": "Nia", "password": "short"}
    )
    assert short.status_code == 422, short.text
    extra = await accept(
        app_client,
        {
            "token": invitation["token"],
            "display_name": "Nia",
            "password": NEW_PASSWORD,
            "role": "manager",
        },
    )
    assert extra.status_code == 422, extra.text

    body = {"token": invitation["token"], "display_name": "Nia Hire", "password": NEW_PASSWORD}
    accepted = await accept(app_client, body)
    assert accepted.status_code == 200, accepted.text
    membership = accepted.json()
    assert membership["workspace_id"] == str(acme)
    assert membership["workspace_name"] == "Acme Running"
    assert membership["role"] == "editor"
    assert membership["email"] == "new.hire@example.com"
    assert membership["new_account"] is True

    # The new account signs in and sees exactly the workspace it joined.
    newcomer = await login(app_client, "new.hire@example.com", NEW_PASSWORD)
    workspaces = await app_client.get("/api/v1/workspaces", headers=newcomer)
    assert workspaces.status_code == 200, workspaces.text
    assert [(w["id"], w["role"]) for w in workspaces.json()] == [(str(acme), "editor")]
    me = (await app_client.get("/api/v1/me", headers=newcomer)).json()
    assert me["user"]["display_name"] == "Nia Hire"
    assert me["organizations"] == []
    campaigns = "/api/v1/workspaces/{}/campaigns"
    assert (await app_client.get(campaigns.format(acme), headers=newcomer)).status_code == 200
    globex = demo["globex-coffee"]
    assert (await app_client.get(campaigns.format(globex), headers=newcomer)).status_code == 404

    # The manager's list shows the invitation accepted; the token cannot be used again.
    listed = (await app_client.get(invitations_url(acme), headers=manager)).json()
    assert [(i["id"], i["accepted_at"] is not None) for i in listed] == [(invitation["id"], True)]
    reused = await accept(app_client, body)
    assert_problem(reused, 410, "already accepted")
    assert await memberships(container, "new.hire@example.com") == {acme: WorkspaceRole.EDITOR}


async def test_existing_account_must_be_signed_in_as_the_invitee(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    manager = await login(app_client, MANAGER)
    invitee = await login(app_client, GLOBEX_ONLY)
    campaigns = f"/api/v1/workspaces/{acme}/campaigns"
    # Not a member yet: refused (a cached "no" would hide the membership added below).
    assert (await app_client.get(campaigns, headers=invitee)).status_code == 404

    invitation = await invite(app_client, manager, acme, GLOBEX_ONLY, "reviewer")
    body = {"token": invitation["token"]}

    anonymous = await accept(app_client, body)
    assert_problem(anonymous, 401, "sign in")
    # A name and password do not stand in for signing in to an existing account.
    with_password = await accept(
        app_client, {**body, "display_name": "Impostor", "password": NEW_PASSWORD}
    )
    assert_problem(with_password, 401, "sign in")
    other_user = await accept(app_client, body, await login(app_client, ACME_ONLY))
    assert_problem(other_user, 403, "another account")
    key = await app_client.post(
        f"/api/v1/workspaces/{globex}/api-keys",
        json={"name": "invitee key", "permissions": ["campaigns:read"]},
        headers=manager,
    )
    assert key.status_code == 201, key.text
    api_key = await accept(app_client, body, {"Authorization": f"Bearer {key.json()['secret']}"})
    assert_problem(api_key, 403, "api key")
    bogus = await accept(app_client, body, {"Authorization": "Bearer not-a-token"})
    assert bogus.status_code == 401, bogus.text
    assert (await invitation_row(container, invitation["id"])).accepted_at is None

    accepted = await accept(app_client, body, invitee)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["role"] == "reviewer"
    assert accepted.json()["new_account"] is False
    # Access is immediate, with the same token, although access decisions are cached.
    assert (await app_client.get(campaigns, headers=invitee)).status_code == 200
    workspaces = (await app_client.get("/api/v1/workspaces", headers=invitee)).json()
    assert {w["id"]: w["role"] for w in workspaces} == {
        str(acme): "reviewer",
        str(globex): "client_approver",
    }
    assert_problem(await accept(app_client, body, invitee), 410, "already accepted")


async def test_a_member_already_cannot_accept_again(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    manager = await login(app_client, MANAGER)
    invitation = await invite(app_client, manager, acme, GLOBEX_ONLY)
    async with container.sessionmaker() as session, session.begin():
        user = await session.scalar(select(User).where(User.email == GLOBEX_ONLY))
        assert user is not None
        session.add(WorkspaceMember(workspace_id=acme, user_id=user.id, role=WorkspaceRole.EDITOR))

    response = await accept(
        app_client, {"token": invitation["token"]}, await login(app_client, GLOBEX_ONLY)
    )
    assert_problem(response, 409, "already a member")
    assert (await invitation_row(container, invitation["id"])).accepted_at is None
    assert (await memberships(container, GLOBEX_ONLY))[acme] == WorkspaceRole.EDITOR


async def test_unknown_and_expired_tokens_are_refused(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    manager = await login(app_client, MANAGER)
    invitation = await invite(app_client, manager, demo["acme-running"], "late@example.com")
    new_account = {"display_name": "Late", "password": NEW_PASSWORD}

    unknown = await accept(app_client, {"token": "x" * 43, **new_account})
    assert_problem(unknown, 404, "no invitation")

    async with container.sessionmaker() as session, session.begin():
        await session.execute(
            update(Invitation)
            .where(Invitation.id == uuid.UUID(invitation["id"]))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = await accept(app_client, {"token": invitation["token"], **new_account})
    assert_problem(expired, 410, "expired")
    assert await memberships(container, "late@example.com") == {}
    async with container.sessionmaker() as session:
        assert await session.scalar(select(User).where(User.email == "late@example.com")) is None
    # An expired invitation no longer blocks a new one.
    await invite(app_client, manager, demo["acme-running"], "late@example.com")


async def test_revoked_invitation_is_refused_and_revoking_is_idempotent(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    manager = await login(app_client, MANAGER)
    invitation = await invite(app_client, manager, acme, "changed.mind@example.com")
    url = f"{invitations_url(acme)}/{invitation['id']}"

    assert (await app_client.delete(url, headers=manager)).status_code == 204
    assert (await app_client.delete(url, headers=manager)).status_code == 204
    row = await invitation_row(container, invitation["id"])
    assert row.revoked_at is not None
    listed = (await app_client.get(invitations_url(acme), headers=manager)).json()
    assert listed[0]["revoked_at"] is not None

    refused = await accept(
        app_client,
        {"token": invitation["token"], "display_name": "Nope", "password": NEW_PASSWORD},
    )
    assert_problem(refused, 410, "revoked")
    assert await memberships(container, "changed.mind@example.com") == {}
    # A revoked invitation no longer blocks a new one.
    await invite(app_client, manager, acme, "changed.mind@example.com")


async def test_an_accepted_invitation_cannot_be_revoked(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    manager = await login(app_client, MANAGER)
    invitation = await invite(app_client, manager, acme, "joined@example.com")
    body = {"token": invitation["token"], "display_name": "Joined", "password": NEW_PASSWORD}
    assert (await accept(app_client, body)).status_code == 200
    response = await app_client.delete(
        f"{invitations_url(acme)}/{invitation['id']}", headers=manager
    )
    assert_problem(response, 409, "already accepted")


async def test_concurrent_acceptances_of_one_token_succeed_once(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    manager = await login(app_client, MANAGER)
    invitation = await invite(app_client, manager, demo["acme-running"], "racer@example.com")
    body = {"token": invitation["token"], "display_name": "Racer", "password": NEW_PASSWORD}

    responses = await asyncio.gather(*(accept(app_client, body) for _ in range(4)))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 410, 410, 410], [r.text for r in responses]
    async with container.sessionmaker() as session:
        users = await session.scalar(
            select(func.count()).select_from(User).where(User.email == "racer@example.com")
        )
    assert users == 1
    assert await memberships(container, "racer@example.com") == {
        demo["acme-running"]: WorkspaceRole.VIEWER
    }


async def test_only_managers_of_the_workspace_revoke(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    manager = await login(app_client, MANAGER)
    invitation = await invite(app_client, manager, acme, "guarded@example.com")
    url = f"{invitations_url(acme)}/{invitation['id']}"

    editor = await app_client.delete(url, headers=await login(app_client, EDITOR))
    assert editor.status_code == 403, editor.text
    other_tenant = await app_client.delete(url, headers=await login(app_client, GLOBEX_ONLY))
    assert other_tenant.status_code == 404, other_tenant.text
    # A manager of Globex cannot reach Acme's invitation through Globex's path.
    through_globex = await app_client.delete(
        f"{invitations_url(globex)}/{invitation['id']}", headers=manager
    )
    assert_problem(through_globex, 404, "invitation not found")
    unknown = await app_client.delete(f"{invitations_url(acme)}/{uuid.uuid4()}", headers=manager)
    assert unknown.status_code == 404
    anonymous = await app_client.delete(url)
    assert anonymous.status_code == 401
    assert (await invitation_row(container, invitation["id"])).revoked_at is None


async def test_lifecycle_events_reach_the_audit_log(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    manager = await login(app_client, MANAGER)
    joined = await invite(app_client, manager, acme, "audited@example.com", "editor")
    withdrawn = await invite(app_client, manager, acme, "withdrawn@example.com")
    revoked = await app_client.delete(f"{invitations_url(acme)}/{withdrawn['id']}", headers=manager)
    assert revoked.status_code == 204
    accepted = await accept(
        app_client,
        {"token": joined["token"], "display_name": "Audited", "password": NEW_PASSWORD},
    )
    assert accepted.status_code == 200, accepted.text
    user_id = accepted.json()["user_id"]

    await container.relay.drain()

    response = await app_client.get(
        f"/api/v1/workspaces/{acme}/audit-events",
        params={"object_type": "invitation"},
        headers=manager,
    )
    assert response.status_code == 200, response.text
    by_action = {(i["action"], i["object_id"]): i for i in response.json()["items"]}
    accepted_row = by_action[("identity.invitation_accepted", joined["id"])]
    assert accepted_row["workspace_id"] == str(acme)
    assert accepted_row["actor"] == {"type": "user", "id": user_id}
    assert accepted_row["changes"] == {"status": ["pending", "accepted"]}
    revoked_row = by_action[("identity.invitation_revoked", withdrawn["id"])]
    assert revoked_row["workspace_id"] == str(acme)
    assert revoked_row["actor"]["type"] == "user"
    assert revoked_row["actor"]["id"] != user_id

    members = await app_client.get(
        f"/api/v1/workspaces/{acme}/audit-events",
        params={"action": "identity.member_added"},
        headers=manager,
    )
    [added] = members.json()["items"]
    assert added["object_id"] == user_id
    assert added["object_type"] == "workspace_member"
    assert added["changes"] == {"role": [None, "editor"]}


async def test_two_invitations_of_one_new_email_accepted_at_once_make_one_account(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    manager = await login(app_client, MANAGER)
    invitations = [
        await invite(app_client, manager, workspace, "twice@example.com")
        for workspace in (acme, globex)
    ]
    bodies = [
        {"token": i["token"], "display_name": "Twice", "password": NEW_PASSWORD}
        for i in invitations
    ]

    first, second = await asyncio.gather(*(accept(app_client, body) for body in bodies))

    # One creates the account; the other either lost the race on the email (409) or ran
    # after it and found an existing account it is not signed in as (401). Never a 500.
    (won, _), (lost, lost_body) = sorted(
        [(first, bodies[0]), (second, bodies[1])], key=lambda pair: pair[0].status_code
    )
    assert won.status_code == 200, won.text
    assert lost.status_code in {401, 409}, lost.text
    # The refused invitation is still open: signed in, the new account accepts it.
    signed_in = await login(app_client, "twice@example.com", NEW_PASSWORD)
    retried = await accept(app_client, {"token": lost_body["token"]}, signed_in)
    assert retried.status_code == 200, retried.text
    assert await memberships(container, "twice@example.com") == {
        acme: WorkspaceRole.VIEWER,
        globex: WorkspaceRole.VIEWER,
    }


async def test_two_concurrent_invitations_of_one_email_create_one(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    manager = await login(app_client, "strategist@northwind.example")
    url = f"/api/v1/workspaces/{demo['acme-running']}/invitations"
    body = {"email": "twice@example.com", "role": "viewer"}
    first, second = await asyncio.gather(
        app_client.post(url, json=body, headers=manager),
        app_client.post(url, json=body, headers=manager),
    )
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    listed = (await app_client.get(url, headers=manager)).json()
    assert [i["email"] for i in listed].count("twice@example.com") == 1
