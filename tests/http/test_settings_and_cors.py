"""Production refuses a guessable signing key; CORS only for configured origins."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from brandflow.app import create_app
from brandflow.bootstrap import Container
from brandflow.settings import DEV_SECRET_KEY, Settings


@pytest.mark.parametrize("secret", [DEV_SECRET_KEY, "short-secret"])
def test_production_refuses_a_weak_secret_key(secret: str) -> None:
    with pytest.raises(ValidationError, match="BRANDFLOW_SECRET_KEY"):
        Settings(environment="production", secret_key=secret)


def test_production_accepts_a_strong_secret_key() -> None:
    settings = Settings(
        environment="production", secret_key="x" * 48, encryption_key="A" * 43 + "="
    )
    assert settings.secret_key.get_secret_value() == "x" * 48


async def _preflight(container: Container, origins: list[str]) -> httpx.Response:
    settings = container.settings.model_copy(update={"cors_origins": origins})
    app = create_app(settings, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.options(
            "/api/v1/workspaces",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )


async def test_cors_allows_only_configured_origins(container: Container) -> None:
    allowed = await _preflight(container, ["https://app.example"])
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"

    other = await _preflight(container, ["https://other.example"])
    assert "access-control-allow-origin" not in other.headers

    none = await _preflight(container, [])
    assert "access-control-allow-origin" not in none.headers
