"""The brand kit: version 0, saves with If-Match, validation, permissions, tenancy, events."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from brandflow.bootstrap import Container
from brandflow.contexts.brand_kit.orm import BrandKitRow, BrandKitVersionRow
from brandflow.contexts.brand_kit.public import (
    BrandKit,
    brand_kit_snapshot,
    current_brand_kit,
)
from brandflow.contexts.campaigns.public import Channel
from brandflow.kernel.outbox import OutboxMessage
from tests.conftest import login

MANAGER = "strategist@northwind.example"
KIT: dict[str, Any] = {
    "voice": {
        "summary": "Friendly and direct.",
        "tone": ["warm", "direct"],
        "audience": "Runners",
        "do_examples": ["Grip that holds."],
        "dont_examples": ["Best shoe ever."],
    },
    "rules": {
        "banned_terms": [{"term": "cheap", "replacement": "great value", "reason": "Tone"}],
        "disclaimers": [
            {"key": "returns", "text": "Terms apply.", "channels": ["email"], "triggers": []}
        ],
        "approved_claims": [{"claim": "30% lighter", "source": "Lab test"}],
        "competitors": [{"name": "Peakline", "aliases": ["Peak Line"]}],
    },
    "channel_overrides": {"x": {"tone": ["punchy"], "notes": "One hashtag."}},
}


def kit_url(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/brand-kit"


@pytest.fixture
async def manager(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, MANAGER)


async def remove_kit(container: Container, workspace_id: uuid.UUID) -> uuid.UUID:
    """Delete a workspace's brand kit: it then reads as one that never saved a kit."""
    async with container.sessionmaker() as session:
        for table in ("brand_kit_versions", "brand_kits"):
            await session.execute(
                text(f"DELETE FROM {table} WHERE workspace_id = :ws"),  # noqa: S608
                {"ws": workspace_id},
            )
        await session.commit()
    return workspace_id


@pytest.fixture
async def blank(container: Container, demo: dict[str, uuid.UUID]) -> uuid.UUID:
    """Acme Running without its seeded brand kit."""
    return await remove_kit(container, demo["acme-running"])


async def put(
    client: httpx.AsyncClient,
    workspace_id: uuid.UUID,
    body: dict[str, Any],
    headers: dict[str, str],
    etag: str | None,
) -> httpx.Response:
    sent = {**headers, **({"If-Match": etag} if etag is not None else {})}
    return await client.put(kit_url(workspace_id), json=body, headers=sent)


async def read(
    client: httpx.AsyncClient, workspace_id: uuid.UUID, headers: dict[str, str]
) -> httpx.Response:
    response = await client.get(kit_url(workspace_id), headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == response.json()["etag"]
    return response


async def test_a_workspace_that_never_saved_reads_version_0_and_saves_with_if_match(
    app_client: httpx.AsyncClient, blank: uuid.UUID, manager: dict[str, str]
) -> None:
    empty = await read(app_client, blank, manager)
    body = empty.json()
    assert body["version"] == 0
    assert body["workspace_id"] == str(blank)
    assert body["updated_at"] is None
    assert body["updated_by"] is None
    assert body["voice"]["tone"] == []
    assert body["rules"]["banned_terms"] == []
    assert body["channel_overrides"] == {}
    etag_v0 = empty.headers["ETag"]

    missing = await put(app_client, blank, KIT, manager, None)
    assert missing.status_code == 428, missing.text
    assert missing.headers["content-type"].startswith("application/problem+json")
    wrong = await put(app_client, blank, KIT, manager, '"not-the-etag"')
    assert wrong.status_code == 412, wrong.text
    assert wrong.json()["current_etag"] == etag_v0

    saved = await put(app_client, blank, KIT, manager, etag_v0)
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1
    assert saved.headers["ETag"] == saved.json()["etag"] != etag_v0
    assert saved.json()["updated_by"]["type"] == "user"

    current = (await read(app_client, blank, manager)).json()
    assert current["version"] == 1
    assert current["etag"] == saved.headers["ETag"]
    assert current["rules"]["banned_terms"] == [
        {"term": "cheap", "replacement": "great value", "reason": "Tone"}
    ]
    assert current["channel_overrides"]["x"] == {
        "tone": ["punchy"],
        "extra_banned_terms": [],
        "notes": "One hashtag.",
    }
    stale = await put(app_client, blank, KIT, manager, etag_v0)
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == saved.headers["ETag"]


async def kit_events(container: Container, workspace_id: uuid.UUID) -> list[dict[str, Any]]:
    """Payloads of the workspace's `brand_kit.updated` events, oldest first."""
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.type == "brand_kit.updated")
            .where(OutboxMessage.workspace_id == workspace_id)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
        return [r.envelope["payload"] for r in rows]


