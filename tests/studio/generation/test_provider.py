"""The provider path against the loopback OpenAI-compatible server: metering to the ledger,
PII proven on what the server received, invalid output, and budgets in the worker."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import select

from brandflow.bootstrap import Container
from brandflow.contexts.finops.orm import BudgetReservation, UsageRecord
from brandflow.contexts.finops.public import BudgetExceeded, Task
from brandflow.contexts.studio.metering import Attribution, Meter, ModelCall, metered_call
from brandflow.kernel.context import Actor
from brandflow.kernel.llm import ModelChain
from tests.llm.openai_server import Fail, Reply, Usage
from tests.studio.generation.conftest import (
    LOOPBACK_MODEL,
    PRICE_IN,
    PRICE_OUT,
    Item,
    Provider,
    generate,
    generation,
    new_campaign,
    new_item,
)
from tests.studio.generation.sse import parse

MILLION = Decimal(1_000_000)
EMAIL = "jane.doe@acme-running.example"
PHONE = "+44 20 7946 0958"


def cost(usage: Usage) -> Decimal:
    return (usage.prompt_tokens * PRICE_IN + usage.completion_tokens * PRICE_OUT) / MILLION


async def reservations(container: Container, workspace_id: uuid.UUID) -> list[BudgetReservation]:
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(BudgetReservation).where(BudgetReservation.workspace_id == workspace_id)
        )
        return list(rows)


async def ledger(container: Container, workspace_id: uuid.UUID) -> list[UsageRecord]:
    async with container.sessionmaker() as session:
        rows = await session.scalars(
            select(UsageRecord)
            .where(UsageRecord.workspace_id == workspace_id)
            .order_by(UsageRecord.created_at)
        )
        return list(rows)


class Tagline(BaseModel):
    tagline: str


async def test_a_metered_call_ledgers_what_the_server_reported_then_hits_the_cache(
    provider: Provider, acme: uuid.UUID
) -> None:
    fake, container = provider.server.fake, provider.container
    usage = Usage(prompt_tokens=1234, completion_tokens=56, cached_tokens=0)
    fake.default = Reply(tool_args=json.dumps({"tagline": "Grip for wet rock"}), usage=usage)
    meter = Meter(container.sessionmaker, container.gateway, container.settings)
    who = Attribution(acme, Task.GENERATE, Actor("user", "writer-1"), request_id="req-1")
    chain = ModelChain.of(*container.gateway.chain.routes)
    call = ModelCall(prompt="A tagline, please.", system="Be brief.", output_type=Tagline)

    deltas: list[str] = []

    async def on_delta(text: str) -> None:
        deltas.append(text)

    first = await metered_call(meter, who, call, chain, on_delta=on_delta)
    assert first.output == Tagline(tagline="Grip for wet rock")
    assert json.loads("".join(deltas)) == {"tagline": "Grip for wet rock"}
    assert not first.cache_hit
    assert first.provider == "openai"
    assert first.model == LOOPBACK_MODEL
    (row,) = await ledger(container, acme)
    assert (row.input_tokens, row.output_tokens) == (1234, 56)
    assert row.cost_usd == cost(usage) == first.cost
    assert (row.task, row.actor_id, row.request_id) == ("generate", "writer-1", "req-1")
    assert len(fake.received) == 1

    again = await metered_call(meter, who, call, chain)
    assert again.cache_hit
    assert again.output == first.output
    assert len(fake.received) == 1, "a cache hit calls no model"
    hit = (await ledger(container, acme))[-1]
    assert hit.cache_hit
    assert hit.cost_usd == 0
    assert hit.input_tokens == 1234

    other = await metered_call(
        meter,
        who,
        ModelCall(prompt="A tagline, please.", output_type=Tagline, distinct={"variant": 2}),
        chain,
    )
    assert not other.cache_hit
    assert len(fake.received) == 2


async def test_a_call_over_the_hard_budget_is_refused_before_anything_is_sent(
    provider: Provider, acme: uuid.UUID, manager: dict[str, str], app_client: httpx.AsyncClient
) -> None:
    await app_client.put(
        f"/api/v1/workspaces/{acme}/budgets",
        json={"workspace": {"monthly_limit": "0.01", "hard_limit": True}},
        headers=manager,
    )
    container = provider.container
    meter = Meter(container.sessionmaker, container.gateway, container.settings)
    who = Attribution(acme, Task.GENERATE, Actor("user", "writer-1"))
    huge = ModelCall(prompt="x" * 30_000, max_tokens=4000)  # estimated well over a cent
    with pytest.raises(BudgetExceeded):
        await metered_call(meter, who, huge, container.gateway.chain)
    assert provider.server.fake.received == []
    assert await ledger(container, acme) == []


async def test_personal_data_never_reaches_the_provider_and_comes_back_in_the_version(
    provider: Provider, acme: uuid.UUID, writer: dict[str, str]
) -> None:
    client, fake = provider.client, provider.server.fake
    campaign = await new_campaign(client, acme, writer)
    item = await new_item(client, acme, campaign, writer, {"channel": "x", "text": "Soon."})
    usage = Usage(prompt_tokens=900, completion_tokens=40)
    fake.default = Reply(
        tool_args=json.dumps(
            {"channel": "x", "text": "Test pairs: write to [EMAIL_1] or call [PHONE_1] today."}
        ),
        usage=usage,
        chunk_chars=5,
    )
    created = await generate(
        client,
        item,
        writer,
        instructions=f"Invite journalists to email {EMAIL} or call {PHONE}.",
    )
    await provider.container.relay.drain()

    done = await generation(client, item, created["id"], writer)
    assert done["status"] == "succeeded", done
    assert done["model_label"] == f"openai:{LOOPBACK_MODEL}"
    assert Decimal(done["usage"]["cost"]) == cost(usage)
    sent = json.dumps([r.body for r in fake.received])
    assert fake.received
    assert EMAIL not in sent
    assert "7946" not in sent
    assert "[EMAIL_1]" in sent
    assert "Write variant 1 of 1" in sent, "the rendered template is what was sent"
    assert "[PHONE_1]" in sent
    assert fake.received[0].headers["authorization"] == "Bearer sk-loopback-secret-0123456789"

    version = (await client.get(f"{item.url}/versions/2", headers=writer)).json()["body"]
    assert version["text"] == f"Test pairs: write to {EMAIL} or call {PHONE} today."
    provenance = (await client.get(item.provenance(2), headers=writer)).json()
    assert provenance["guardrails"]["pii_redacted"] == {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
    assert provenance["model"] == {
        "provider": "openai",
        "model": LOOPBACK_MODEL,
        "label": f"openai:{LOOPBACK_MODEL}",
        "offline": False,
        "route_note": None,
    }
    assert (provenance["input_tokens"], provenance["output_tokens"]) == (900, 40)
    assert Decimal(provenance["cost"]) == cost(usage)
    (row,) = [r for r in await ledger(provider.container, acme) if r.task == "generate"]
    assert str(row.id) == provenance["usage_record_id"]
    assert row.content_id == uuid.UUID(item.id)
    assert row.campaign_id == uuid.UUID(campaign)

    events = parse(
        (await client.get(f"{item.generations}/{created['id']}/events", headers=writer)).text
    )[0]
    streamed = "".join(e.data["text"] for e in events if e.kind == "token")
    assert EMAIL in streamed
    assert "[EMAIL_1]" not in streamed


async def test_invalid_structured_output_is_retried_then_fails_with_a_reason(
    provider: Provider, acme: uuid.UUID, writer: dict[str, str]
) -> None:
    client, fake = provider.client, provider.server.fake
    campaign = await new_campaign(client, acme, writer)
    item = await new_item(client, acme, campaign, writer, {"channel": "x", "text": "Soon."})
    fake.default = Reply(tool_args=json.dumps({"channel": "x", "text": "y" * 400}))
    created = await generate(client, item, writer, variants=2)
    await provider.container.relay.drain()

    done = await generation(client, item, created["id"], writer)
    assert done["status"] == "failed", done
    assert done["error_code"] == "model-output-invalid"
    assert "did not match" in done["reason"] or "invalid" in done["reason"].lower()
    assert len(fake.received) >= 2, "the model was asked again"
    listed = (await client.get(f"{item.url}/versions", headers=writer)).json()["items"]
    assert [v["number"] for v in listed] == [1], "no version was saved"
    events = parse(
        (await client.get(f"{item.generations}/{created['id']}/events", headers=writer)).text
    )[0]
    assert events[-1].kind == "error"
    assert events[-1].data["code"] == "model-output-invalid"


async def test_a_call_whose_output_never_validates_still_ledgers_the_billed_answers(
    provider: Provider, acme: uuid.UUID, writer: dict[str, str]
) -> None:
    client, fake, container = provider.client, provider.server.fake, provider.container
    campaign = await new_campaign(client, acme, writer)
    item = await new_item(client, acme, campaign, writer, {"channel": "x", "text": "Soon."})
    usage = Usage(prompt_tokens=731, completion_tokens=29)
    fake.default = Reply(tool_args=json.dumps({"channel": "x", "text": "y" * 400}), usage=usage)
    created = await generate(client, item, writer)
    await container.relay.drain()

    done = await generation(client, item, created["id"], writer)
    assert done["status"] == "failed"
    assert done["error_code"] == "model-output-invalid"
    # The streamed answer, then the unstreamed one and its output retries: all billed.
    answers = len(fake.received)
    assert answers >= 3
    (row,) = [r for r in await ledger(container, acme) if r.task == "generate"]
    assert (row.input_tokens, row.output_tokens) == (731 * answers, 29 * answers)
    assert row.cost_usd == cost(usage) * answers
    assert (row.provider, row.model) == ("openai", LOOPBACK_MODEL)
    assert row.reservation_id is not None, "the call's reservation was settled with it"
    assert await reservations(container, acme) == []


async def test_a_failure_in_a_later_variant_saves_no_variant(
    provider: Provider, acme: uuid.UUID, writer: dict[str, str]
) -> None:
    client, fake = provider.client, provider.server.fake
    campaign = await new_campaign(client, acme, writer)
    item = await new_item(client, acme, campaign, writer, {"channel": "x", "text": "Soon."})
    good = Reply(tool_args=json.dumps({"channel": "x", "text": "Grip that holds."}))
    bad = Reply(tool_args=json.dumps({"channel": "x", "text": "y" * 400}))
    fake.script(good, bad, bad, bad, bad, bad)
    created = await generate(client, item, writer, variants=2)
    await provider.container.relay.drain()

    done = await generation(client, item, created["id"], writer)
    assert done["status"] == "failed"
    assert done["usage"]["calls"] == 1, "the first variant's call is still shown (and ledgered)"
    listed = (await client.get(f"{item.url}/versions", headers=writer)).json()["items"]
    assert [v["number"] for v in listed] == [1]
    spent = [r for r in await ledger(provider.container, acme) if r.task == "generate"]
    # The second variant's answers never validated, but they were billed: a row of their own.
    assert len(spent) == 2


async def test_the_worker_refuses_a_call_the_budget_no_longer_allows(
    provider: Provider,
    acme: uuid.UUID,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    client, fake = provider.client, provider.server.fake
    campaign = await new_campaign(client, acme, writer)
    item = await new_item(client, acme, campaign, writer, {"channel": "x", "text": "Soon."})
    created = await generate(client, item, writer)
    # Queued under budget; by the time the worker runs, the budget is a cent (under its estimate).
    budget = await client.put(
        f"/api/v1/workspaces/{acme}/budgets",
        json={"workspace": {"monthly_limit": "0.00", "hard_limit": True}},
        headers=manager,
    )
    assert budget.status_code == 200, budget.text
    await provider.container.relay.drain()

    done = await generation(client, item, created["id"], writer)
    assert done["status"] == "failed"
    assert done["error_code"] == "budget-exceeded"
    assert "monthly budget" in done["reason"]
    assert fake.received == [], "nothing was sent"
    assert [r for r in await ledger(provider.container, acme) if r.task == "generate"] == []


async def test_a_translation_prompt_carries_the_source_and_the_language(
    provider: Provider, acme: uuid.UUID, writer: dict[str, str]
) -> None:
    client, fake = provider.client, provider.server.fake
    campaign = await new_campaign(client, acme, writer)
    item = await new_item(
        client, acme, campaign, writer, {"channel": "x", "text": "Grip that holds on wet rock."}
    )
    fake.default = Reply(
        tool_args=json.dumps({"channel": "x", "text": "Grip, der auf nassem Fels hält."})
    )
    created = await generate(client, item, writer, operation="translate", language="de-DE")
    await provider.container.relay.drain()
    assert (await generation(client, item, created["id"], writer))["status"] == "succeeded"
    prompt = json.dumps(fake.received[0].messages, ensure_ascii=False)
    assert "Translate the text into German (de-DE)" in prompt
    assert "Grip that holds on wet rock." in prompt
    version = (await client.get(f"{item.url}/versions/2", headers=writer)).json()["body"]
    assert version["text"] == "Grip, der auf nassem Fels hält."


async def test_a_gateway_without_routes_to_spare_reports_the_provider_error(
    provider: Provider, acme: uuid.UUID, writer: dict[str, str]
) -> None:
    client, fake = provider.client, provider.server.fake
    campaign = await new_campaign(client, acme, writer)
    item: Item = await new_item(client, acme, campaign, writer, {"channel": "x", "text": "Soon."})
    fake.default = Fail(503)
    created = await generate(client, item, writer)
    await provider.container.relay.drain()
    done = await generation(client, item, created["id"], writer)
    assert done["status"] == "failed"
    assert done["error_code"] == "model-unavailable"
    assert [r for r in await ledger(provider.container, acme) if r.task == "generate"] == []
    assert await reservations(provider.container, acme) == [], "released, not left to expire"
