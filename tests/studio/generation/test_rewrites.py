"""Rewrites of an existing version (offline composer): each operation writes a new version
from its source, with provenance; fix_findings applies the check's exact fixes first."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from brandflow.bootstrap import Container
from tests.studio.generation.conftest import (
    Item,
    generate,
    generation,
    new_campaign,
    new_item,
)

SOURCE = (
    "TrailFlow 3 grips wet rock with a new lug pattern. It is built for long days in the hills. "
    "The upper dries fast after river crossings. The midsole stays springy in the cold. "
    "Runners who tested it kept it for the whole season. Pre-order it today."
)


async def body_of(
    client: httpx.AsyncClient, item: Item, number: int, headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.get(f"{item.url}/versions/{number}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["body"]
    return body


async def rewrite(
    client: httpx.AsyncClient,
    container: Container,
    item: Item,
    headers: dict[str, str],
    **body: Any,
) -> dict[str, Any]:
    created = await generate(client, item, headers, **body)
    await container.relay.drain()
    done = await generation(client, item, created["id"], headers)
    assert done["status"] == "succeeded", done
    return done


async def linkedin_item(
    client: httpx.AsyncClient, acme: uuid.UUID, headers: dict[str, str]
) -> Item:
    campaign = await new_campaign(client, acme, headers)
    return await new_item(client, acme, campaign, headers, {"channel": "linkedin", "text": SOURCE})


async def test_each_rewrite_writes_a_version_from_its_source(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    writer: dict[str, str],
) -> None:
    item = await linkedin_item(app_client, acme, writer)
    cases: list[tuple[dict[str, Any], dict[str, Any]]] = [
        ({"operation": "shorten"}, {"source_version": 1}),
        ({"operation": "change_tone", "tone": "playful"}, {"tone": "playful"}),
        (
            {"operation": "translate", "language": "de-DE", "source_version": 1},
            {"language": "de-DE"},
        ),
    ]
    number = 1
    for body, expected in cases:
        done = await rewrite(app_client, container, item, writer, **body)
        number += 1
        assert [v["version_number"] for v in done["variants"]] == [number]
        provenance = (await app_client.get(item.provenance(number), headers=writer)).json()
        assert provenance["operation"] == body["operation"]
        assert provenance["template"]["task"] == "rewrite"
        assert provenance["model"]["label"] == "offline composer"
        for key, value in expected.items():
            assert provenance["parameters"][key] == value
    # change_tone read version 2 (the current one then); the composer opens in the tone asked.
    playful = await body_of(app_client, item, 3, writer)
    assert playful["text"].startswith("Ready for something fun?")
    shortened = await body_of(app_client, item, 2, writer)
    assert "TrailFlow 3 grips wet rock" in shortened["text"]


async def test_fix_findings_applies_the_checks_fixes_then_asks_the_model(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    writer: dict[str, str],
) -> None:
    campaign = await new_campaign(app_client, acme, writer)
    item = await new_item(
        app_client,
        acme,
        campaign,
        writer,
        {"channel": "x", "text": "Injury-proof grip and a cheap price for every trail runner."},
    )
    await container.relay.drain()  # the checking consumer stores version 1's check
    check = await app_client.get(f"{item.url}/versions/1/check", headers=writer)
    assert check.status_code == 200, check.text
    kinds = {f["kind"] for f in check.json()["findings"]}
    assert "banned_term" in kinds

    done = await rewrite(app_client, container, item, writer, operation="fix_findings")
    assert [v["version_number"] for v in done["variants"]] == [2]
    fixed = (await body_of(app_client, item, 2, writer))["text"]
    assert "injury-proof" not in fixed.lower()
    assert "cheap" not in fixed.lower()
    assert "supportive" in fixed.lower() or "Supportive" in fixed
    provenance = (await app_client.get(item.provenance(2), headers=writer)).json()
    assert provenance["operation"] == "fix_findings"
    assert provenance["parameters"]["fixes_applied"] >= 2


async def test_fix_findings_of_clean_copy_fails_with_nothing_to_fix(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    kit = await app_client.get(f"/api/v1/workspaces/{acme}/brand-kit", headers=manager)
    emptied = await app_client.put(
        f"/api/v1/workspaces/{acme}/brand-kit",
        json={},
        headers={**manager, "If-Match": kit.headers["etag"]},
    )
    assert emptied.status_code == 200, emptied.text
    campaign = await new_campaign(app_client, acme, writer)
    item = await new_item(
        app_client, acme, campaign, writer, {"channel": "x", "text": "See you on the trail."}
    )
    created = await generate(app_client, item, writer, operation="fix_findings")
    await container.relay.drain()
    done = await generation(app_client, item, created["id"], writer)
    assert done["status"] == "failed"
    assert done["error_code"] == "nothing-to-fix"
    assert "nothing to fix" in done["reason"]
    listed = await app_client.get(f"{item.url}/versions", headers=writer)
    assert [v["number"] for v in listed.json()["items"]] == [1]


async def test_fixes_that_mend_everything_need_no_model_and_write_one_version(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    kit = await app_client.get(f"/api/v1/workspaces/{acme}/brand-kit", headers=manager)
    only_cheap = await app_client.put(
        f"/api/v1/workspaces/{acme}/brand-kit",
        json={"rules": {"banned_terms": [{"term": "cheap", "replacement": "great value"}]}},
        headers={**manager, "If-Match": kit.headers["etag"]},
    )
    assert only_cheap.status_code == 200, only_cheap.text
    campaign = await new_campaign(app_client, acme, writer)
    item = await new_item(
        app_client,
        acme,
        campaign,
        writer,
        {"channel": "x", "text": "See you on the trail in cheap shoes."},
    )
    await container.relay.drain()

    done = await rewrite(app_client, container, item, writer, operation="fix_findings", variants=3)
    assert [v["version_number"] for v in done["variants"]] == [2]
    assert done["usage"]["calls"] == 0
    fixed = await body_of(app_client, item, 2, writer)
    assert fixed["text"] == "See you on the trail in great value shoes."
    provenance = (await app_client.get(item.provenance(2), headers=writer)).json()
    assert provenance["model"] is None
    assert provenance["parameters"]["fixes_applied"] == 1
    assert provenance["usage_record_id"] is None
    assert done["variants"][0]["score"] == 100
