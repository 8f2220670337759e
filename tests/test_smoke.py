import uuid

import httpx

from tests.conftest import login


async def test_manager_lists_and_creates_campaigns(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    headers = await login(app_client, "strategist@northwind.example")
    acme = demo["acme-running"]
    r = await app_client.get(f"/api/v1/workspaces/{acme}/campaigns", headers=headers)
    assert r.status_code == 200, r.text
    assert {c["name"] for c in r.json()["items"]} == {
        "Spring Trail Launch",
        "City Marathon Partnership",
    }
