"""The model tone judge (offline composer, and a loopback OpenAI-compatible server), metered;
knowledge chunks as claim evidence."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from brandflow.app import create_app
from brandflow.bootstrap import Container, build_container
from brandflow.contexts.finops.orm import UsageRecord
from brandflow.settings import Settings
from tests.conftest import login, truncate_all
from tests.llm.openai_server import Fail, FakeOpenAI, Reply, Usage, serve_in_thread
from tests.studio.checking.conftest import (
    CHANNELS,
    WRITER,
    create_item,
    get_check,
    kinds,
    stored_checks,
)


async def ledger(container: Container, content_id: str) -> list[UsageRecord]:
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(UsageRecord)
            .where(UsageRecord.content_id == uuid.UUID(content_id))
            .order_by(UsageRecord.created_at)
        )
        return list(rows)


async def test_the_offline_judge_is_labelled_metered_and_cached(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    text = "Cheap trail shoes that grip on wet rock, in every size."
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": text})
    await container.relay.drain()
    plain = await get_check(app_client, item, 1, writer)

    judged = await app_client.post(item.check_url(1), json={"tone_judge": True}, headers=writer)
    assert judged.status_code == 200, judged.text
    check = judged.json()
    assert check["judge"] == "offline composer"
    assert check["id"] != plain["id"]  # a judged run is a run of its own
    assert check["findings"] == plain["findings"]  # the composer finds the copy on voice
    assert check["checked_rules_count"] == plain["checked_rules_count"] + 1
    assert check["score"] == plain["score"]
    assert await stored_checks(container, item.id) == 2
    assert (await get_check(app_client, item, 1, writer))["id"] == check["id"]  # the newest

    (paid,) = await ledger(container, item.id)
    assert (paid.task, paid.provider, paid.model) == ("check", "offline", "offline-composer")
    assert paid.cache_hit is False
    assert paid.actor_type == "user"
    assert paid.input_tokens > 0

    again = await app_client.post(item.check_url(1), json={"tone_judge": True}, headers=writer)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == check["id"]
    _, second = await ledger(container, item.id)
    assert second.cache_hit is True  # the same question is not paid twice
    assert await stored_checks(container, item.id) == 2


async def test_short_texts_are_not_sent_to_a_judge(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": "Run."})
    judged = await app_client.post(item.check_url(1), json={"tone_judge": True}, headers=writer)
    assert judged.status_code == 200, judged.text
    assert judged.json()["judge"] is None  # nothing of 20+ characters: no model judged
    assert await ledger(container, item.id) == []


# --- a real provider path: the loopback OpenAI-compatible server --------------------------

OFF_VOICE = {
    "verdict": "off_voice",
    "issues": [
        {
            "start": 0,
            "end": 5,
            "severity": "major",  # invalid: the schema allows minor or info only
            "message": "Shouting.",
        }
    ],
}
OFF_VOICE_VALID = {
    "verdict": "off_voice",
    "issues": [
        {
            "start": 0,
            "end": 9,
            "severity": "minor",
            "message": "Too pushy for an encouraging voice.",
            "suggestion": "Invite rather than order.",
            "replacement": "Try them",
        }
    ],
}


@pytest.fixture(scope="module")
def fake_openai() -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    with serve_in_thread(fake.app()) as base_url:
        yield fake, base_url


@pytest.fixture
async def loopback_client(
    settings: Settings, fake_openai: tuple[FakeOpenAI, str]
) -> AsyncIterator[tuple[httpx.AsyncClient, Container, FakeOpenAI]]:
    """The app with the deployment's chain on the loopback server (no workspace routing)."""
    fake, base_url = fake_openai
    fake.reset()
    configured = settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_base_url": base_url,
            "llm_api_key": SecretStr("sk-loopback-0123456789"),
            "llm_model": "gpt-loopback",
            "llm_timeout_seconds": 5.0,
            "llm_max_retries": 0,
        }
    )
    container = await build_container(configured)
    container.run_relay = False
    app = create_app(configured, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, container, fake
    finally:
        await container.close()
        await truncate_all(settings.database_url or "")


async def test_a_provider_judges_tone_without_seeing_personal_data(
    loopback_client: tuple[httpx.AsyncClient, Container, FakeOpenAI],
    demo: dict[str, uuid.UUID],
) -> None:
    client, container, fake = loopback_client
    writer = await login(client, WRITER)
    acme = demo["acme-running"]
    campaign = await client.post(
        f"/api/v1/workspaces/{acme}/campaigns",
        json={"name": "Tone", "objective": "Voice", "channels": CHANNELS},
        headers=writer,
    )
    contents_url = f"/api/v1/workspaces/{acme}/campaigns/{campaign.json()['id']}/contents"
    subject = "Buy them now before they are gone"
    body = "Questions? Write to jane.doe@example.com and we answer within a day."
    email = {"channel": "email", "subject": subject, "preheader": "", "body": body}
    item = await create_item(client, contents_url, writer, email)

    # The first answer breaks the schema: the gateway asks again, the second one counts.
    fake.script(
        Reply(tool_args=json.dumps(OFF_VOICE), usage=Usage(300, 40)),
        Reply(tool_args=json.dumps(OFF_VOICE_VALID), usage=Usage(320, 45)),
    )
    fake.auto_tool_args = json.dumps(OFF_VOICE_VALID)
    judged = await client.post(item.check_url(1), json={"tone_judge": True}, headers=writer)
    assert judged.status_code == 200, judged.text
    check = judged.json()
    assert check["judge"] == "openai:gpt-loopback"

    sent = json.dumps([r.body for r in fake.received])
    assert "jane.doe@example.com" not in sent  # redacted before it left
    assert "[EMAIL_1]" in sent
    assert subject in sent

    tone = {f["field"]: f for f in check["findings"] if f["kind"] == "tone"}
    assert set(tone) == {"subject", "body"}
    on_subject = tone["subject"]
    assert (on_subject["start"], on_subject["end"]) == (0, 9)
    assert on_subject["text"] == "Buy them "
    assert on_subject["severity"] == "minor"
    assert on_subject["rule"]["section"] == "voice.tone"
    assert on_subject["fix"] == {
        "field": "subject",
        "start": 0,
        "end": 9,
        "replacement": "Try them",
    }
    on_body = tone["body"]  # the model read placeholders: its offsets do not fit the original
    assert on_body["start"] is None
    assert on_body["fix"] is None
    assert on_body["message"] == "Too pushy for an encouraging voice."
    assert kinds(check).count("pii") == 1

    rows = await ledger(container, item.id)
    assert [(r.task, r.provider, r.model) for r in rows] == [
        ("check", "openai", "gpt-loopback")
    ] * 2
    assert rows[0].input_tokens >= 320  # the provider's count, retries included


async def test_a_provider_that_does_not_answer_is_a_503_and_costs_nothing(
    loopback_client: tuple[httpx.AsyncClient, Container, FakeOpenAI],
    demo: dict[str, uuid.UUID],
) -> None:
    client, container, fake = loopback_client
    writer = await login(client, WRITER)
    acme = demo["acme-running"]
    campaign = await client.post(
        f"/api/v1/workspaces/{acme}/campaigns",
        json={"name": "Down", "objective": "Voice", "channels": ["x"]},
        headers=writer,
    )
    contents_url = f"/api/v1/workspaces/{acme}/campaigns/{campaign.json()['id']}/contents"
    item = await create_item(
        client, contents_url, writer, {"channel": "x", "text": "Trail shoes for wet rock days."}
    )
    fake.default = Fail(500, "upstream down")
    response = await client.post(item.check_url(1), json={"tone_judge": True}, headers=writer)
    assert response.status_code == 503, response.text
    assert response.json()["type"].endswith("/tone-judge-unavailable")
    assert await ledger(container, item.id) == []
    assert await stored_checks(container, item.id) == 0
    # Without the judge the check still runs.
    plain = await client.post(item.check_url(1), json={"tone_judge": False}, headers=writer)
    assert plain.status_code == 200, plain.text


# --- knowledge as claim evidence ----------------------------------------------------------

LAB_REPORT = (
    "# Lab report TR-220\n\n"
    "In the wet-rock rig, the TrailFlow 3 outsole is 12% grippier than the TrailFlow 2 "
    "outsole, measured on slate at 5 degrees.\n"
)


async def test_a_knowledge_chunk_found_by_search_backs_a_claim_on_re_run(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    text = "TrailFlow 3 outsole: 12% grippier than TrailFlow 2."
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": text})
    await container.relay.drain()
    before = await get_check(app_client, item, 1, writer)
    (claim,) = before["findings"]
    assert (claim["kind"], claim["severity"]) == ("unapproved_claim", "major")
    assert claim["rule"]["section"] == "rules.approved_claims"

    upload = await app_client.post(
        f"/api/v1/workspaces/{acme}/knowledge/documents",
        headers=writer,
        files={"file": ("tr-220.md", LAB_REPORT.encode(), "text/markdown")},
    )
    assert upload.status_code == 201, upload.text
    await container.relay.drain()  # ingestion
    chunks = await app_client.get(
        f"/api/v1/workspaces/{acme}/knowledge/documents/{upload.json()['id']}/chunks",
        headers=writer,
    )
    (chunk,) = chunks.json()["items"]

    stale = await get_check(app_client, item, 1, writer)
    assert stale == before  # a read serves the stored check; knowledge is no kit version

    rerun = await app_client.post(item.check_url(1), headers=writer)
    assert rerun.status_code == 200, rerun.text
    after = rerun.json()
    (sourced,) = after["findings"]
    assert sourced["kind"] == "unapproved_claim"
    assert sourced["severity"] == "minor"  # backed: it needs approval, not removal
    assert sourced["rule"]["section"] == "knowledge"
    assert sourced["chunk_id"] == chunk["id"]
    assert sourced["rule"]["chunk_id"] == chunk["id"]
    assert after["evidence_chunk_ids"] == [chunk["id"]]
    assert after["score"] == 95
    assert after["id"] == before["id"]
