"""Events over the real RabbitMQ: publish, consume, retry, dead-letter, deduplicate."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import aio_pika
import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from brandflow.app import create_app
from brandflow.bootstrap import Container, build_container, build_embedder, collect_consumers
from brandflow.contexts.audit.orm import AuditEvent
from brandflow.contexts.knowledge.public import KnowledgeRuntime
from brandflow.kernel.db import create_engine, create_sessionmaker
from brandflow.kernel.events import Envelope
from brandflow.kernel.messaging.consumers import Consumer
from brandflow.kernel.messaging.rabbit import ATTEMPT_HEADER, RabbitTransport, binding_keys
from brandflow.kernel.messaging.retries import DeliveryFailure, FailureStore
from brandflow.kernel.storage import file_store
from brandflow.kernel.uow import UnitOfWork
from brandflow.settings import Settings
from brandflow.worker import run_worker
from tests.conftest import login, service_unavailable
from tests.events.support import (
    audit_rows,
    campaign_created,
    commit_events,
    envelope_of,
    eventually,
    unpublished,
)


@pytest.fixture
async def broker_url() -> str:
    url = os.environ.get("BRANDFLOW_TEST_BROKER_URL")
    if not url:
        service_unavailable("BRANDFLOW_TEST_BROKER_URL is not set")
        raise AssertionError("unreachable")
    try:
        connection = await aio_pika.connect(url, timeout=5)
    except Exception as exc:
        service_unavailable(f"RabbitMQ unreachable at {url}: {exc!r}")
    await connection.close()
    return url


@pytest.fixture
async def namespace(broker_url: str) -> AsyncIterator[str]:
    """A namespace of exchange and queues for this test only; removed afterwards."""
    ns = f"bftest-{uuid.uuid4().hex[:10]}"
    yield ns
    connection = await aio_pika.connect(broker_url)
    async with connection:
        channel = await connection.channel()
        for name in _queues_of(ns):
            await channel.queue_delete(name)
        await channel.exchange_delete(f"{ns}.events")


def _consumers() -> list[Consumer]:
    """The app's consumers, as every process builds them (names are all this needs)."""
    settings = Settings()
    runtime = KnowledgeRuntime(
        files=file_store("memory:///", settings.data_dir),
        embedder=build_embedder(settings),
        # Never connects: engines open connections on first use only.
        sessionmaker=create_sessionmaker(create_engine("postgresql://unused.invalid/none")),
    )
    return collect_consumers(runtime)


def _queues_of(ns: str) -> list[str]:
    # Without the management API we know the names we create: consumer, retry and dead queues.
    names = [c.name for c in _consumers()] + ["always.fails", "counting"]
    return [f"{ns}.{n}{suffix}" for n in names for suffix in ("", ".retry", ".dead")]


async def test_binding_keys_follow_the_consumer_patterns() -> None:
    assert binding_keys(["*"]) == ["#"]
    assert binding_keys(["campaigns.*", "content.*"]) == ["campaigns.#", "content.#"]
    assert binding_keys(["campaigns.campaign_created"]) == ["campaigns.campaign_created"]
    assert binding_keys(["campaigns.*_created", "x.?"]) == ["#"]


async def test_a_campaign_created_through_the_api_reaches_the_audit_log_via_rabbitmq(
    settings: Settings,
    container: Container,
    demo: dict[str, uuid.UUID],
    broker_url: str,
    namespace: str,
) -> None:
    rabbit_settings = settings.model_copy(
        update={"broker_url": broker_url, "broker_namespace": namespace}
    )
    distributed = await build_container(rabbit_settings)
    distributed.run_relay = False
    assert isinstance(distributed.transport, RabbitTransport)
    distributed.transport.enable_consumers()  # this test plays both serve and worker
    await distributed.transport.start()
    try:
        assert await distributed.transport.healthy()
        app = create_app(rabbit_settings, container=distributed)
        distributed.attach(app)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client:
            headers = await login(client, "strategist@northwind.example")
            workspace = demo["acme-running"]
            created = await client.post(
                f"/api/v1/workspaces/{workspace}/campaigns",
                json={"name": "Over the wire"},
                headers=headers,
            )
            assert created.status_code == 201, created.text
            campaign_id = uuid.UUID(created.json()["id"])

            assert await distributed.relay.drain() >= 1  # published to RabbitMQ, confirmed

            async def audited() -> AuditEvent | None:
                async with distributed.sessionmaker() as session:
                    return await session.scalar(
                        select(AuditEvent).where(AuditEvent.object_id == campaign_id)
                    )

            async def arrived() -> bool:
                return await audited() is not None

            await eventually(arrived, "the audit row of the new campaign")
            row = await audited()
            assert row is not None
            assert row.action == "campaigns.campaign_created"
            assert row.workspace_id == workspace
            assert row.request_id == created.headers["X-Request-ID"]
            assert row.actor_type == "user"
    finally:
        await distributed.transport.stop()
        await distributed.close()


