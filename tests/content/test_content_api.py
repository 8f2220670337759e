"""Content items: channel bodies and their limits, versions with If-Match, diffs, tenancy."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from brandflow.bootstrap import Container
from brandflow.contexts.content.orm import ContentVersion
from brandflow.kernel.outbox import OutboxMessage
from tests.conftest import login

X_POST = {"channel": "x", "text": "TrailFlow 3 is out. Grip that holds on wet rock."}
SEARCH_AD = {
    "channel": "search_ad",
    "headlines": ["Acme TrailFlow 3", "Grip on Wet Rock", "Free Returns"],
    "descriptions": ["A trail shoe built for wet rock.", "Pre-order today."],
    "final_url": "https://acme-running.example/trail",
}
EMAIL = {"channel": "email", "subject": "Hello", "preheader": "", "body": "Hi there"}
LINKEDIN = {"channel": "linkedin", "text": "Hello network"}
INSTAGRAM = {"channel": "instagram", "caption": "Roast day", "hashtags": ["coffee"]}
DISPLAY_AD = {
    "channel": "display_ad",
    "headline": "Autumn Roast",
    "description": "Small batches.",
    "call_to_action": "Pre-order",
    "final_url": "https://globex-coffee.example/autumn",
}
BLOG = {"channel": "blog_post", "title": "Marathon plan", "body_markdown": "## Start"}
LANDING = {
    "channel": "landing_page",
    "title": "Plan",
    "hero_headline": "Train with a plan",
    "sections": [{"heading": "Why", "body_markdown": "Because."}],
    "meta_description": "Sign up.",
}


def campaigns_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/campaigns"


async def campaign_id(
    client: httpx.AsyncClient, workspace_id: uuid.UUID, name: str, headers: dict[str, str]
) -> str:
    response = await client.get(campaigns_url(workspace_id), headers=headers)
    assert response.status_code == 200, response.text
    return str(next(c["id"] for c in response.json()["items"] if c["name"] == name))


@pytest.fixture
async def writer(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, "writer@northwind.example")


ALL_CHANNELS = ["x", "linkedin", "instagram", "email", "blog_post", "landing_page"]
ALL_CHANNELS += ["search_ad", "display_ad"]


@pytest.fixture
async def acme_url(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], writer: dict[str, str]
) -> str:
    """Contents URL of a new Acme campaign planned for every channel."""
    workspace = demo["acme-running"]
    brief = {"name": "Everywhere", "objective": "Reach", "channels": ALL_CHANNELS}
    created = await app_client.post(campaigns_url(workspace), json=brief, headers=writer)
    assert created.status_code == 201, created.text
    return f"{campaigns_url(workspace)}/{created.json()['id']}/contents"


async def test_content_needs_one_of_the_campaigns_channels(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], writer: dict[str, str]
) -> None:
    workspace = demo["acme-running"]
    cid = await campaign_id(app_client, workspace, "Spring Trail Launch", writer)  # no LinkedIn
    url = f"{campaigns_url(workspace)}/{cid}/contents"
    before = (await app_client.get(url, headers=writer)).json()["items"]
    response = await create(app_client, url, writer, LINKEDIN)
    assert field_error_locs(response) == [["body", "body", "channel"]]
    assert "add it to the campaign's brief first" in response.json()["detail"]
    assert (await app_client.get(url, headers=writer)).json()["items"] == before
    assert (await create(app_client, url, writer, X_POST)).status_code == 201


async def create(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], body: dict[str, Any]
) -> httpx.Response:
    return await client.post(url, json={"title": "Item", "body": body}, headers=headers)


def field_error_locs(response: httpx.Response) -> list[list[str | int]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return [e["loc"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    "body", [X_POST, SEARCH_AD, EMAIL, LINKEDIN, INSTAGRAM, DISPLAY_AD, BLOG, LANDING]
)
async def test_every_channel_body_round_trips(
    app_client: httpx.AsyncClient, acme_url: str, writer: dict[str, str], body: dict[str, Any]
) -> None:
    created = await create(app_client, acme_url, writer, body)
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["channel"] == body["channel"]
    assert item["current_version"] == 1
    assert item["current"]["number"] == 1
    stored = item["current"]["body"]
    for key, value in body.items():
        if key == "hashtags":
            assert stored[key] == [f"#{h}" for h in value]
        else:
            assert stored[key] == value
    listed = await app_client.get(acme_url, params={"channel": body["channel"]}, headers=writer)
    assert item["id"] in [i["id"] for i in listed.json()["items"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**X_POST, "text": "a" * 281}, "text"),
        ({**X_POST, "text": ""}, "text"),
        ({**SEARCH_AD, "headlines": ["One", "Two"]}, "headlines"),
        ({**SEARCH_AD, "headlines": [*SEARCH_AD["headlines"], "h" * 31]}, "headlines"),
        ({**SEARCH_AD, "headlines": [f"Headline {i}" for i in range(16)]}, "headlines"),
        ({**SEARCH_AD, "descriptions": ["Only one"]}, "descriptions"),
        ({**SEARCH_AD, "descriptions": ["d" * 91, "ok"]}, "descriptions"),
        ({**SEARCH_AD, "final_url": "not a url"}, "final_url"),
        ({k: v for k, v in SEARCH_AD.items() if k != "final_url"}, "final_url"),
        ({**EMAIL, "subject": "s" * 151}, "subject"),
        ({**EMAIL, "preheader": "p" * 151}, "preheader"),
        ({k: v for k, v in EMAIL.items() if k != "body"}, "body"),
        ({**LINKEDIN, "text": "l" * 3001}, "text"),
        ({**INSTAGRAM, "caption": "c" * 2201}, "caption"),
        ({**INSTAGRAM, "hashtags": [f"tag{i}" for i in range(31)]}, "hashtags"),
        ({**INSTAGRAM, "hashtags": ["not a tag"]}, "hashtags"),
        ({**DISPLAY_AD, "headline": "h" * 31}, "headline"),
        ({**DISPLAY_AD, "description": "d" * 91}, "description"),
        ({**BLOG, "title": "t" * 151}, "title"),
        ({**BLOG, "meta_description": "m" * 161}, "meta_description"),
        ({**LANDING, "meta_description": "m" * 161}, "meta_description"),
        ({**LANDING, "sections": []}, "sections"),
        ({**X_POST, "surprise": True}, "surprise"),
    ],
)
async def test_channel_limits_are_enforced_with_field_errors(
    app_client: httpx.AsyncClient,
    acme_url: str,
    writer: dict[str, str],
    body: dict[str, Any],
    field: str,
) -> None:
    response = await create(app_client, acme_url, writer, body)
    locs = field_error_locs(response)
    assert any(field in loc for loc in locs), locs


async def test_instagram_hashtags_in_caption_count_towards_thirty(
    app_client: httpx.AsyncClient, acme_url: str, writer: dict[str, str]
) -> None:
    caption = " ".join(f"#cap{i}" for i in range(20))
    body = {"channel": "instagram", "caption": caption, "hashtags": [f"t{i}" for i in range(11)]}
    assert (await create(app_client, acme_url, writer, body)).status_code == 422
    body["hashtags"] = body["hashtags"][:10]
    assert (await create(app_client, acme_url, writer, body)).status_code == 201


async def test_unknown_channel_is_refused(
    app_client: httpx.AsyncClient, acme_url: str, writer: dict[str, str]
) -> None:
    response = await create(app_client, acme_url, writer, {"channel": "fax", "text": "hi"})
    assert field_error_locs(response) == [["body", "body"]]
    assert response.json()["errors"][0]["type"] == "union_tag_invalid"


async def test_unknown_top_level_fields_are_refused(
    app_client: httpx.AsyncClient, acme_url: str, writer: dict[str, str]
) -> None:
    response = await app_client.post(
        acme_url, json={"title": "T", "body": X_POST, "channel": "x"}, headers=writer
    )
    assert ["body", "channel"] in field_error_locs(response)


async def test_characters_are_unicode_code_points(
    app_client: httpx.AsyncClient, acme_url: str, writer: dict[str, str]
) -> None:
    # 280 emoji are 280 code points (1120 UTF-8 bytes, 560 UTF-16 units): allowed.
    assert (
        await create(app_client, acme_url, writer, {"channel": "x", "text": "🏃" * 280})
    ).status_code == 201
    too_long = await create(app_client, acme_url, writer, {"channel": "x", "text": "🏃" * 281})
    assert any("text" in loc for loc in field_error_locs(too_long))
    # e + combining acute accent is normalised (NFC) to one code point "é".
    decomposed = await create(
        app_client, acme_url, writer, {"channel": "x", "text": "e\u0301" * 280}
    )
    assert decomposed.status_code == 201, decomposed.text
    assert decomposed.json()["current"]["body"]["text"] == "\u00e9" * 280
    headline = "Läufer 🏃 " + "x" * 21  # 30 code points
    assert len(headline) == 30
    ad = {**SEARCH_AD, "headlines": [headline, "Two", "Three"]}
    assert (await create(app_client, acme_url, writer, ad)).status_code == 201


async def test_create_version_and_diff(
    app_client: httpx.AsyncClient, acme_url: str, writer: dict[str, str]
) -> None:
    created = await create(app_client, acme_url, writer, EMAIL)
    assert created.status_code == 201
    item = created.json()
    item_url = f"{acme_url}/{item['id']}"
    assert created.headers["Location"].endswith(item_url)
    etag_v1 = created.headers["ETag"]
    assert item["current"]["etag"] == etag_v1

    fetched = await app_client.get(item_url, headers=writer)
    assert fetched.status_code == 200
    assert fetched.headers["ETag"] == etag_v1
    assert fetched.json() == item

    v2_body = {**EMAIL, "subject": "Hello again", "preheader": "New!"}
    v2 = await app_client.post(
        f"{item_url}/versions", json={"body": v2_body}, headers={**writer, "If-Match": etag_v1}
    )
    assert v2.status_code == 201, v2.text
    assert v2.json()["number"] == 2
    assert v2.json()["author"]["type"] == "user"
    assert v2.headers["ETag"] != etag_v1
    assert v2.headers["Location"].endswith(f"{item_url}/versions/2")

    current = await app_client.get(item_url, headers=writer)
    assert current.json()["current_version"] == 2
    assert current.json()["current"]["body"]["subject"] == "Hello again"
    assert current.headers["ETag"] == v2.headers["ETag"]

    versions = await app_client.get(f"{item_url}/versions", headers=writer)
    assert [v["number"] for v in versions.json()["items"]] == [2, 1]
    page = await app_client.get(f"{item_url}/versions", params={"limit": 1}, headers=writer)
    assert [v["number"] for v in page.json()["items"]] == [2]
    rest = await app_client.get(
        f"{item_url}/versions", params={"cursor": page.json()["next_cursor"]}, headers=writer
    )
    assert [v["number"] for v in rest.json()["items"]] == [1]
    assert rest.json()["next_cursor"] is None

    v1 = await app_client.get(f"{item_url}/versions/1", headers=writer)
    assert v1.status_code == 200
    assert v1.json()["body"] == EMAIL
    assert v1.headers["ETag"] == etag_v1
    assert (await app_client.get(f"{item_url}/versions/3", headers=writer)).status_code == 404

    diff = await app_client.get(
        f"{item_url}/versions/2/diff", params={"against": 1}, headers=writer
    )
    assert diff.status_code == 200, diff.text
    d = diff.json()
    assert (d["number"], d["against"]) == (2, 1)
    assert {c["field"]: (c["kind"], c["before"], c["after"]) for c in d["changes"]} == {
        "subject": ("changed", "Hello", "Hello again"),
        "preheader": ("added", "", "New!"),
    }
    assert "--- version 1" in d["unified"]
    assert "+++ version 2" in d["unified"]
    assert "-  Hello" in d["unified"].splitlines()
    assert "+  Hello again" in d["unified"].splitlines()
    assert " body:" in d["unified"].splitlines()  # unchanged context
    assert not {"-  Hi there", "+  Hi there"} & set(d["unified"].splitlines())

    same = await app_client.get(f"{item_url}/versions/2/diff?against=2", headers=writer)
    assert same.json()["changes"] == []
    assert same.json()["unified"] == ""
    missing = await app_client.get(f"{item_url}/versions/2/diff?against=9", headers=writer)
    assert missing.status_code == 404


async def test_versions_need_a_current_if_match_and_the_same_channel(
    app_client: httpx.AsyncClient, acme_url: str, writer: dict[str, str]
) -> None:
    created = await create(app_client, acme_url, writer, X_POST)
    versions_url = f"{acme_url}/{created.json()['id']}/versions"
    etag_v1 = created.headers["ETag"]
    new = {"body": {**X_POST, "text": "v2"}}

    missing = await app_client.post(versions_url, json=new, headers=writer)
    assert missing.status_code == 428
    assert missing.headers["content-type"].startswith("application/problem+json")

    wrong_channel = await app_client.post(
        versions_url, json={"body": LINKEDIN}, headers={**writer, "If-Match": etag_v1}
    )
    assert wrong_channel.status_code == 422
    assert (
        await app_client.post(versions_url, json=new, headers={**writer, "If-Match": etag_v1})
    ).status_code == 201

    stale = await app_client.post(versions_url, json=new, headers={**writer, "If-Match": etag_v1})
    assert stale.status_code == 412
    current = await app_client.get(versions_url.removesuffix("/versions"), headers=writer)
    assert stale.json()["current_etag"] == current.headers["ETag"]
    listed = await app_client.get(versions_url, headers=writer)
    assert [v["number"] for v in listed.json()["items"]] == [2, 1]


async def test_concurrent_versions_with_the_same_etag_one_wins(
    app_client: httpx.AsyncClient, acme_url: str, writer: dict[str, str]
) -> None:
    created = await create(app_client, acme_url, writer, X_POST)
    versions_url = f"{acme_url}/{created.json()['id']}/versions"
    headers = {**writer, "If-Match": created.headers["ETag"]}

    first, second = await asyncio.gather(
        app_client.post(versions_url, json={"body": {**X_POST, "text": "A"}}, headers=headers),
        app_client.post(versions_url, json={"body": {**X_POST, "text": "B"}}, headers=headers),
    )

    assert sorted([first.status_code, second.status_code]) == [201, 412], (first.text, second.text)
    listed = await app_client.get(versions_url, headers=writer)
    assert [v["number"] for v in listed.json()["items"]] == [2, 1]
    winner = first if first.status_code == 201 else second
    assert listed.json()["items"][0]["body"] == winner.json()["body"]


async def test_archived_campaign_content_cannot_change(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    acme_url: str,
    writer: dict[str, str],
) -> None:
    created = await create(app_client, acme_url, writer, X_POST)
    item_url = f"{acme_url}/{created.json()['id']}"
    manager = await login(app_client, "strategist@northwind.example")
    archived = await app_client.post(
        acme_url.removesuffix("/contents") + "/archive", headers=manager
    )
    assert archived.status_code == 200
    new_version = await app_client.post(
        f"{item_url}/versions",
        json={"body": X_POST},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert new_version.status_code == 409
    assert (await create(app_client, acme_url, writer, X_POST)).status_code == 409
    assert (await app_client.get(item_url, headers=writer)).status_code == 200


async def test_other_workspaces_content_is_not_found(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    acme_url: str,
    writer: dict[str, str],
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    globex_campaign = await campaign_id(app_client, globex, "Autumn Roast Preview", writer)
    globex_url = f"{campaigns_url(globex)}/{globex_campaign}/contents"
    globex_item = (await app_client.get(globex_url, headers=writer)).json()["items"][0]["id"]

    # A Globex campaign id through the Acme workspace path.
    foreign = f"{campaigns_url(acme)}/{globex_campaign}/contents"
    assert (await app_client.get(foreign, headers=writer)).status_code == 404
    assert (await create(app_client, foreign, writer, EMAIL)).status_code == 404
    assert (await app_client.get(f"{foreign}/{globex_item}", headers=writer)).status_code == 404
    # A Globex content id under an Acme campaign.
    for path in ("", "/versions", "/versions/1", "/versions/1/diff?against=1"):
        response = await app_client.get(f"{acme_url}/{globex_item}{path}", headers=writer)
        assert response.status_code == 404, path

    # Acme's client approver sees Acme content but nothing of Globex.
    client = await login(app_client, "client@acme.example")
    assert (await app_client.get(acme_url, headers=client)).status_code == 200
    assert (await app_client.get(globex_url, headers=client)).status_code == 404
    assert (await app_client.get(f"{globex_url}/{globex_item}", headers=client)).status_code == 404


async def test_readers_cannot_write(
    app_client: httpx.AsyncClient, acme_url: str, writer: dict[str, str]
) -> None:
    created = await create(app_client, acme_url, writer, X_POST)
    item_url = f"{acme_url}/{created.json()['id']}"
    for email in ("reviewer@northwind.example", "client@acme.example"):
        reader = await login(app_client, email)
        assert (await app_client.get(item_url, headers=reader)).status_code == 200
        assert (await create(app_client, acme_url, reader, X_POST)).status_code == 403
        denied = await app_client.post(
            f"{item_url}/versions",
            json={"body": X_POST},
            headers={**reader, "If-Match": created.headers["ETag"]},
        )
        assert denied.status_code == 403
    assert (await app_client.get(acme_url)).status_code == 401


async def test_events_are_recorded_with_changes(
    app_client: httpx.AsyncClient, container: Container, acme_url: str, writer: dict[str, str]
) -> None:
    created = await create(app_client, acme_url, writer, X_POST)
    content_id = created.json()["id"]
    await app_client.post(
        f"{acme_url}/{content_id}/versions",
        json={"body": {**X_POST, "text": "New text"}},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    async with container.sessionmaker() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.type.like("content.%")))
        ).all()
    payloads = {
        r.type: r.envelope["payload"]
        for r in rows
        if r.envelope["payload"]["subject_id"] == content_id
    }
    assert payloads["content.content_created"]["changes"]["current_version"] == [None, 1]
    assert payloads["content.content_created"]["channel"] == "x"
    assert payloads["content.version_created"]["changes"] == {"current_version": [1, 2]}
    assert payloads["content.version_created"]["changed_fields"] == ["text"]


async def test_versions_are_immutable_in_the_database(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    async with container.sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(ContentVersion))
        assert count is not None
        assert count > 0
        with pytest.raises(DBAPIError, match="immutable"):
            await session.execute(text("UPDATE content_versions SET number = number"))


async def test_demo_content_is_seeded(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], writer: dict[str, str]
) -> None:
    for slug in ("acme-running", "globex-coffee"):
        campaigns = await app_client.get(campaigns_url(demo[slug]), headers=writer)
        for campaign in campaigns.json()["items"]:
            url = f"{campaigns_url(demo[slug])}/{campaign['id']}/contents"
            items = (await app_client.get(url, headers=writer)).json()["items"]
            assert 2 <= len(items) <= 3, campaign["name"]
            assert {i["channel"] for i in items} <= set(campaign["channels"])
    acme_url = await campaign_id(app_client, demo["acme-running"], "Spring Trail Launch", writer)
    items = (
        await app_client.get(
            f"{campaigns_url(demo['acme-running'])}/{acme_url}/contents", headers=writer
        )
    ).json()["items"]
    assert any(i["current_version"] == 2 for i in items)
