"""Every error leaves as RFC 9457 application/problem+json, and none leaks a stack trace."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import jwt
import pytest
from fastapi import FastAPI

from brandflow.app import create_app
from brandflow.bootstrap import Container
from brandflow.kernel.auth.tokens import ALGORITHM, AUDIENCE, ISSUER
from brandflow.kernel.db import utcnow
from tests.conftest import login

PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert isinstance(body["type"], str)
    assert body["type"].startswith("https://")
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    assert "Traceback" not in response.text
    assert response.headers.get("x-request-id")
    return body


def campaigns_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/campaigns"


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, "strategist@northwind.example")


# --- 401 -------------------------------------------------------------------------------


async def test_no_token_is_401(app_client: httpx.AsyncClient) -> None:
    assert_problem(await app_client.get("/api/v1/me"), 401)


async def test_bad_token_is_401(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert_problem(response, 401)


async def test_expired_token_is_401(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    me = await app_client.get(
        "/api/v1/me", headers=await login(app_client, "strategist@northwind.example")
    )
    assert me.status_code == 200
    issued = utcnow() - timedelta(hours=2)
    expired = jwt.encode(
        {
            "sub": me.json()["user"]["id"],
            "sid": str(uuid.uuid4()),
            "iat": issued,
            "exp": issued + timedelta(minutes=15),
            "iss": ISSUER,
            "aud": AUDIENCE,
        },
        container.settings.secret_key.get_secret_value(),
        algorithm=ALGORITHM,
    )
    response = await app_client.get("/api/v1/me", headers={"Authorization": f"Bearer {expired}"})
    assert_problem(response, 401)


# --- 404 / 405 -------------------------------------------------------------------------


async def test_unknown_route_is_404_problem(app_client: httpx.AsyncClient) -> None:
    body = assert_problem(await app_client.get("/api/v1/no-such-thing"), 404)
    assert body["type"] == "https://brandflow.dev/problems/not-found"


async def test_another_tenants_workspace_is_404(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    acme_client = await login(app_client, "client@acme.example")
    own = await app_client.get(f"/api/v1/workspaces/{demo['acme-running']}", headers=acme_client)
    assert own.status_code == 200, own.text
    for url in (
        f"/api/v1/workspaces/{demo['globex-coffee']}",
        campaigns_url(demo["globex-coffee"]),
        f"/api/v1/workspaces/{uuid.uuid4()}",
    ):
        body = assert_problem(await app_client.get(url, headers=acme_client), 404)
        assert "globex" not in str(body).lower()


async def test_wrong_method_is_405_problem_with_allow(app_client: httpx.AsyncClient) -> None:
    response = await app_client.delete("/api/v1/auth/token")
    assert_problem(response, 405)
    assert "POST" in response.headers["allow"]


# --- 422 -------------------------------------------------------------------------------


async def test_validation_errors_list_fields(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    response = await app_client.post(
        campaigns_url(demo["acme-running"]),
        json={"name": "", "channels": ["fax"], "surprise": 1},
        headers=manager,
    )
    body = assert_problem(response, 422)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert errors
    for error in errors:
        assert set(error) == {"loc", "msg", "type"}
    locs = {tuple(map(str, e["loc"])) for e in errors}
    assert ("body", "name") in locs
    assert ("body", "channels", "0") in locs
    assert ("body", "surprise") in locs


async def test_malformed_json_is_422_problem(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    response = await app_client.post(
        campaigns_url(demo["acme-running"]),
        content=b'{"name": "unterminated',
        headers={**manager, "Content-Type": "application/json"},
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["type"] == "json_invalid"  # type: ignore[index]


async def test_validation_errors_never_echo_the_input(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    """A refused password must not come back in the problem (it would reach browser logs)."""
    password = "hunter2-" + "x" * 2000  # over the form's max_length
    response = await app_client.post(
        "/api/v1/auth/token",
        data={"username": "strategist@northwind.example", "password": password},
    )
    assert_problem(response, 422)
    assert "hunter2" not in response.text


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/auth/refresh", {"refresh_token": "x" * 40, "extra": 1}),
        (
            "/api/v1/workspaces/{ws}/api-keys",
            {"name": "k", "permissions": ["campaigns:read"], "x": 1},
        ),
        ("/api/v1/workspaces/{ws}/invitations", {"email": "a@b.example", "role": "editor", "x": 1}),
    ],
)
async def test_write_models_reject_unknown_fields(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
    url: str,
    body: dict[str, object],
) -> None:
    response = await app_client.post(
        url.format(ws=demo["acme-running"]), json=body, headers=manager
    )
    problem = assert_problem(response, 422)
    assert any(e["type"] == "extra_forbidden" for e in problem["errors"])  # type: ignore[attr-defined]


# --- 500 -------------------------------------------------------------------------------


@pytest.fixture
async def failing_client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(container.settings, container=container)
    container.attach(app)

    @app.get("/test/boom")
    async def boom() -> None:
        raise RuntimeError("internal detail: db password is swordfish")

    @app.get("/test/boom/{item_id}")
    async def boom_item(item_id: str) -> None:
        raise KeyError(item_id)

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize("path", ["/test/boom", "/test/boom/abc"])
async def test_unhandled_error_is_500_problem_without_internals(
    failing_client: httpx.AsyncClient, path: str
) -> None:
    response = await failing_client.get(path, headers={"X-Request-ID": "trace-me-500-abc"})
    body = assert_problem(response, 500)
    assert body["type"] == "https://brandflow.dev/problems/internal-error"
    for leak in ("Traceback", "RuntimeError", "KeyError", "swordfish", 'File "'):
        assert leak not in response.text
    assert response.headers["x-request-id"] == "trace-me-500-abc"