async def test_a_failing_consumer_is_retried_then_dead_lettered(
    container: Container, broker_url: str, namespace: str
) -> None:
    calls: list[int] = []

    async def always_fails(uow: UnitOfWork, envelope: Envelope) -> None:
        calls.append(1)
        raise RuntimeError("cannot handle this")

    failures = FailureStore(container.sessionmaker, max_attempts=3, base_seconds=0.02)
    transport = RabbitTransport(
        broker_url,
        container.sessionmaker,
        [Consumer("always.fails", ("campaigns.*",), always_fails)],
        failures,
        namespace=namespace,
    )
    transport.enable_consumers()
    await transport.start()
    try:
        envelope = envelope_of(campaign_created())
        await transport.publish(envelope)

        async def parked() -> bool:
            return [d.event_id for d in await failures.dead_letters()] == [envelope.event_id]

        await eventually(parked, "the dead letter in delivery_failures")
        await eventually(
            lambda: _true_when(transport.handled["always.fails"] >= 3), "the third attempt acked"
        )
    finally:
        await transport.stop()

    assert len(calls) == 3
    async with container.sessionmaker() as session:
        row = await session.get(DeliveryFailure, ("always.fails", envelope.event_id))
    assert row is not None
    assert row.attempts == 3
    assert row.dead_at is not None
    assert "cannot handle this" in row.last_error
    assert (
        REGISTRY.get_sample_value(
            "brandflow_events_dead_lettered_total", {"consumer": "always.fails"}
        )
        or 0
    ) >= 1

    connection = await aio_pika.connect(broker_url)
    async with connection:
        channel = await connection.channel()
        dead_queue = await channel.get_queue(f"{namespace}.always.fails.dead", ensure=True)
        message = await dead_queue.get(no_ack=True, fail=False)
        assert message is not None, "the dead-letter queue is empty"
        assert Envelope.model_validate_json(message.body).event_id == envelope.event_id
        assert message.headers[ATTEMPT_HEADER] == "3"
        assert await dead_queue.get(no_ack=True, fail=False) is None
        retry_queue = await channel.get_queue(f"{namespace}.always.fails.retry", ensure=True)
        assert await retry_queue.get(no_ack=True, fail=False) is None


async def _true_when(value: bool) -> bool:
    return value


async def test_a_message_delivered_twice_takes_effect_once(
    container: Container, broker_url: str, namespace: str
) -> None:
    effects: list[uuid.UUID] = []

    async def counting(uow: UnitOfWork, envelope: Envelope) -> None:
        effects.append(envelope.event_id)

    failures = FailureStore(container.sessionmaker, max_attempts=3, base_seconds=0.02)
    transport = RabbitTransport(
        broker_url,
        container.sessionmaker,
        [*container.consumers, Consumer("counting", ("campaigns.*",), counting)],
        failures,
        namespace=namespace,
    )
    transport.enable_consumers()
    await transport.start()
    try:
        envelope = envelope_of(campaign_created())
        await transport.publish(envelope)
        await transport.publish(envelope)  # the relay died before marking it published

        async def both_handled() -> bool:
            return transport.handled["counting"] == 2 and transport.handled["audit.log"] == 2

        await eventually(both_handled, "both copies acknowledged by both consumers")
    finally:
        await transport.stop()

    assert effects == [envelope.event_id]
    assert await audit_rows(container.sessionmaker) == {envelope.event_id: 1}


async def test_the_worker_relays_and_consumes_until_stopped(
    settings: Settings, container: Container, broker_url: str, namespace: str
) -> None:
    rabbit_settings = settings.model_copy(
        update={"broker_url": broker_url, "broker_namespace": namespace}
    )
    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_worker(rabbit_settings, settings.database_url or "", stop=stop)
    )
    try:
        ids = await commit_events(container.sessionmaker, 3)

        async def all_audited() -> bool:
            assert not worker.done(), worker.exception()
            return await audit_rows(container.sessionmaker) == dict.fromkeys(ids, 1)

        await eventually(all_audited, "the worker relayed and consumed every event")
        assert await unpublished(container.sessionmaker) == set()
    finally:
        stop.set()
        await worker
