"""JSON logs with request context, one access line per request, and never a secret."""

from __future__ import annotations

import logging
import uuid

import httpx

from brandflow.kernel.telemetry import get_logger
from tests.conftest import DEMO_PASSWORD
from tests.ops.conftest import CapturedLogs


async def test_no_secret_ever_reaches_the_logs(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], captured_logs: CapturedLogs
) -> None:
    email = "strategist@northwind.example"
    workspace = demo["acme-running"]

    signed_in = await app_client.post(
        "/api/v1/auth/token", data={"username": email, "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 200, signed_in.text
    tokens = signed_in.json()
    wrong = await app_client.post(
        "/api/v1/auth/token", data={"username": email, "password": "wrong-" + DEMO_PASSWORD}
    )
    assert wrong.status_code == 401
    refreshed = await app_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200, refreshed.text
    new_tokens = refreshed.json()
    bearer = {"Authorization": f"Bearer {new_tokens['access_token']}"}
    created = await app_client.post(
        f"/api/v1/workspaces/{workspace}/api-keys",
        json={"name": "ci", "permissions": ["campaigns:read"]},
        headers=bearer,
    )
    assert created.status_code == 201, created.text
    api_key = created.json()["secret"]
    listed = await app_client.get(
        f"/api/v1/workspaces/{workspace}/campaigns",
        headers={"Authorization": f"Bearer {api_key}", "X-Request-ID": "secret-test-0001"},
    )
    assert listed.status_code == 200, listed.text

    # Careless code, ours or a library's, must not leak either.
    get_logger("tests.careless").warning(
        "careless", password=DEMO_PASSWORD, headers={"Authorization": f"Bearer {api_key}"}
    )
    get_logger("tests.careless").info(f"refreshing refresh_token={tokens['refresh_token']}")
    logging.getLogger("uvicorn.error").warning(
        "Authorization: Bearer %s", new_tokens["access_token"]
    )
    logging.getLogger("sqlalchemy.engine.Engine").warning(
        "connect to postgresql://app:%s@db/app failed", DEMO_PASSWORD
    )

    text = captured_logs.text
    secrets = {
        "password": DEMO_PASSWORD,
        "access token": tokens["access_token"],
        "refresh token": tokens["refresh_token"],
        "rotated access token": new_tokens["access_token"],
        "rotated refresh token": new_tokens["refresh_token"],
        "API key secret": api_key,
        "API key secret body": api_key.split(".", 1)[1],
    }
    for what, secret in secrets.items():
        assert secret not in text, f"the {what} reached the logs"

    lines = captured_logs.lines()  # every line is one JSON object
    access = [line for line in lines if line.get("event") == "request"]
    assert len(access) >= 5
    call = next(line for line in access if line.get("request_id") == "secret-test-0001")
    assert call["method"] == "GET"
    assert call["route"] == "/api/v1/workspaces/{workspace_id}/campaigns"
    assert call["status"] == 200
    assert isinstance(call["duration_ms"], float | int)
    assert call["workspace_id"] == str(workspace)
    assert call["actor"].startswith("api_key:")
    assert call["level"] == "info"
    assert call["timestamp"]
    # The stdlib records went through the same JSON renderer.
    stdlib = [line for line in lines if line.get("logger_name") == "uvicorn.error"]
    assert stdlib
    assert "[redacted]" in stdlib[0]["event"]


async def test_each_request_gets_one_access_line_with_its_context(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], captured_logs: CapturedLogs
) -> None:
    response = await app_client.get("/api/v1/nowhere", headers={"X-Request-ID": "access-0000001"})
    assert response.status_code == 404
    lines = [line for line in captured_logs.lines() if line.get("request_id") == "access-0000001"]
    assert [line["event"] for line in lines] == ["request"]
    assert lines[0]["status"] == 404
    assert lines[0]["route"] == "<unmatched>"
    assert "actor" not in lines[0]
