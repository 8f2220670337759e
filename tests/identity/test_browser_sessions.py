"""Web-app sessions the BFF way: an httpOnly cookie, a CSRF token, sign-out on the server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import update

from brandflow.app import create_app
from brandflow.bootstrap import Container
from brandflow.contexts.identity.orm import User
from brandflow.kernel.auth.tokens import SESSION_COOKIE
from tests.conftest import DEMO_PASSWORD, login

SESSION_URL = "/api/v1/auth/session"
WRITER = "writer@northwind.example"


async def sign_in(client: httpx.AsyncClient, email: str = WRITER) -> dict[str, str]:
    """Signs in with the cookie; returns the headers unsafe requests need."""
    response = await client.post(SESSION_URL, json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"X-CSRF-Token": response.json()["csrf_token"]}


def campaigns_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/campaigns"


NEW_CAMPAIGN = {"name": "Trail week", "objective": "Awareness", "channels": ["x"]}


async def test_sign_in_sets_an_http_only_lax_cookie_and_returns_no_token(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    response = await app_client.post(SESSION_URL, json={"email": WRITER, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith(f"{SESSION_COOKIE}=")
    attributes = {part.strip().lower() for part in set_cookie.split(";")}
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    assert "secure" not in attributes  # plain http here; see the https test
    body = response.json()
    assert set(body) == {"user", "csrf_token", "expires_at"}
    assert body["user"]["email"] == WRITER
    secret = app_client.cookies[SESSION_COOKIE]
    assert secret not in response.text  # the secret travels in the cookie only
    assert response.headers["Cache-Control"] == "no-store"

    me = await app_client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["user"]["email"] == WRITER
    again = await app_client.get(SESSION_URL)
    assert again.status_code == 200
    assert again.json()["csrf_token"] == body["csrf_token"]


async def test_the_cookie_is_secure_under_https(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    app = create_app(container.settings, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://brandflow.test") as client:
        response = await client.post(SESSION_URL, json={"email": WRITER, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "secure" in {p.strip().lower() for p in response.headers["set-cookie"].split(";")}


async def test_a_wrong_password_sets_no_cookie(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    response = await app_client.post(SESSION_URL, json={"email": WRITER, "password": "nope"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "set-cookie" not in response.headers
    assert (await app_client.get(SESSION_URL)).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": WRITER},
        {"email": 7, "password": DEMO_PASSWORD},
        {"email": "x" * 400, "password": "p"},
    ],
)
async def test_malformed_sign_ins_are_422(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], body: dict[str, object]
) -> None:
    response = await app_client.post(SESSION_URL, json=body)
    assert response.status_code == 422
    assert response.json()["errors"]


async def test_unsafe_requests_need_the_csrf_token(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    csrf = await sign_in(app_client)
    url = campaigns_url(demo["acme-running"])
    missing = await app_client.post(url, json=NEW_CAMPAIGN)
    assert missing.status_code == 403
    assert missing.json()["type"].endswith("/csrf")
    wrong = await app_client.post(url, json=NEW_CAMPAIGN, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    listed = await app_client.get(url)  # reads need no token
    assert listed.status_code == 200
    names = [c["name"] for c in listed.json()["items"]]
    assert NEW_CAMPAIGN["name"] not in names  # the refused requests created nothing

    created = await app_client.post(url, json=NEW_CAMPAIGN, headers=csrf)
    assert created.status_code == 201, created.text


async def test_another_origin_is_refused_even_with_the_token(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    csrf = await sign_in(app_client)
    evil = {**csrf, "Origin": "https://evil.example"}
    response = await app_client.post(
        campaigns_url(demo["acme-running"]), json=NEW_CAMPAIGN, headers=evil
    )
    assert response.status_code == 403
    same = {**csrf, "Origin": "http://testserver"}
    response = await app_client.post(
        campaigns_url(demo["acme-running"]), json=NEW_CAMPAIGN, headers=same
    )
    assert response.status_code == 201
    login_csrf = await app_client.post(
        SESSION_URL,
        json={"email": WRITER, "password": DEMO_PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert login_csrf.status_code == 403


async def test_sign_out_ends_the_session_on_the_server(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    csrf = await sign_in(app_client)
    url = campaigns_url(demo["acme-running"])
    assert (await app_client.get(url)).status_code == 200
    assert (await app_client.get(url)).status_code == 200  # now answered from the read cache
    stolen = app_client.cookies[SESSION_COOKIE]

    refused = await app_client.delete(SESSION_URL)  # sign-out is unsafe too
    assert refused.status_code == 403
    response = await app_client.delete(SESSION_URL, headers=csrf)
    assert response.status_code == 204
    assert "max-age=0" in response.headers["set-cookie"].lower()
    assert SESSION_COOKIE not in app_client.cookies

    app_client.cookies.set(SESSION_COOKIE, stolen)  # a copy kept from before sign-out
    for path in (url, "/api/v1/me", SESSION_URL):
        old = await app_client.get(path)
        assert old.status_code == 401, path


async def test_the_cookie_secret_is_no_refresh_token(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    await sign_in(app_client)
    secret = app_client.cookies[SESSION_COOKIE]
    response = await app_client.post("/api/v1/auth/refresh", json={"refresh_token": secret})
    assert response.status_code == 401
    assert (await app_client.get("/api/v1/me")).status_code == 200  # and it still works


async def test_a_deactivated_user_loses_the_cookie_session(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    await sign_in(app_client)
    async with container.sessionmaker.begin() as session:
        await session.execute(update(User).where(User.email == WRITER).values(is_active=False))
    if container.access_cache is not None:
        container.access_cache.clear()  # raw SQL bypasses the events that would do this
    assert (await app_client.get("/api/v1/me")).status_code == 401


async def test_bearer_credentials_win_over_the_cookie_and_need_no_csrf(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    await sign_in(app_client, "client@acme.example")  # cookie of a read-only client
    writer = await login(app_client, WRITER)
    response = await app_client.post(
        campaigns_url(demo["acme-running"]), json=NEW_CAMPAIGN, headers=writer
    )
    assert response.status_code == 201  # the bearer's rights, without a CSRF token
    me = await app_client.get("/api/v1/me", headers=writer)
    assert me.json()["user"]["email"] == WRITER


async def test_idempotency_keys_are_scoped_to_the_cookie_session(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    app = create_app(container.settings, container=container)
    container.attach(app)

    async def client() -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c

    url = campaigns_url(demo["acme-running"])
    async for first in client():
        csrf = {**await sign_in(first), "Idempotency-Key": "create-trail-week"}
        one = await first.post(url, json=NEW_CAMPAIGN, headers=csrf)
        two = await first.post(url, json=NEW_CAMPAIGN, headers=csrf)
        assert one.status_code == two.status_code == 201
        assert two.headers.get("Idempotent-Replayed") == "true"
        assert one.json()["id"] == two.json()["id"]
        async for second in client():
            other = {**await sign_in(second), "Idempotency-Key": "create-trail-week"}
            three = await second.post(url, json=NEW_CAMPAIGN, headers=other)
            assert three.status_code == 201
            assert three.headers.get("Idempotent-Replayed") is None
            assert three.json()["id"] != one.json()["id"]