async def test_saving_an_unchanged_kit_writes_no_version(
    app_client: httpx.AsyncClient, container: Container, blank: uuid.UUID, manager: dict[str, str]
) -> None:
    etag_v0 = (await read(app_client, blank, manager)).headers["ETag"]
    first = await put(app_client, blank, KIT, manager, etag_v0)
    events = await kit_events(container, blank)
    # Same content, spelled differently: extra spaces, defaults sent explicitly.
    same = {
        **KIT,
        "voice": {**KIT["voice"], "tone": [" warm ", "direct"]},
        "channel_overrides": {
            "x": {"tone": ["punchy"], "notes": "One hashtag.", "extra_banned_terms": []}
        },
    }
    again = await put(app_client, blank, same, manager, first.headers["ETag"])
    assert again.status_code == 200, again.text
    assert again.json()["version"] == 1
    assert again.headers["ETag"] == first.headers["ETag"]
    assert await kit_events(container, blank) == events
    listed = await app_client.get(f"{kit_url(blank)}/versions", headers=manager)
    assert [v["number"] for v in listed.json()["items"]] == [1]


@pytest.mark.parametrize("start", ["never saved", "seeded"])
async def test_concurrent_saves_with_the_same_etag_one_wins(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
    start: str,
) -> None:
    workspace = demo["acme-running"]
    if start == "never saved":
        await remove_kit(container, workspace)
    current = (await read(app_client, workspace, manager)).json()
    a = {**KIT, "voice": {**KIT["voice"], "tone": ["A"]}}
    b = {**KIT, "voice": {**KIT["voice"], "tone": ["B"]}}

    first, second = await asyncio.gather(
        put(app_client, workspace, a, manager, current["etag"]),
        put(app_client, workspace, b, manager, current["etag"]),
    )

    assert sorted([first.status_code, second.status_code]) == [200, 412], (first.text, second.text)
    winner = first if first.status_code == 200 else second
    after = (await read(app_client, workspace, manager)).json()
    assert after["version"] == current["version"] + 1
    assert after["voice"]["tone"] == winner.json()["voice"]["tone"]
    listed = await app_client.get(f"{kit_url(workspace)}/versions", headers=manager)
    numbers = [v["number"] for v in listed.json()["items"]]
    assert numbers == list(range(current["version"] + 1, 0, -1))


async def test_the_demo_workspaces_have_their_own_kits(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    acme = (await read(app_client, demo["acme-running"], manager)).json()
    globex = (await read(app_client, demo["globex-coffee"], manager)).json()
    assert acme["version"] == globex["version"] == 1
    assert acme["updated_by"] == {"type": "system", "id": "seed-demo"}
    assert "injury-proof" in [b["term"] for b in acme["rules"]["banned_terms"]]
    assert "burns fat" in [b["term"] for b in globex["rules"]["banned_terms"]]
    assert "injury-proof" not in str(globex)
    assert acme["etag"] != globex["etag"]


def _bad(**sections: Any) -> dict[str, Any]:
    return {**KIT, **sections}


NUL = "\u0000"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (
            _bad(rules={"banned_terms": [{"term": "Cheap"}, {"term": " cheap"}]}),
            ["body", "rules", "banned_terms"],
        ),
        (
            _bad(rules={"banned_terms": [{"term": "a", "replacement": "b"}, {"term": "B"}]}),
            ["body", "rules", "banned_terms"],
        ),
        (
            _bad(rules={"banned_terms": [{"term": "t" * 101}]}),
            ["body", "rules", "banned_terms", 0, "term"],
        ),
        (
            _bad(rules={"banned_terms": [{"term": "  "}]}),
            ["body", "rules", "banned_terms", 0, "term"],
        ),
        (
            _bad(rules={"banned_terms": [{"term": f"t{i}"} for i in range(201)]}),
            ["body", "rules", "banned_terms"],
        ),
        (_bad(voice={"tone": ["warm", "Warm"]}), ["body", "voice", "tone"]),
        (_bad(voice={"tone": [f"t{i}" for i in range(13)]}), ["body", "voice", "tone"]),
        (_bad(voice={"summary": "s" * 1001}), ["body", "voice", "summary"]),
        (
            _bad(voice={"do_examples": ["Hi"], "dont_examples": ["hi"]}),
            ["body", "voice", "dont_examples"],
        ),
        (_bad(voice={"tone": [f"a{NUL}b"]}), ["body", "voice", "tone", 0]),
        (
            _bad(rules={"disclaimers": [{"key": "k", "text": "T", "channels": ["fax"]}]}),
            ["body", "rules", "disclaimers", 0, "channels", 0],
        ),
        (
            _bad(rules={"disclaimers": [{"key": "Not A Key", "text": "T"}]}),
            ["body", "rules", "disclaimers", 0, "key"],
        ),
        (
            _bad(
                rules={
                    "competitors": [{"name": "Peakline"}, {"name": "X", "aliases": ["peakline"]}]
                }
            ),
            ["body", "rules", "competitors"],
        ),
        (
            _bad(channel_overrides={"x": {"extra_banned_terms": [{"term": "CHEAP"}]}}),
            ["body", "channel_overrides"],
        ),
        (_bad(channel_overrides={"fax": {}}), ["body", "channel_overrides", "fax", "[key]"]),
        (_bad(voice={"tone": ["warm"], "mood": "sunny"}), ["body", "voice", "mood"]),
    ],
)
async def test_invalid_kits_are_refused_with_field_errors(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
    body: dict[str, Any],
    loc: list[str | int],
) -> None:
    workspace = demo["acme-running"]
    before = (await read(app_client, workspace, manager)).json()
    response = await put(app_client, workspace, body, manager, before["etag"])
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert loc in [e["loc"] for e in response.json()["errors"]], response.json()["errors"]
    assert (await read(app_client, workspace, manager)).json() == before


