"""The built web app served from the API process: routes fall back, assets cache, text compresses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from brandflow.app import create_app
from brandflow.bootstrap import Container

INDEX = "<!doctype html><html lang='en'><title>Brandflow</title><div id='root'></div></html>"
ASSET = "assets/index-3f9a1c.js"


@pytest.fixture
async def web_client(container: Container, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / ASSET).write_text("export const answer = 42;\n" * 400)
    settings = container.settings.model_copy(update={"web_dist_dir": tmp_path})
    app = create_app(settings, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_index_is_served_at_the_root_and_revalidated(web_client: httpx.AsyncClient) -> None:
    response = await web_client.get("/")
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/sign-in", "/w/0b6f/campaigns", "/w/0b6f/campaigns/9a/contents"])
async def test_client_side_routes_fall_back_to_the_app(
    web_client: httpx.AsyncClient, path: str
) -> None:
    response = await web_client.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == "no-cache"


async def test_hashed_assets_are_cached_for_a_year_and_compressed(
    web_client: httpx.AsyncClient,
) -> None:
    response = await web_client.get(f"/{ASSET}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < 1000  # 10 kB of repetition, compressed
    assert response.text.startswith("export const answer")  # httpx decoded it


@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/api", "/healthz/extra", "/assets/gone-123.js", "/logo.png"]
)
async def test_server_paths_and_missing_files_stay_404(
    web_client: httpx.AsyncClient, path: str
) -> None:
    response = await web_client.get(path)
    assert response.status_code == 404
    assert "Brandflow</title>" not in response.text


async def test_unknown_api_paths_answer_problem_json(web_client: httpx.AsyncClient) -> None:
    response = await web_client.get("/api/v1/nope")
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_api_still_answers_beside_the_app(web_client: httpx.AsyncClient) -> None:
    assert (await web_client.get("/healthz")).status_code == 200
    assert (await web_client.post("/api/v1/auth/session", json={})).status_code == 422


async def test_without_a_build_the_root_is_a_404(container: Container, tmp_path: Path) -> None:
    settings = container.settings.model_copy(update={"web_dist_dir": tmp_path / "missing"})
    app = create_app(settings, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await client.get("/")).status_code == 404


async def test_api_routes_keep_their_own_405_and_404_beside_the_app(
    web_client: httpx.AsyncClient,
) -> None:
    wrong_method = await web_client.delete("/api/v1/auth/token")  # a POST-only route
    assert wrong_method.status_code == 405
    assert "POST" in wrong_method.headers["allow"]
    assert wrong_method.headers["content-type"] == "application/problem+json"
    for method in ("POST", "PUT", "DELETE"):
        unknown = await web_client.request(method, "/api/v1/no-such-thing")
        assert unknown.status_code == 404, method
        assert unknown.headers["content-type"] == "application/problem+json"


async def test_unsafe_methods_on_app_routes_are_refused(web_client: httpx.AsyncClient) -> None:
    response = await web_client.post("/w/0b6f/campaigns", json={})
    assert response.status_code == 405
    assert "Brandflow</title>" not in response.text
