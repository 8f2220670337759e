"""The checking consumer and the service contract: replays, concurrency, the run key, the
deferred version key, and what the generation pipeline calls."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from brandflow.bootstrap import Container
from brandflow.contexts.content.public import parse_body, stored_version
from brandflow.contexts.studio.checking.handlers import CONSUMERS
from brandflow.contexts.studio.checking.service import (
    check_version,
    current_check,
    latest_check,
)
from brandflow.contexts.studio.checks import KnowledgeEvidence
from brandflow.kernel.events import Envelope
from brandflow.kernel.messaging.consumers import run_consumer
from brandflow.kernel.outbox import OutboxMessage
from tests.studio.checking.conftest import add_version, create_item, get_check, stored_checks

(CONSUMER,) = CONSUMERS


async def envelopes(container: Container, content_id: str) -> list[Envelope]:
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.type.like("content.%"))
            .order_by(OutboxMessage.created_at)
        )
        return [
            Envelope.model_validate(row.envelope)
            for row in rows
            if row.envelope["payload"]["subject_id"] == content_id
        ]


async def test_a_replayed_event_checks_nothing_twice(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    item = await create_item(
        app_client, contents_url, writer, {"channel": "x", "text": "Cheap trail shoes."}
    )
    await add_version(app_client, item, writer, {"channel": "x", "text": "Great value shoes."})
    await container.relay.drain()
    created, added = await envelopes(container, item.id)
    assert (created.type, added.type) == ("content.content_created", "content.version_created")
    first = await get_check(app_client, item, 1, writer)
    second = await get_check(app_client, item, 2, writer)

    # The same event again: the kernel's processed-message mark makes it a no-op.
    assert await run_consumer(container.sessionmaker, CONSUMER, created) is False
    # The same fact under a new event id (a republished message): the run key holds.
    for envelope in (created, added):
        again = envelope.model_copy(update={"event_id": uuid.uuid4()})
        assert await run_consumer(container.sessionmaker, CONSUMER, again) is True

    assert await stored_checks(container, item.id, 1) == 1
    assert await stored_checks(container, item.id, 2) == 1
    assert await get_check(app_client, item, 1, writer) == first
    assert await get_check(app_client, item, 2, writer) == second  # not even re-run


async def test_an_event_of_a_deleted_or_unknown_version_is_skipped(
    app_client: httpx.AsyncClient,
    container: Container,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": "Hi"})
    (created,) = await envelopes(container, item.id)
    gone = created.model_copy(
        update={
            "event_id": uuid.uuid4(),
            "payload": {**created.payload, "subject_id": str(uuid.uuid4())},
        }
    )
    assert await run_consumer(container.sessionmaker, CONSUMER, gone) is True
    later = created.model_copy(
        update={
            "event_id": uuid.uuid4(),
            "type": "content.version_created",
            "payload": {**created.payload, "number": 7, "changed_fields": []},
        }
    )
    assert await run_consumer(container.sessionmaker, CONSUMER, later) is True
    assert await stored_checks(container, item.id) == 0


async def test_concurrent_first_reads_store_one_check(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    item = await create_item(
        app_client, contents_url, writer, {"channel": "x", "text": "Cheap, cheap, cheap."}
    )

    async def read_in_own_session() -> uuid.UUID:
        async with container.sessionmaker() as session:
            version = await stored_version(session, acme, uuid.UUID(item.id), 1)
            assert version is not None
            check = await current_check(session, acme, version)
            await session.commit()
            return check.id

    ids = await asyncio.gather(*(read_in_own_session() for _ in range(6)))
    assert len(set(ids)) == 1
    assert await stored_checks(container, item.id) == 1
    responses = await asyncio.gather(
        *(app_client.get(item.check_url(1), headers=writer) for _ in range(4))
    )
    assert {r.json()["id"] for r in responses} == {str(ids[0])}


async def test_check_version_stores_the_callers_evidence_and_replaces_its_run(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    """The generation's call: the chunks it retrieved are the claims' evidence."""
    text = "TrailFlow 3 soles are 12% grippier than last year's."
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": text})
    await container.relay.drain()
    plain = await get_check(app_client, item, 1, writer)
    (claim,) = plain["findings"]
    assert claim["kind"] == "unapproved_claim"
    assert claim["severity"] == "major"

    chunk_id = uuid.uuid4()
    evidence = KnowledgeEvidence(
        chunk_id, "Lab report: TrailFlow 3 soles are 12% grippier than last year's soles."
    )
    body = parse_body({"channel": "x", "text": text})
    async with container.sessionmaker() as session:
        stored = await check_version(
            session, acme, uuid.UUID(item.id), 1, body, evidence=[evidence]
        )
        await session.commit()
    assert str(stored.id) == plain["id"]  # same kit, engine, no judge: the same row, replaced
    assert stored.evidence_chunk_ids == (chunk_id,)
    (sourced,) = stored.finding_models()
    assert sourced.severity.value == "minor"  # backed by a chunk: one step lower
    assert sourced.rule.section.value == "knowledge"
    assert sourced.rule.chunk_id == chunk_id
    assert stored.findings[0]["text"] == text
    assert stored.score == 95
    assert await stored_checks(container, item.id) == 1

    read = await get_check(app_client, item, 1, writer)
    assert read["findings"][0]["chunk_id"] == str(chunk_id)
    assert read["evidence_chunk_ids"] == [str(chunk_id)]
    async with container.sessionmaker() as session:
        latest = await latest_check(session, acme, uuid.UUID(item.id), 1)
        assert latest is not None
        assert latest.id == stored.id
        assert await latest_check(session, acme, uuid.UUID(item.id), 2) is None
        other = uuid.uuid4()
        assert await latest_check(session, other, uuid.UUID(item.id), 1) is None


async def test_a_check_of_a_version_that_is_never_written_cannot_commit(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    """The version key is checked at commit: a check may come first in its transaction, but
    a check of a version that never comes is refused."""
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": "Hi"})
    body = parse_body({"channel": "x", "text": "A variant never saved"})
    async with container.sessionmaker() as session:
        stored = await check_version(session, acme, uuid.UUID(item.id), 2, body)
        assert stored.version_number == 2
        with pytest.raises(IntegrityError, match="fk_content_checks_content_versions"):
            await session.commit()
    assert await stored_checks(container, item.id) == 0


async def test_a_check_cannot_point_at_another_workspaces_content(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    contents_url: str,
    writer: dict[str, str],
) -> None:
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": "Hi"})
    body = parse_body({"channel": "x", "text": "Hi"})
    async with container.sessionmaker() as session:
        with pytest.raises(IntegrityError, match="fk_content_checks_content_items"):
            await check_version(session, demo["globex-coffee"], uuid.UUID(item.id), 1, body)
