"""Generations end to end with the offline composer (the default with no provider configured):
the API queues, the worker's consumer writes, the versions carry provenance and checks."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select, text

from brandflow.bootstrap import Container
from brandflow.contexts.finops.orm import CachedResponse, UsageRecord
from brandflow.contexts.studio.checking.orm import ContentCheck
from brandflow.contexts.studio.orm import Generation, GenerationEvent
from brandflow.kernel.outbox import OutboxMessage
from brandflow.models import metadata
from tests.conftest import login
from tests.studio.generation.conftest import (
    CLIENT,
    GLOBEX_CLIENT,
    REVIEWER,
    Item,
    generate,
    generation,
    new_campaign,
    new_item,
)
from tests.studio.generation.sse import parse

PAN = "4111 1111 1111 1111"  # Visa's test number: Luhn-valid


async def version_body(
    client: httpx.AsyncClient, item: Item, number: int, headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.get(f"{item.url}/versions/{number}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["body"]
    return body


async def count(container: Container, model: Any, *where: Any) -> int:
    async with container.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_variants_become_draft_versions_with_provenance_checks_and_a_ledger(
    app_client: httpx.AsyncClient,
    container: Container,
    x_item: Item,
    guide: str,
    writer: dict[str, str],
) -> None:
    created = await generate(
        app_client, x_item, writer, variants=3, instructions="Mention the free returns."
    )
    assert created["status"] == "queued"
    assert created["variants"] == []
    assert created["variants_requested"] == 3
    assert created["events_url"].endswith(f"/generations/{created['id']}/events")

    await container.relay.drain()

    done = await generation(app_client, x_item, created["id"], writer)
    assert done["status"] == "succeeded", done
    assert [v["version_number"] for v in done["variants"]] == [2, 3, 4]
    assert all(0 <= v["score"] <= 100 and v["check_id"] for v in done["variants"])
    assert done["model_label"] == "offline composer"
    assert done["usage"]["calls"] == 3
    assert done["usage"]["cost"] == "0.00"
    assert done["finished_at"] is not None
    assert done["attempts"] == 1

    texts = [(await version_body(app_client, x_item, n, writer))["text"] for n in (2, 3, 4)]
    assert len(set(texts)) > 1, "variants differ"
    assert any("[K1]" in t for t in texts), "the copy cites the retrieved guide"

    for index, number in enumerate((2, 3, 4), start=1):
        response = await app_client.get(x_item.provenance(number), headers=writer)
        assert response.status_code == 200, response.text
        provenance = response.json()
        assert provenance["generation_id"] == created["id"]
        assert provenance["variant_index"] == index
        assert provenance["operation"] == "generate"
        assert provenance["template"]["builtin"] is True
        assert provenance["template"]["version"] == 0
        assert len(provenance["template"]["sha256"]) == 64
        assert provenance["model"]["label"] == "offline composer"
        assert provenance["model"]["offline"] is True
        assert provenance["parameters"]["output_type"] == "XBody"
        chunk = provenance["chunks"][0]
        assert chunk["citation_id"] == "K1"
        assert chunk["document_id"] == guide
        assert chunk["score"] > 0
        assert provenance["check"]["check_id"] == done["variants"][index - 1]["check_id"]
        assert provenance["input_tokens"] > 0
        assert provenance["output_tokens"] > 0
        assert provenance["usage_record_id"] is not None
        assert provenance["cost"] == "0.00"
        assert [a["outcome"] for a in provenance["attempts"]] == ["ok"]

    content_id = uuid.UUID(x_item.id)
    assert await count(container, ContentCheck, ContentCheck.content_id == content_id) >= 3
    assert (
        await count(
            container,
            UsageRecord,
            UsageRecord.content_id == content_id,
            UsageRecord.task == "generate",
            UsageRecord.provider == "offline",
            UsageRecord.cost_usd == 0,
        )
        == 3
    )


async def test_events_stream_every_step_and_resume_after_last_event_id(
    app_client: httpx.AsyncClient,
    container: Container,
    x_item: Item,
    guide: str,
    writer: dict[str, str],
) -> None:
    created = await generate(app_client, x_item, writer, variants=2)
    await container.relay.drain()
    url = f"{x_item.generations}/{created['id']}/events"

    response = await app_client.get(url, headers=writer)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-store"
    events, _ = parse(response.text)

    assert [e.id for e in events] == list(range(1, len(events) + 1))
    assert events[0].kind == "status"
    assert events[0].data == {"status": "queued"}
    assert events[1].kind == "status"
    assert events[1].data["status"] == "running"
    steps = [(e.data["step"], e.data.get("variant")) for e in events if e.kind == "progress"]
    assert steps == [
        ("retrieving", None),
        ("prompting", None),
        ("generating", 1),
        ("generating", 2),
        ("checking", None),
        ("saving", None),
    ]
    for variant, number in ((1, 2), (2, 3)):
        tokens = [
            e.data["text"] for e in events if e.kind == "token" and e.data["variant"] == variant
        ]
        # The composer streams ~24-character pieces; they are written in ~100 ms batches.
        streamed = "".join(tokens)
        assert len(tokens) <= 3 < len(streamed) // 24
        assert json.loads(streamed) == await version_body(app_client, x_item, number, writer)
    variants = [e.data for e in events if e.kind == "variant"]
    assert [v["version_number"] for v in variants] == [2, 3]
    assert events[-2].kind == "status"
    assert events[-2].data == {"status": "succeeded"}
    assert events[-1].kind == "done"
    assert events[-1].data["version_numbers"] == [2, 3]

    middle = events[4].id
    resumed = await app_client.get(url, headers={**writer, "Last-Event-ID": str(middle)})
    assert resumed.status_code == 200
    assert parse(resumed.text)[0] == events[middle:]

    at_end = await app_client.get(url, headers={**writer, "Last-Event-ID": str(events[-1].id)})
    assert at_end.status_code == 200
    assert parse(at_end.text)[0] == []

    bad = await app_client.get(url, headers={**writer, "Last-Event-ID": "seven"})
    assert bad.status_code == 422, bad.text


async def test_personal_data_is_sent_as_placeholders_and_restored_in_the_version(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    writer: dict[str, str],
) -> None:
    email = "press.desk@acme-running.example"
    campaign = await new_campaign(
        app_client,
        acme,
        writer,
        key_messages=[f"Journalists can write to {email} for test pairs."],
    )
    item = await new_item(
        app_client, acme, campaign, writer, {"channel": "linkedin", "text": "Soon."}
    )
    created = await generate(app_client, item, writer)
    await container.relay.drain()

    done = await generation(app_client, item, created["id"], writer)
    assert done["status"] == "succeeded", done
    saved = (await version_body(app_client, item, 2, writer))["text"]
    assert email in saved
    assert "[EMAIL_" not in saved
    provenance = (await app_client.get(item.provenance(2), headers=writer)).json()
    assert provenance["guardrails"]["pii_redacted"] == {"EMAIL_ADDRESS": 1}
    assert provenance["guardrails"]["placeholders_missing"] == []
    # What the model answered is cached as it answered: with the placeholder, never the address.
    async with container.sessionmaker() as session:
        cached = [json.dumps(r) for r in await session.scalars(select(CachedResponse.response))]
    assert cached
    assert all(email not in c for c in cached)
    assert any("[EMAIL_1]" in c for c in cached), cached
    stream = await app_client.get(f"{item.generations}/{created['id']}/events", headers=writer)
    streamed = "".join(e.data["text"] for e in parse(stream.text)[0] if e.kind == "token")
    assert email in streamed, "tokens are streamed with the originals restored"


async def test_a_card_number_is_refused_and_stored_nowhere(
    app_client: httpx.AsyncClient,
    container: Container,
    x_item: Item,
    writer: dict[str, str],
) -> None:
    response = await app_client.post(
        x_item.generations,
        json={"instructions": f"Bill it to {PAN}, thanks"},
        headers={**writer, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("/payment-card-refused")
    assert "1111" in problem["detail"]
    assert PAN not in response.text
    assert await count(container, Generation) == 0
    assert (
        await count(container, OutboxMessage, OutboxMessage.type == "studio.generation_requested")
        == 0
    )
    digits = PAN.replace(" ", "")
    async with container.sessionmaker() as session:
        for table in metadata.sorted_tables:
            found = await session.scalar(
                text(
                    f'SELECT count(*) FROM "{table.name}" AS t '  # noqa: S608 - our table names
                    "WHERE replace(replace(t::text, ' ', ''), '-', '') LIKE :digits"
                ),
                {"digits": f"%{digits}%"},
            )
            assert found == 0, f"the card number is stored in {table.name}"


async def test_a_used_up_hard_budget_refuses_with_402_before_anything_is_queued(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    x_item: Item,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    budget = await app_client.put(
        f"/api/v1/workspaces/{acme}/budgets",
        json={"workspace": {"monthly_limit": "0.00", "hard_limit": True}},
        headers=manager,
    )
    assert budget.status_code == 200, budget.text
    response = await app_client.post(x_item.generations, json={}, headers=writer)
    assert response.status_code == 402, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/budget-exceeded")
    assert await count(container, Generation) == 0
    assert await count(container, UsageRecord) == 0


async def test_bodies_that_do_not_fit_the_operation_are_refused(
    app_client: httpx.AsyncClient, x_item: Item, writer: dict[str, str]
) -> None:
    for body in (
        {"variants": 0},
        {"variants": 6},
        {"variants": "three"},
        {"operation": "summarise"},
        {"operation": "change_tone"},
        {"operation": "translate", "language": "not a language"},
        {"operation": "generate", "tone": "warm"},
        {"operation": "generate", "source_version": 1},
        {"operation": "shorten", "source_version": 99},
        {"instructions": "x" * 4001},
        {"unexpected": True},
    ):
        response = await app_client.post(x_item.generations, json=body, headers=writer)
        assert response.status_code == 422, (body, response.text)
    accepted = await app_client.post(
        x_item.generations,
        json={"instructions": "Écrivez pour les coureurs 🏃 — 日本語も", "variants": 1},
        headers=writer,
    )
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["instructions"] == "Écrivez pour les coureurs 🏃 — 日本語も"


async def test_roles_and_other_workspaces(
    app_client: httpx.AsyncClient,
    container: Container,
    x_item: Item,
    writer: dict[str, str],
) -> None:
    created = await generate(app_client, x_item, writer)
    await container.relay.drain()
    reviewer = await login(app_client, REVIEWER)
    refused = await app_client.post(x_item.generations, json={}, headers=reviewer)
    assert refused.status_code == 403

    client = await login(app_client, CLIENT)
    seen = await generation(app_client, x_item, created["id"], client)
    assert seen["status"] == "succeeded"
    assert seen["usage"] is None
    provenance = (await app_client.get(x_item.provenance(2), headers=client)).json()
    assert provenance["cost"] is None

    stranger = await login(app_client, GLOBEX_CLIENT)
    for method, url in (
        ("POST", x_item.generations),
        ("GET", x_item.generations),
        ("GET", f"{x_item.generations}/{created['id']}"),
        ("GET", f"{x_item.generations}/{created['id']}/events"),
        ("GET", x_item.provenance(2)),
    ):
        response = await app_client.request(
            method, url, headers=stranger, json={} if method == "POST" else None
        )
        assert response.status_code == 404, (method, url, response.text)
        problem = response.json()
        problem.pop("instance")  # the caller's own path
        assert created["id"] not in json.dumps(problem)

    unknown = await app_client.get(f"{x_item.generations}/{uuid.uuid4()}", headers=writer)
    assert unknown.status_code == 404


async def test_a_version_written_by_a_person_has_no_provenance(
    app_client: httpx.AsyncClient, x_item: Item, writer: dict[str, str]
) -> None:
    response = await app_client.get(x_item.provenance(1), headers=writer)
    assert response.status_code == 404
    problem = response.json()
    assert problem["type"].endswith("/provenance-not-found")
    assert "not generated" in problem["detail"]
    missing = await app_client.get(x_item.provenance(9), headers=writer)
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("/not-found")


async def test_generations_are_listed_newest_first_with_a_cursor(
    app_client: httpx.AsyncClient, x_item: Item, writer: dict[str, str]
) -> None:
    ids = [(await generate(app_client, x_item, writer))["id"] for _ in range(3)]
    first = await app_client.get(x_item.generations, params={"limit": 2}, headers=writer)
    assert first.status_code == 200, first.text
    page = first.json()
    assert [g["id"] for g in page["items"]] == ids[::-1][:2]
    second = await app_client.get(
        x_item.generations, params={"limit": 2, "cursor": page["next_cursor"]}, headers=writer
    )
    assert [g["id"] for g in second.json()["items"]] == ids[:1]
    assert second.json()["next_cursor"] is None


async def test_events_of_a_generation_are_kept_per_generation(
    container: Container, app_client: httpx.AsyncClient, x_item: Item, writer: dict[str, str]
) -> None:
    """Two generations number their events from 1 each: ids are per generation."""
    a = await generate(app_client, x_item, writer)
    b = await generate(app_client, x_item, writer)
    await container.relay.drain()
    async with container.sessionmaker() as session:
        for gid in (a["id"], b["id"]):
            seqs = list(
                await session.scalars(
                    select(GenerationEvent.seq)
                    .where(GenerationEvent.generation_id == uuid.UUID(gid))
                    .order_by(GenerationEvent.seq)
                )
            )
            assert seqs == list(range(1, len(seqs) + 1))
            assert len(seqs) > 5


async def test_the_tone_judge_checks_generated_versions_when_the_workspace_turned_it_on(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    x_item: Item,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    settings_url = f"/api/v1/workspaces/{acme}/ai-settings"
    current = await app_client.get(settings_url, headers=manager)
    assert current.status_code == 200, current.text
    turned_on = await app_client.put(
        settings_url,
        json={"min_check_score": 70, "tone_judge": True},
        headers={**manager, "If-Match": current.headers["etag"]},
    )
    assert turned_on.status_code == 200, turned_on.text
    created = await generate(app_client, x_item, writer)
    await container.relay.drain()
    assert (await generation(app_client, x_item, created["id"], writer))["status"] == "succeeded"
    check = await app_client.get(f"{x_item.url}/versions/2/check", headers=writer)
    assert check.status_code == 200, check.text
    assert check.json()["judge"] == "offline composer"
    judged = await count(
        container,
        UsageRecord,
        UsageRecord.content_id == uuid.UUID(x_item.id),
        UsageRecord.task == "check",
    )
    assert judged >= 1, "the judge's calls are metered as checks"


async def test_a_retried_request_with_its_idempotency_key_queues_one_generation(
    app_client: httpx.AsyncClient, x_item: Item, writer: dict[str, str]
) -> None:
    """A client that lost the 202 retries with the same key: the same job, not a second one
    (and a second bill). The OpenAPI document declares the header on this operation."""
    headers = {**writer, "Idempotency-Key": f"generate-{uuid.uuid4()}"}
    body = {"operation": "generate", "instructions": "Three lines about the new lugs."}
    first = await app_client.post(x_item.generations, json=body, headers=headers)
    again = await app_client.post(x_item.generations, json=body, headers=headers)
    assert first.status_code == again.status_code == 202, again.text
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["location"] == first.headers["location"]
    listed = await app_client.get(x_item.generations, headers=writer)
    assert [g["id"] for g in listed.json()["items"]] == [first.json()["id"]]

    other = await app_client.post(
        x_item.generations, json={**body, "instructions": "Something else."}, headers=headers
    )
    assert other.status_code == 422, other.text
    assert other.headers["content-type"].startswith("application/problem+json")

    document = (await app_client.get("/api/v1/openapi.json")).json()
    operation = document["paths"][
        "/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}/contents/{content_id}/generations"
    ]["post"]
    assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]
