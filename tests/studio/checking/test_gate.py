"""The submission gate and the workspace's minimum score."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from brandflow.bootstrap import Container
from brandflow.contexts.studio.checking.domain import StoredCheck, gate
from brandflow.contexts.studio.checking.service import submission_gate
from brandflow.kernel.errors import NotFound
from tests.studio.checking.conftest import create_item, get_check, stored_checks


def stored(score: int, findings: list[dict[str, Any]], min_score: int = 70) -> StoredCheck:
    blocked = any(f["severity"] == "blocker" for f in findings)
    now = datetime.now(UTC)
    return StoredCheck(
        id=uuid.uuid4(),
        content_id=uuid.uuid4(),
        version_number=1,
        channel="x",
        score=score,
        passed=not blocked and score >= min_score,
        min_score=min_score,
        checked_rules_count=3,
        findings=findings,
        brand_kit_version=1,
        engine_version="checks/1",
        judge=None,
        evidence_chunk_ids=(),
        created_at=now,
        checked_at=now,
    )


def test_a_blocker_fails_the_gate_whatever_the_score() -> None:
    card = {"kind": "pii", "severity": "blocker"}
    result = gate(stored(40, [card]), 0)
    assert result.passed is False
    assert result.min_score == 0
    assert result.reasons == ("1 blocking finding (pii): fix them whatever the score.",)


def test_the_gate_applies_todays_minimum_not_the_stored_one() -> None:
    check = stored(85, [{"kind": "banned_term", "severity": "major"}], min_score=70)
    assert check.passed is True
    stricter = gate(check, 90)
    assert stricter.passed is False
    assert stricter.score == 85
    assert stricter.reasons == ("The compliance score 85 is below the workspace's minimum of 90.",)
    assert gate(check, 85).passed is True
    assert gate(check, 85).reasons == ()
    assert check.against(90).passed is False
    assert check.against(90).min_score == 90
    assert check.against(70) is check


async def set_min_score(
    client: httpx.AsyncClient, workspace_id: uuid.UUID, headers: dict[str, str], score: int
) -> None:
    url = f"/api/v1/workspaces/{workspace_id}/ai-settings"
    current = await client.get(url, headers=headers)
    assert current.status_code == 200, current.text
    body = {k: v for k, v in current.json().items() if k in ("routing", "near_limit")}
    saved = await client.put(
        url,
        json={**body, "min_check_score": score, "tone_judge": False},
        headers={**headers, "If-Match": current.headers["ETag"]},
    )
    assert saved.status_code == 200, saved.text


async def test_the_gate_and_the_api_follow_the_workspace_minimum(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    contents_url: str,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    item = await create_item(
        app_client, contents_url, writer, {"channel": "x", "text": "Cheap shoes for the trail."}
    )
    await container.relay.drain()
    content_id = uuid.UUID(item.id)
    async with container.sessionmaker() as session:
        passing = await submission_gate(session, acme, content_id, 1)
    assert (passing.passed, passing.score, passing.min_score) == (True, 85, 70)
    assert passing.reasons == ()
    stored_id = passing.check_id

    await set_min_score(app_client, acme, manager, 90)
    async with container.sessionmaker() as session:
        failing = await submission_gate(session, acme, content_id, 1)
    assert failing.passed is False
    assert failing.min_score == 90
    assert failing.check_id == stored_id  # the same check, judged by today's minimum
    assert failing.reasons == ("The compliance score 85 is below the workspace's minimum of 90.",)
    check = await get_check(app_client, item, 1, writer)
    assert (check["passed"], check["min_score"], check["score"]) == (False, 90, 85)
    assert await stored_checks(container, item.id) == 1

    await set_min_score(app_client, acme, manager, 0)
    assert (await get_check(app_client, item, 1, writer))["passed"] is True


async def test_the_gate_checks_a_version_that_has_no_check_yet(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    text = "Cheap. Guaranteed. Better than Peakline and Summit Stride."
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": text})
    assert await stored_checks(container, item.id) == 0  # the consumer has not run
    async with container.sessionmaker() as session:
        result = await submission_gate(session, acme, uuid.UUID(item.id), 1)
        await session.commit()
    assert result.passed is False
    assert result.score < 70
    assert result.reasons == (
        f"The compliance score {result.score} is below the workspace's minimum of 70.",
    )
    assert await stored_checks(container, item.id) == 1


async def test_the_gate_knows_no_other_workspaces_versions(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    acme: uuid.UUID,
    contents_url: str,
    writer: dict[str, str],
) -> None:
    item = await create_item(app_client, contents_url, writer, {"channel": "x", "text": "Hi"})
    async with container.sessionmaker() as session:
        with pytest.raises(NotFound):
            await submission_gate(session, demo["globex-coffee"], uuid.UUID(item.id), 1)
        with pytest.raises(NotFound):
            await submission_gate(session, acme, uuid.UUID(item.id), 2)
        with pytest.raises(NotFound):
            await submission_gate(session, acme, uuid.uuid4(), 1)
    assert await stored_checks(container, item.id) == 0
