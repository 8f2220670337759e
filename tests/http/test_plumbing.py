"""Request ids on every response, and the request body size limit."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from brandflow.bootstrap import Container
from tests.conftest import login
from tests.http.test_problems import assert_problem

# --- X-Request-ID ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/api/v1/me", 401),
        ("GET", "/api/v1/nowhere", 404),
        ("DELETE", "/api/v1/auth/token", 405),
        ("POST", "/api/v1/auth/token", 422),
    ],
)
async def test_every_response_carries_a_request_id(
    app_client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    first = await app_client.request(method, path)
    second = await app_client.request(method, path)
    assert first.status_code == status
    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2  # minted per request
    for rid in ids:
        assert uuid.UUID(rid)


async def test_a_well_formed_caller_request_id_is_kept(app_client: httpx.AsyncClient) -> None:
    for rid in ("req-1234abcd", "01J9Z3K5Q8:edge.lb-7", "a" * 128):
        response = await app_client.get("/api/v1/nowhere", headers={"X-Request-ID": rid})
        assert response.headers["x-request-id"] == rid
        assert len(response.headers.get_list("x-request-id")) == 1


@pytest.mark.parametrize(
    "rid",
    [
        "a" * 129,  # too long
        "short",  # too short
        "bad\x01id-with-control",  # control character
        "has spaces in it",
        "quote\"injection'here",
        "newline\\nfake=log",
    ],
)
async def test_a_malformed_request_id_is_replaced(app_client: httpx.AsyncClient, rid: str) -> None:
    response = await app_client.get("/healthz", headers=[(b"x-request-id", rid.encode())])
    assert response.status_code == 200
    assert response.headers["x-request-id"] != rid
    assert uuid.UUID(response.headers["x-request-id"])


# --- Body size -------------------------------------------------------------------------


@pytest.fixture
def max_bytes(container: Container) -> int:
    return container.settings.max_body_bytes


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, "strategist@northwind.example")


def oversized_json(max_bytes: int) -> bytes:
    return b'{"name": "' + b"x" * (max_bytes + 10) + b'"}'


async def test_body_over_the_limit_by_content_length_is_413(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
    max_bytes: int,
) -> None:
    response = await app_client.post(
        f"/api/v1/workspaces/{demo['acme-running']}/campaigns",
        content=oversized_json(max_bytes),
        headers={**manager, "Content-Type": "application/json"},
    )
    assert_problem(response, 413)


async def _chunks(body: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/workspaces/{ws}/campaigns", "application/json"),
        ("/api/v1/auth/token", "application/x-www-form-urlencoded"),
        ("/api/v1/workspaces/{ws}/campaigns", "text/plain"),
    ],
)
async def test_body_over_the_limit_while_streaming_is_413(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
    max_bytes: int,
    path: str,
    content_type: str,
) -> None:
    request = app_client.build_request(
        "POST",
        path.format(ws=demo["acme-running"]),
        content=_chunks(oversized_json(max_bytes)),
        headers={**manager, "Content-Type": content_type},
    )
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"
    response = await app_client.send(request)
    assert_problem(response, 413)


async def test_body_under_the_limit_passes(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    body = (
        b'{"name": "Streamed", "objective": "o", "audience": "a", "channels": ["email"],'
        b' "start_date": "2027-01-01", "end_date": "2027-02-01",'
        b' "budget": {"amount": "10", "currency": "EUR"}}'
    )
    request = app_client.build_request(
        "POST",
        f"/api/v1/workspaces/{demo['acme-running']}/campaigns",
        content=_chunks(body, size=16),
        headers={**manager, "Content-Type": "application/json"},
    )
    response = await app_client.send(request)
    assert response.status_code == 201, response.text
