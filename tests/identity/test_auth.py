"""Sign-in, refresh-token rotation with reuse detection, and sign-out."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import update

from brandflow.bootstrap import Container
from brandflow.contexts.identity.orm import User
from brandflow.seed import ACCOUNTS
from tests.conftest import DEMO_PASSWORD, login

TOKEN_URL = "/api/v1/auth/token"


async def sign_in(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await client.post(TOKEN_URL, data={"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("email", sorted(ACCOUNTS))
async def test_every_demo_account_signs_in(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], email: str
) -> None:
    response = await app_client.post(
        TOKEN_URL, data={"username": email.upper(), "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] > 0
    assert body["refresh_token"]
    assert response.headers["Cache-Control"] == "no-store"
    me = await app_client.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["user"]["email"] == email


async def test_wrong_password_and_unknown_email_get_the_same_401(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    wrong = await app_client.post(
        TOKEN_URL, data={"username": "writer@northwind.example", "password": "not-it"}
    )
    unknown = await app_client.post(
        TOKEN_URL, data={"username": "nobody@northwind.example", "password": DEMO_PASSWORD}
    )
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "access_token" not in response.text
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert wrong.json()["type"] == unknown.json()["type"]


async def test_garbage_and_missing_tokens_are_401(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    for headers in ({}, bearer("not-a-jwt"), bearer("bfk_nope.secret")):
        response = await app_client.get("/api/v1/workspaces", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_refresh_rotates_the_refresh_token(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    first = await sign_in(app_client, "writer@northwind.example")
    rotated = await app_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    workspace = f"/api/v1/workspaces/{demo['acme-running']}"
    assert (
        await app_client.get(workspace, headers=bearer(second["access_token"]))
    ).status_code == 200
    # The newest token rotates again.
    third = await app_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert third.status_code == 200


async def test_reusing_a_rotated_refresh_token_revokes_the_session(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    first = await sign_in(app_client, "writer@northwind.example")
    other_session = await sign_in(app_client, "writer@northwind.example")
    second = (
        await app_client.post(
            "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
        )
    ).json()

    reuse = await app_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert reuse.status_code == 401
    assert reuse.headers["content-type"].startswith("application/problem+json")

    newest = await app_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert newest.status_code == 401
    workspace = f"/api/v1/workspaces/{demo['acme-running']}"
    campaigns = f"{workspace}/campaigns"
    for token in (first["access_token"], second["access_token"]):
        assert (await app_client.get(workspace, headers=bearer(token))).status_code == 401
        assert (await app_client.get(campaigns, headers=bearer(token))).status_code == 401
        assert (await app_client.get("/api/v1/me", headers=bearer(token))).status_code == 401
    # Another sign-in session of the same user is untouched.
    other = bearer(other_session["access_token"])
    assert (await app_client.get(workspace, headers=other)).status_code == 200


async def test_logout_revokes_the_access_token(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    tokens = await sign_in(app_client, "reviewer@northwind.example")
    headers = bearer(tokens["access_token"])
    workspace = f"/api/v1/workspaces/{demo['acme-running']}"
    assert (await app_client.get(workspace, headers=headers)).status_code == 200

    assert (await app_client.post("/api/v1/auth/logout", headers=headers)).status_code == 204

    for url in (workspace, f"{workspace}/campaigns", "/api/v1/me", "/api/v1/workspaces"):
        response = await app_client.get(url, headers=headers)
        assert response.status_code == 401, url
    refreshed = await app_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401


async def test_logout_with_a_refresh_token(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    tokens = await sign_in(app_client, "reviewer@northwind.example")
    out = await app_client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
    )
    assert out.status_code == 204
    me = await app_client.get("/api/v1/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 401


async def test_a_deactivated_user_can_neither_refresh_nor_act(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], container: Container
) -> None:
    tokens = await sign_in(app_client, "writer@northwind.example")
    async with container.sessionmaker() as session, session.begin():
        await session.execute(
            update(User).where(User.email == "writer@northwind.example").values(is_active=False)
        )
    refreshed = await app_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    workspace = f"/api/v1/workspaces/{demo['acme-running']}"
    assert (
        await app_client.get(workspace, headers=bearer(tokens["access_token"]))
    ).status_code == 401
    retry = await app_client.post(
        TOKEN_URL, data={"username": "writer@northwind.example", "password": DEMO_PASSWORD}
    )
    assert retry.status_code == 401


async def test_login_helper_still_works(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    headers = await login(app_client, "owner@northwind.example")
    assert (await app_client.get("/api/v1/me", headers=headers)).status_code == 200
