"""Read caches (ADR 0008): never stale after our own writes, eventually fresh across
processes, access taken away at once, and identical behaviour when disabled."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from pydantic import TypeAdapter
from starlette.types import Message, Receive, Scope, Send

from brandflow.app import create_app
from brandflow.bootstrap import Container, build_container
from brandflow.contexts.campaigns.schemas import CampaignRead
from brandflow.kernel.cache import CachedGetMiddleware
from brandflow.kernel.pagination import Page
from brandflow.settings import Settings
from tests.conftest import DEMO_PASSWORD, login

MANAGER = "strategist@northwind.example"
BRIEF = {
    "name": "Cache probe",
    "objective": "See it appear",
    "audience": "Tests",
    "key_messages": ["Fresh"],
    "channels": ["email"],
    "budget": {"amount": "10.00", "currency": "EUR"},
}
PAGE = TypeAdapter(Page[CampaignRead])


def campaigns_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/campaigns"


async def names(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> list[str]:
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


@pytest.fixture(params=["caches-on", "caches-off"])
async def client(
    request: pytest.FixtureRequest, settings: Settings, container: Container
) -> AsyncIterator[httpx.AsyncClient]:
    """The same app with the read caches on (test defaults) and off (both settings 0)."""
    if request.param == "caches-on":
        c = container
    else:
        off = settings.model_copy(update={"access_cache_seconds": 0, "list_cache_seconds": 0})
        c = await build_container(off)
        c.run_relay = False
        assert c.access_cache is None
        assert c.list_cache is None
        assert c.listener is None
    app = create_app(c.settings, container=c)
    c.attach(app)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        if c is not container:
            await c.close()


async def test_the_list_body_is_what_the_response_model_serializes(
    client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    headers = await login(client, MANAGER)
    for query in ("", "?limit=1", "?status=planned", "?channel=email", "?q=a"):
        response = await client.get(campaigns_url(demo["acme-running"]) + query, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        page = PAGE.validate_json(response.content)
        assert PAGE.dump_json(page) == response.content
    first = await client.get(campaigns_url(demo["acme-running"]) + "?limit=1", headers=headers)
    cursor = first.json()["next_cursor"]
    assert cursor
    second = await client.get(
        campaigns_url(demo["acme-running"]) + f"?limit=1&cursor={cursor}", headers=headers
    )
    assert second.json()["items"][0]["id"] != first.json()["items"][0]["id"]


async def test_create_update_and_archive_show_in_the_next_list(
    client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    headers = await login(client, MANAGER)
    url = campaigns_url(demo["acme-running"])
    before = await names(client, url, headers)
    assert "Cache probe" not in before

    created = await client.post(url, json=BRIEF, headers=headers)
    assert created.status_code == 201, created.text
    assert (await names(client, url, headers))[0] == "Cache probe"

    campaign = f"{url}/{created.json()['id']}"
    renamed = await client.patch(
        campaign,
        json={"name": "Cache probe, renamed"},
        headers={**headers, "If-Match": created.headers["ETag"]},
    )
    assert renamed.status_code == 200, renamed.text
    assert (await names(client, url, headers))[0] == "Cache probe, renamed"

    archived = await client.post(f"{campaign}/archive", headers=headers)
    assert archived.status_code == 200
    listed = (await client.get(url, headers=headers)).json()["items"]
    assert listed[0]["status"] == "archived"
    assert [
        i["name"]
        for i in (await client.get(f"{url}?status=archived", headers=headers)).json()["items"]
    ] == ["Cache probe, renamed"]


async def test_a_removed_member_loses_access_at_once(
    client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    manager = await login(client, MANAGER)
    writer = await login(client, "writer@northwind.example")
    url = campaigns_url(acme)
    assert (await client.get(url, headers=writer)).status_code == 200  # access now cached
    members = (await client.get(f"/api/v1/workspaces/{acme}/members", headers=manager)).json()
    writer_id = next(m["user_id"] for m in members if m["email"] == "writer@northwind.example")
    removed = await client.delete(f"/api/v1/workspaces/{acme}/members/{writer_id}", headers=manager)
    assert removed.status_code == 204
    assert (await client.get(url, headers=writer)).status_code == 404


async def test_a_demoted_member_loses_write_access_at_once(
    client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    manager = await login(client, MANAGER)
    writer = await login(client, "writer@northwind.example")
    url = campaigns_url(acme)
    assert (await client.post(url, json=BRIEF, headers=writer)).status_code == 201
    members = (await client.get(f"/api/v1/workspaces/{acme}/members", headers=manager)).json()
    writer_id = next(m["user_id"] for m in members if m["email"] == "writer@northwind.example")
    changed = await client.patch(
        f"/api/v1/workspaces/{acme}/members/{writer_id}", json={"role": "reviewer"}, headers=manager
    )
    assert changed.status_code == 200
    assert (await client.post(url, json=BRIEF, headers=writer)).status_code == 403


async def test_a_signed_out_session_loses_access_at_once(
    client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    headers = await login(client, "reviewer@northwind.example")
    url = campaigns_url(demo["acme-running"])
    assert (await client.get(url, headers=headers)).status_code == 200
    assert (await client.get(url, headers=headers)).status_code == 200  # served from caches
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    assert (await client.get(url, headers=headers)).status_code == 401


async def test_a_revoked_api_key_loses_access_at_once(
    client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    manager = await login(client, MANAGER)
    keys = f"/api/v1/workspaces/{acme}/api-keys"
    created = await client.post(
        keys, json={"name": "probe", "permissions": ["campaigns:read"]}, headers=manager
    )
    assert created.status_code == 201, created.text
    key = {"Authorization": f"Bearer {created.json()['secret']}"}
    url = campaigns_url(acme)
    assert (await client.get(url, headers=key)).status_code == 200
    assert (await client.get(url, headers=key)).status_code == 200
    revoked = await client.delete(f"{keys}/{created.json()['id']}", headers=manager)
    assert revoked.status_code == 204
    assert (await client.get(url, headers=key)).status_code == 401


async def test_access_is_still_checked_on_a_cached_page(
    client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    url = campaigns_url(demo["acme-running"])
    manager = await login(client, MANAGER)
    assert (await client.get(url, headers=manager)).status_code == 200
    assert (await client.get(url)).status_code == 401
    outsider = await login(client, "client@globex.example", DEMO_PASSWORD)
    assert (await client.get(url, headers=outsider)).status_code == 404


# --------------------------------------------------------------------------- two processes


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> bool:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        if await check():
            return True
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)


async def test_a_change_in_one_instance_reaches_the_other(
    container: Container, settings: Settings, demo: dict[str, uuid.UUID]
) -> None:
    """Two containers on one database stand for two processes: NOTIFY carries the news."""
    other = await build_container(settings)
    other.run_relay = False
    assert container.listener is not None
    assert other.listener is not None
    await container.listener.start()
    await other.listener.start()
    assert other.listener.listening
    try:
        apps = []
        for c in (container, other):
            app = create_app(c.settings, container=c)
            c.attach(app)
            apps.append(app)
        transports = [httpx.ASGITransport(app=a, raise_app_exceptions=False) for a in apps]
        async with (
            httpx.AsyncClient(transport=transports[0], base_url="http://a") as first,
            httpx.AsyncClient(transport=transports[1], base_url="http://b") as second,
        ):
            url = campaigns_url(demo["acme-running"])
            manager = await login(first, MANAGER)
            writer = await login(second, "writer@northwind.example")
            assert "Cache probe" not in await names(second, url, writer)  # cached in B
            assert (await first.post(url, json=BRIEF, headers=manager)).status_code == 201

            async def seen() -> bool:
                return "Cache probe" in await names(second, url, writer)

            assert await eventually(seen)

            # Access taken away in A is taken away in B, too.
            acme = demo["acme-running"]
            members = (
                await first.get(f"/api/v1/workspaces/{acme}/members", headers=manager)
            ).json()
            writer_id = next(
                m["user_id"] for m in members if m["email"] == "writer@northwind.example"
            )
            removed = await first.delete(
                f"/api/v1/workspaces/{acme}/members/{writer_id}", headers=manager
            )
            assert removed.status_code == 204

            async def refused() -> bool:
                return (await second.get(url, headers=writer)).status_code == 404

            assert await eventually(refused)
    finally:
        await container.listener.stop()
        await other.listener.stop()
        await other.close()


# --------------------------------------------------------------------------- fast path


class Inner:
    """The rest of the stack, standing in below ``CachedGetMiddleware``: records if reached."""

    def __init__(self) -> None:
        self.called = 0
        self.messages: list[Message] = []  # what the middleware sent to the client

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called += 1
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"inner"})


async def call(app: object, path: str, query: bytes, headers: list[tuple[bytes, bytes]]) -> Inner:
    inner = Inner()

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        inner.messages.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "headers": headers,
        "app": app,
    }
    await CachedGetMiddleware(inner)(scope, receive, send)
    return inner


async def test_the_fast_path_answers_only_callers_the_caches_vouch_for(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    app = create_app(container.settings, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        acme = demo["acme-running"]
        path = campaigns_url(acme)
        manager = await login(client, MANAGER)
        reviewer = await login(client, "reviewer@northwind.example")
        outsider = await login(client, "client@globex.example")
        full = await client.get(f"{path}?limit=2", headers=manager)
        assert full.status_code == 200

        def auth(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
            return [(b"authorization", headers["Authorization"].encode())]

        hit = await call(app, path, b"limit=2", auth(manager))
        assert hit.called == 0
        start, body = hit.messages
        assert start["status"] == 200
        assert body["body"] == full.content
        assert dict(start["headers"])[b"content-type"] == full.headers["content-type"].encode()

        # Not answered from the caches: another query, no or a bad credential, a caller
        # whose access is not cached yet, or one without access at all.
        assert (await call(app, path, b"limit=3", auth(manager))).called == 1
        assert (await call(app, path, b"limit=2", [])).called == 1
        bad = [(b"authorization", b"Bearer not-a-token")]
        assert (await call(app, path, b"limit=2", bad)).called == 1
        assert (await call(app, path, b"limit=2", auth(reviewer))).called == 1
        assert (await call(app, path, b"limit=2", auth(outsider))).called == 1
        assert (await client.get(f"{path}?limit=2", headers=outsider)).status_code == 404
        assert (await call(app, path, b"limit=2", auth(outsider))).called == 1

        # A write to the collection makes the page stale: back to the full path.
        assert (await client.post(path, json=BRIEF, headers=manager)).status_code == 201
        assert (await call(app, path, b"limit=2", auth(manager))).called == 1
        fresh = await client.get(f"{path}?limit=2", headers=manager)
        assert fresh.json()["items"][0]["name"] == "Cache probe"
        again = await call(app, path, b"limit=2", auth(manager))
        assert again.called == 0
        assert again.messages[1]["body"] == fresh.content


async def test_the_fast_path_checks_the_permission_of_a_cached_api_key(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    app = create_app(container.settings, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        acme = demo["acme-running"]
        path = campaigns_url(acme)
        manager = await login(client, MANAGER)
        keys = f"/api/v1/workspaces/{acme}/api-keys"
        made = {}
        for perms in (["campaigns:read"], ["content:read"]):
            created = await client.post(
                keys, json={"name": perms[0], "permissions": perms}, headers=manager
            )
            assert created.status_code == 201, created.text
            made[perms[0]] = [(b"authorization", f"Bearer {created.json()['secret']}".encode())]
        reader = {"Authorization": made["campaigns:read"][0][1].decode()}
        other = {"Authorization": made["content:read"][0][1].decode()}
        assert (await client.get(path, headers=reader)).status_code == 200
        assert (await client.get(path, headers=other)).status_code == 403  # now cached, too
        assert (await call(app, path, b"", made["campaigns:read"])).called == 0
        assert (await call(app, path, b"", made["content:read"])).called == 1