async def test_text_is_trimmed_normalised_and_blank_optionals_are_null(
    app_client: httpx.AsyncClient, blank: uuid.UUID, manager: dict[str, str]
) -> None:
    etag = (await read(app_client, blank, manager)).headers["ETag"]
    body = {
        "voice": {"tone": ["  caf\u0065\u0301 "]},  # e + combining acute: NFC "café"
        "rules": {"banned_terms": [{"term": " cheap ", "replacement": "", "reason": "  "}]},
    }
    saved = await put(app_client, blank, body, manager, etag)
    assert saved.status_code == 200, saved.text
    assert saved.json()["voice"]["tone"] == ["caf\u00e9"]
    assert saved.json()["rules"]["banned_terms"] == [
        {"term": "cheap", "replacement": None, "reason": None}
    ]


async def test_managers_write_every_role_reads(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    workspace = demo["acme-running"]
    etag = (await read(app_client, workspace, manager)).headers["ETag"]
    for email in (
        "writer@northwind.example",
        "reviewer@northwind.example",
        "client@acme.example",
    ):
        reader = await login(app_client, email)
        current = await read(app_client, workspace, reader)
        assert current.json()["version"] == 1
        versions = await app_client.get(f"{kit_url(workspace)}/versions/1", headers=reader)
        assert versions.status_code == 200, versions.text
        denied = await put(app_client, workspace, KIT, reader, etag)
        assert denied.status_code == 403, (email, denied.text)
    assert (await app_client.get(kit_url(workspace))).status_code == 401
    owner = await login(app_client, "owner@northwind.example")
    assert (await put(app_client, workspace, KIT, owner, etag)).status_code == 200


async def test_another_workspaces_kit_is_not_found(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    etag = (await read(app_client, acme, manager)).headers["ETag"]
    outsider = await login(app_client, "client@globex.example")
    for path in ("", "/versions", "/versions/1"):
        response = await app_client.get(f"{kit_url(acme)}{path}", headers=outsider)
        assert response.status_code == 404, path
        assert "injury-proof" not in response.text
    assert (await put(app_client, acme, KIT, outsider, etag)).status_code == 404
    # A manager of both reads each workspace's own kit, and an Acme ETag does not fit Globex.
    globex_kit = await read(app_client, globex, manager)
    assert "injury-proof" not in globex_kit.text
    assert (await put(app_client, globex, KIT, manager, etag)).status_code == 412


async def test_versions_are_listed_newest_first_and_read_one_by_one(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    workspace = demo["acme-running"]
    etag = (await read(app_client, workspace, manager)).headers["ETag"]
    for tone in ("one", "two", "three"):
        saved = await put(app_client, workspace, _bad(voice={"tone": [tone]}), manager, etag)
        assert saved.status_code == 200, saved.text
        etag = saved.headers["ETag"]
    url = f"{kit_url(workspace)}/versions"

    first = (await app_client.get(url, params={"limit": 2}, headers=manager)).json()
    assert [v["number"] for v in first["items"]] == [4, 3]
    assert first["items"][0]["voice"]["tone"] == ["three"]
    assert first["items"][0]["etag"] == etag
    rest = await app_client.get(
        url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=manager
    )
    assert [v["number"] for v in rest.json()["items"]] == [2, 1]
    assert rest.json()["next_cursor"] is None
    assert rest.json()["items"][1]["author"] == {"type": "system", "id": "seed-demo"}

    two = await app_client.get(f"{url}/2", headers=manager)
    assert two.status_code == 200
    assert two.json()["voice"]["tone"] == ["one"]
    assert two.headers["ETag"] == two.json()["etag"]
    assert (await app_client.get(f"{url}/5", headers=manager)).status_code == 404
    assert (await app_client.get(f"{url}/0", headers=manager)).status_code == 422
    bad_cursor = await app_client.get(url, params={"cursor": "nonsense"}, headers=manager)
    assert bad_cursor.status_code == 400


async def test_a_save_records_an_event_that_reaches_the_audit_log(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    workspace = demo["acme-running"]
    before = (await read(app_client, workspace, manager)).json()
    changed = {
        "voice": before["voice"],
        "rules": {**before["rules"], "banned_terms": [{"term": "cheap"}]},
        "channel_overrides": {**before["channel_overrides"], "linkedin": {"notes": "Be brief."}},
    }
    saved = await put(app_client, workspace, changed, manager, before["etag"])
    assert saved.status_code == 200, saved.text

    payload = (await kit_events(container, workspace))[-1]
    async with container.sessionmaker() as session:
        kit_id = await session.scalar(
            select(BrandKitRow.id).where(BrandKitRow.workspace_id == workspace)
        )
    assert payload["subject_id"] == str(kit_id)
    assert payload["number"] == 2
    assert payload["changed_sections"] == ["rules", "channel_overrides"]
    assert payload["changed_fields"] == ["rules.banned_terms", "channel_overrides.linkedin"]
    assert payload["changes"]["version"] == [1, 2]
    assert payload["changes"]["rules.banned_terms"][1] == "cheap"
    assert payload["changes"]["channel_overrides.linkedin"] == [None, "notes: Be brief."]

    await container.relay.drain()
    audit = await app_client.get(
        f"/api/v1/workspaces/{workspace}/audit-events",
        params={"action": "brand_kit.updated", "object_id": str(kit_id)},
        headers=manager,
    )
    assert audit.status_code == 200, audit.text
    rows = audit.json()["items"]
    assert [r["changes"]["version"] for r in rows] == [[1, 2], [0, 1]]  # newest first
    assert rows[0]["object_type"] == "brand_kit"
    assert rows[0]["actor"]["type"] == "user"
    assert rows[0]["request_id"] == saved.headers["X-Request-ID"]
    assert rows[1]["actor"] == {"type": "system", "id": "seed-demo"}


async def test_other_contexts_read_the_typed_current_kit(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    async with container.sessionmaker() as session:
        kit = await current_brand_kit(session, acme)
        snapshot = await brand_kit_snapshot(session, acme)
    assert isinstance(kit, BrandKit)
    assert snapshot.version == 1
    assert snapshot.etag == (await read(app_client, acme, manager)).headers["ETag"]
    assert kit.tone_for(Channel.X) == ["punchy", "energetic"]
    assert kit.tone_for(Channel.LINKEDIN) == kit.voice.tone
    assert [d.key for d in kit.disclaimers_for(Channel.X)] == ["weight-comparison"]
    assert "free-returns" in [d.key for d in kit.disclaimers_for(Channel.EMAIL)]
    assert "#1" in [b.term for b in kit.banned_terms_for(Channel.SEARCH_AD)]
    assert "#1" not in [b.term for b in kit.banned_terms_for(Channel.EMAIL)]
    assert "Trailhawk" in kit.competitor_names()

    await remove_kit(container, acme)
    async with container.sessionmaker() as session:
        assert await current_brand_kit(session, acme) == BrandKit()
        assert (await brand_kit_snapshot(session, acme)).version == 0


async def test_versions_are_immutable_in_the_database(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    async with container.sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(BrandKitVersionRow))
        assert count == 2
        with pytest.raises(DBAPIError, match="immutable"):
            await session.execute(text("UPDATE brand_kit_versions SET number = number"))


async def test_seeding_again_adds_a_missing_kit_once(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    from brandflow.seed import run_seed

    await remove_kit(container, demo["globex-coffee"])
    url = container.settings.database_url or ""
    assert await run_seed(container.settings, url) is False
    assert await run_seed(container.settings, url) is False
    async with container.sessionmaker() as session:
        globex = await brand_kit_snapshot(session, demo["globex-coffee"])
        acme = await brand_kit_snapshot(session, demo["acme-running"])
    assert globex.version == 1
    assert "burns fat" in [b.term for b in globex.kit.rules.banned_terms]
    assert acme.version == 1
