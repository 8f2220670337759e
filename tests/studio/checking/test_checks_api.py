"""Stored checks through the API: every version checked by the consumer, findings with their
spans, rules and fixes, the current kit, re-runs, and other tenants' ids."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

from brandflow.bootstrap import Container
from tests.conftest import login
from tests.studio.checking.conftest import (
    GLOBEX_CLIENT,
    REVIEWER,
    add_version,
    create_item,
    get_check,
    kinds,
    stored_checks,
)

WEIGHT_DISCLAIMER = "Weight compared with TrailFlow 2, men's UK size 9."


def only(check: dict[str, Any], kind: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [f for f in check["findings"] if f["kind"] == kind]
    (finding,) = found
    return finding


async def test_a_human_version_is_checked_by_the_consumer_with_spans_rules_and_fixes(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    text = "🏃‍♀️ Ça démarre: our cheap trail shoe is here."
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": text})
    assert await stored_checks(container, item.id) == 0

    await container.relay.drain()  # content.content_created -> the checking consumer

    assert await stored_checks(container, item.id, 1) == 1
    check = await get_check(app_client, item, 1, writer)
    assert check["content_id"] == item.id
    assert check["version_number"] == 1
    assert check["channel"] == "x"
    assert kinds(check) == ["banned_term"]
    banned = only(check, "banned_term")
    start = text.index("cheap")  # code points: the emoji sequence counts 4, "Ç" one
    assert (banned["field"], banned["start"], banned["end"]) == ("text", start, start + 5)
    assert banned["text"] == "cheap"
    assert banned["severity"] == "major"
    assert banned["rule"]["section"] == "rules.banned_terms"
    assert banned["rule"]["name"] == "cheap"
    assert banned["rule"]["index"] == 2
    assert banned["fix"] == {
        "field": "text",
        "start": start,
        "end": start + 5,
        "replacement": "great value",
    }
    assert len(banned["id"]) == 16
    assert check["score"] == 85  # one major
    assert check["min_score"] == 70
    assert check["passed"] is True
    assert check["brand_kit_version"] == 1
    assert check["engine_version"] == "checks/1"
    assert check["judge"] is None
    assert check["evidence_chunk_ids"] == []
    # Reading it stored nothing new.
    assert await stored_checks(container, item.id) == 1


async def test_new_versions_are_checked_and_a_disclaimer_fix_clears_its_finding(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    item = await create_item(
        app_client, contents_url, writer, {"channel": "x", "text": "Grip that holds on wet rock."}
    )
    claim = "TrailFlow 3: 30% lighter than TrailFlow 2."
    number = await add_version(app_client, item, writer, {"channel": "x", "text": claim})
    await container.relay.drain()
    assert await stored_checks(container, item.id, 1) == 1
    assert await stored_checks(container, item.id, 2) == 1

    first = await get_check(app_client, item, 1, writer)
    assert first["findings"] == []
    assert first["score"] == 100
    second = await get_check(app_client, item, number, writer)
    assert kinds(second) == ["missing_disclaimer"]  # the approved claim itself passes
    missing = only(second, "missing_disclaimer")
    assert missing["rule"]["section"] == "rules.disclaimers"
    assert missing["rule"]["name"] == "weight-comparison"
    assert missing["field"] is None
    assert missing["text"] is None
    fix = missing["fix"]
    assert (fix["field"], fix["start"], fix["end"]) == ("text", len(claim), len(claim))
    assert fix["replacement"].strip() == WEIGHT_DISCLAIMER

    fixed = claim + fix["replacement"]
    third = await add_version(app_client, item, writer, {"channel": "x", "text": fixed})
    await container.relay.drain()
    check = await get_check(app_client, item, third, writer)
    assert check["findings"] == []
    assert check["score"] == 100
    assert check["passed"] is True


async def test_competitors_and_personal_data_are_found_and_pii_is_not_copied(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    body = (
        "Runners who tried Peakline are switching to Acme.\n\n"
        "Questions? Write to jane.doe@example.com. "
        "Refunds go to GB82 WEST 1234 5698 7654 32."
    )
    email = {"channel": "email", "subject": "Switch today", "preheader": "", "body": body}
    item = await create_item(app_client, contents_url, writer, email)
    await container.relay.drain()

    check = await get_check(app_client, item, 1, writer)
    assert kinds(check) == ["competitor_mention", "pii", "pii"]
    competitor = only(check, "competitor_mention")
    assert competitor["text"] == "Peakline"
    assert competitor["field"] == "body"
    assert body[competitor["start"] : competitor["end"]] == "Peakline"
    assert competitor["rule"] == {
        "section": "rules.competitors",
        "index": 1,
        "name": "Peakline",
        "channel": None,
        "chunk_id": None,
    }
    assert competitor["fix"] is None  # removing a name breaks the sentence
    pii = {f["rule"]["name"]: f for f in check["findings"] if f["kind"] == "pii"}
    assert set(pii) == {"EMAIL_ADDRESS", "IBAN_CODE"}
    for finding in pii.values():
        assert finding["text"] is None  # offsets only: the value stays in the version
    assert body[pii["EMAIL_ADDRESS"]["start"] : pii["EMAIL_ADDRESS"]["end"]] == (
        "jane.doe@example.com"
    )
    assert pii["EMAIL_ADDRESS"]["severity"] == "minor"
    assert pii["EMAIL_ADDRESS"]["fix"] is None
    assert pii["IBAN_CODE"]["severity"] == "major"
    assert pii["IBAN_CODE"]["fix"]["replacement"] == ""
    response_text = (await app_client.get(item.check_url(1), headers=writer)).text
    assert "jane.doe@example.com" not in response_text
    assert "GB82" not in response_text
    # major 15 + major 15 + minor 5 (three different rules)
    assert check["score"] == 65
    assert check["passed"] is False  # below the default minimum of 70


async def test_a_version_read_after_a_kit_change_is_checked_against_the_new_kit(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    contents_url: str,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    item = await create_item(
        app_client, contents_url, writer, {"channel": "x", "text": "A trail shoe that grips."}
    )
    await container.relay.drain()
    before = await get_check(app_client, item, 1, writer)
    assert before["findings"] == []
    assert before["brand_kit_version"] == 1

    kit_url = f"/api/v1/workspaces/{acme}/brand-kit"
    kit = await app_client.get(kit_url, headers=manager)
    data = kit.json()
    rules = data["rules"]
    rules["banned_terms"].append({"term": "grips", "replacement": "holds", "reason": "House"})
    saved = await app_client.put(
        kit_url,
        json={k: data[k] for k in ("voice", "rules", "channel_overrides")},
        headers={**manager, "If-Match": kit.headers["ETag"]},
    )
    assert saved.status_code == 200, saved.text
    await container.relay.drain()  # a kit change re-checks nothing by itself
    assert await stored_checks(container, item.id) == 1

    after = await get_check(app_client, item, 1, writer)
    assert after["brand_kit_version"] == 2
    assert after["id"] != before["id"]
    assert kinds(after) == ["banned_term"]
    assert only(after, "banned_term")["fix"]["replacement"] == "holds"
    assert await stored_checks(container, item.id) == 2  # the kit-1 check stays, as history


async def test_post_re_runs_the_check_in_place(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    item = await create_item(
        app_client, contents_url, writer, {"channel": "x", "text": "Cheap. Guaranteed."}
    )
    await container.relay.drain()
    stored = await get_check(app_client, item, 1, writer)

    rerun = await app_client.post(item.check_url(1), json={"tone_judge": False}, headers=writer)
    assert rerun.status_code == 200, rerun.text
    again = rerun.json()
    assert again["id"] == stored["id"]  # same kit, engine and judge: the same row
    assert datetime.fromisoformat(again["checked_at"]) > datetime.fromisoformat(
        stored["checked_at"]
    )
    assert again["created_at"] == stored["created_at"]
    assert again["findings"] == stored["findings"]
    assert await stored_checks(container, item.id) == 1

    bare = await app_client.post(item.check_url(1), headers=writer)  # no body at all
    assert bare.status_code == 200, bare.text
    assert bare.json()["id"] == stored["id"]


async def test_a_version_without_a_check_is_checked_when_read(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    """Before the consumer ran (or if it never does), a read checks the version itself."""
    item = await create_item(
        app_client, contents_url, writer, {"channel": "x", "text": "Cheap shoes, no less."}
    )
    first = await get_check(app_client, item, 1, writer)
    assert kinds(first) == ["banned_term"]
    await container.relay.drain()  # the consumer finds the check there: nothing new
    assert await stored_checks(container, item.id) == 1
    assert (await get_check(app_client, item, 1, writer))["id"] == first["id"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/versions/99/check", 404),
        ("/versions/0/check", 422),
        ("/versions/-1/check", 422),
        ("/versions/abc/check", 422),
        ("/versions/1.5/check", 422),
        ("/versions/99999999999/check", 422),
    ],
)
async def test_bad_version_numbers(
    app_client: httpx.AsyncClient,
    contents_url: str,
    writer: dict[str, str],
    path: str,
    status: int,
) -> None:
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": "Hi"})
    for method in ("GET", "POST"):
        response = await app_client.request(method, item.url + path, headers=writer)
        assert response.status_code == status, (method, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "body",
    [
        {"tone_judge": "maybe"},
        {"tone_judge": 2},
        {"tone_judge": False, "extra": 1},
        ["tone_judge"],
        "true",
    ],
)
async def test_bad_post_bodies_are_422(
    app_client: httpx.AsyncClient,
    contents_url: str,
    writer: dict[str, str],
    body: object,
) -> None:
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": "Hi"})
    response = await app_client.post(item.check_url(1), json=body, headers=writer)
    assert response.status_code == 422, response.text


async def test_ids_of_other_tenants_campaigns_and_items_are_404(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    acme: uuid.UUID,
    contents_url: str,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    item = await create_item(
        app_client, contents_url, writer, {"channel": "x", "text": "Acme secret cheap copy"}
    )
    await container.relay.drain()
    globex = demo["globex-coffee"]
    outsider = await login(app_client, GLOBEX_CLIENT)

    # A member of Globex only, at Acme's real path.
    for method in ("GET", "POST"):
        response = await app_client.request(method, item.check_url(1), headers=outsider)
        assert response.status_code == 404, response.text
        assert "secret" not in response.text

    # A member of both, through Globex's workspace id with Acme's campaign and item.
    through_globex = item.check_url(1).replace(str(acme), str(globex))
    for method in ("GET", "POST"):
        response = await app_client.request(method, through_globex, headers=manager)
        assert response.status_code == 404, response.text
        assert item.id not in response.text.replace(through_globex, "")

    # Acme's item under another Acme campaign, and ids that exist nowhere.
    other_campaign = await app_client.post(
        f"/api/v1/workspaces/{acme}/campaigns",
        json={"name": "Other", "objective": "x", "channels": ["x"]},
        headers=writer,
    )
    wrong_campaign = item.check_url(1).replace(
        contents_url.split("/campaigns/")[1].split("/")[0], other_campaign.json()["id"]
    )
    unknown_item = item.check_url(1).replace(item.id, str(uuid.uuid4()))
    for url in (wrong_campaign, unknown_item):
        for method in ("GET", "POST"):
            response = await app_client.request(method, url, headers=writer)
            assert response.status_code == 404, (url, response.text)
    not_an_id = item.check_url(1).replace(item.id, "not-a-uuid")
    assert (await app_client.get(not_an_id, headers=writer)).status_code == 422
    assert await stored_checks(container, item.id) == 1  # none of that stored anything


async def test_reading_needs_content_read_and_running_needs_ai_generate(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": "Hi"})
    reviewer = await login(app_client, REVIEWER)
    assert (await app_client.get(item.check_url(1), headers=reviewer)).status_code == 200
    refused = await app_client.post(item.check_url(1), headers=reviewer)
    assert refused.status_code == 403, refused.text
    assert (await app_client.get(item.check_url(1))).status_code == 401


async def test_a_long_blog_post_with_many_claims_is_checked(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    # 1% to 20%: "30%" would require the weight disclaimer too.
    sentences = [f"Model {i} is {i % 20 + 1}% faster on climbs." for i in range(400)]
    markdown = "## Speed\n\n" + " ".join(sentences)
    body = {"channel": "blog_post", "title": "Speed", "body_markdown": markdown}
    item = await create_item(app_client, contents_url, writer, body)
    await container.relay.drain()
    check = await get_check(app_client, item, 1, writer)
    claims = [f for f in check["findings"] if f["kind"] == "unapproved_claim"]
    assert len(claims) == len(sentences)
    for finding in claims[:5]:
        assert markdown[finding["start"] : finding["end"]] == finding["text"]
        assert finding["text"].endswith("faster on climbs.")
    # One rule broken 400 times weighs under twice its weight: 100 - (15 + 7.5 + ...) = 70.
    assert check["score"] == 70
    assert check["passed"] is True
