"""The outbox relay with the in-process transport: no event lost, none applied twice."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta

from prometheus_client import REGISTRY
from sqlalchemy import select

from brandflow.bootstrap import Container
from brandflow.kernel.db import utcnow
from brandflow.kernel.events import Envelope
from brandflow.kernel.messaging.consumers import Consumer, ProcessedMessage
from brandflow.kernel.messaging.inprocess import InProcessTransport
from brandflow.kernel.messaging.relay import OutboxRelay
from brandflow.kernel.messaging.retries import DeliveryFailure, FailureStore, backoff
from brandflow.kernel.messaging.transport import Transport
from brandflow.kernel.outbox import OutboxMessage
from brandflow.kernel.uow import UnitOfWork
from tests.events.support import (
    audit_rows,
    campaign_created,
    commit_events,
    envelope_of,
    eventually,
    unpublished,
)


class StallingTransport:
    """Passes envelopes to a real transport, but hangs inside the ``stall_at``-th publish:
    that is where the test kills the relay."""

    def __init__(self, inner: Transport, stall_at: int) -> None:
        self.inner = inner
        self.stall_at = stall_at
        self.calls = 0
        self.stalled = asyncio.Event()

    async def publish(self, envelope: Envelope) -> None:
        self.calls += 1
        if self.calls == self.stall_at:
            self.stalled.set()
            await asyncio.Event().wait()
        await self.inner.publish(envelope)

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def healthy(self) -> bool:
        return True


class BrokenTransport(StallingTransport):
    """Raises inside the ``stall_at``-th publish, as a broker refusing a message would."""

    async def publish(self, envelope: Envelope) -> None:
        self.calls += 1
        if self.calls == self.stall_at:
            raise ConnectionError("broker went away")
        await self.inner.publish(envelope)


class RecordingTransport:
    """Records what it was given; the first publish waits until ``release`` is set."""

    def __init__(self) -> None:
        self.sent: list[uuid.UUID] = []
        self.calls = 0
        self.stalled = asyncio.Event()
        self.release = asyncio.Event()

    async def publish(self, envelope: Envelope) -> None:
        self.calls += 1
        if self.calls == 1:
            self.stalled.set()
            await self.release.wait()
        self.sent.append(envelope.event_id)

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def healthy(self) -> bool:
        return True


async def test_killing_the_relay_inside_publish_loses_no_event(container: Container) -> None:
    ids = await commit_events(container.sessionmaker, 3)
    stalling = StallingTransport(container.transport, stall_at=2)
    relay = OutboxRelay(container.sessionmaker, stalling)

    task = asyncio.create_task(relay.run_once())
    await stalling.stalled.wait()  # event 1 delivered, event 2 in flight
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

    # Nothing was marked published: the batch's transaction died with the relay.
    assert await unpublished(container.sessionmaker) == set(ids)
    assert set(await audit_rows(container.sessionmaker)) == {ids[0]}

    # A fresh relay delivers everything; event 1 goes again and is ignored by the audit log.
    assert await OutboxRelay(container.sessionmaker, container.transport).drain() == 3
    assert await unpublished(container.sessionmaker) == set()
    assert await audit_rows(container.sessionmaker) == dict.fromkeys(ids, 1)


async def test_a_publish_error_mid_batch_keeps_the_rest_for_the_next_run(
    container: Container,
) -> None:
    ids = await commit_events(container.sessionmaker, 3)
    broken = BrokenTransport(container.transport, stall_at=2)

    assert await OutboxRelay(container.sessionmaker, broken).run_once() == 1
    assert await unpublished(container.sessionmaker) == set(ids[1:])
    async with container.sessionmaker() as session:
        failed = await session.get(OutboxMessage, ids[1])
        assert failed is not None
        assert failed.attempts == 1
        assert "broker went away" in (failed.last_error or "")

    assert await container.relay.drain() == 2
    assert await audit_rows(container.sessionmaker) == dict.fromkeys(ids, 1)


async def test_a_redelivered_event_takes_effect_once(container: Container) -> None:
    envelope = envelope_of(campaign_created())
    await container.transport.publish(envelope)
    await container.transport.publish(envelope)

    assert await audit_rows(container.sessionmaker) == {envelope.event_id: 1}
    async with container.sessionmaker() as session:
        marks = (
            await session.scalars(
                select(ProcessedMessage).where(ProcessedMessage.event_id == envelope.event_id)
            )
        ).all()
    assert [m.consumer for m in marks] == ["audit.log"]


async def test_failing_consumers_are_retried_then_dead_lettered(container: Container) -> None:
    suffix = uuid.uuid4().hex[:6]
    calls: dict[str, int] = {"flaky": 0, "broken": 0}

    async def flaky(uow: UnitOfWork, envelope: Envelope) -> None:
        calls["flaky"] += 1
        if calls["flaky"] < 3:
            raise RuntimeError("flaky failure")

    async def broken(uow: UnitOfWork, envelope: Envelope) -> None:
        calls["broken"] += 1
        raise RuntimeError("always fails")

    flaky_name, broken_name = f"test.flaky.{suffix}", f"test.broken.{suffix}"
    failures = FailureStore(container.sessionmaker, max_attempts=4, base_seconds=0.01)
    transport = InProcessTransport(
        container.sessionmaker,
        [Consumer(flaky_name, ("campaigns.*",), flaky), Consumer(broken_name, ("*",), broken)],
        failures,
    )
    envelope = envelope_of(campaign_created())
    await transport.publish(envelope)

    async def settled() -> bool:
        await transport.retry_due()
        return calls["broken"] >= 4 and not await failures.due([flaky_name, broken_name])

    await eventually(settled, "the broken consumer used up its attempts")
    await transport.retry_due()  # a dead letter is never retried again

    assert calls == {"flaky": 3, "broken": 4}
    async with container.sessionmaker() as session:
        rows = {r.consumer: r for r in await session.scalars(select(DeliveryFailure))}
    assert set(rows) == {broken_name}  # the flaky one recovered: its failure is resolved
    dead = rows[broken_name]
    assert dead.attempts == 4
    assert dead.dead_at is not None
    assert dead.next_attempt_at is None
    assert "always fails" in dead.last_error
    assert [d.event_id for d in await failures.dead_letters()] == [envelope.event_id]

    def sample(metric: str, consumer: str) -> float | None:
        return REGISTRY.get_sample_value(metric, {"consumer": consumer})

    assert sample("brandflow_events_dead_lettered_total", broken_name) == 1
    assert sample("brandflow_events_failed_total", broken_name) == 4
    assert sample("brandflow_events_failed_total", flaky_name) == 2
    assert sample("brandflow_events_delivered_total", flaky_name) == 1


async def test_retries_wait_for_an_exponentially_growing_backoff(container: Container) -> None:
    assert [backoff(n, 0.5) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff(30, 0.5) == 300.0  # capped

    failures = FailureStore(container.sessionmaker, max_attempts=5, base_seconds=60)
    envelope = envelope_of(campaign_created())
    delays = []
    for attempt in (1, 2, 3):
        before = utcnow()
        assert not await failures.record("test.slow", envelope, attempt, RuntimeError("x"))
        async with container.sessionmaker() as session:
            row = await session.get(DeliveryFailure, ("test.slow", envelope.event_id))
            assert row is not None
            assert row.next_attempt_at is not None
            delays.append(row.next_attempt_at - before)
    assert delays[0] >= timedelta(minutes=1)
    assert delays[1] >= timedelta(minutes=2)
    assert delays[2] >= timedelta(minutes=4)
    assert delays[0] < delays[1] < delays[2]
    assert await failures.due(["test.slow"]) == []  # nothing is due before its backoff passed


async def test_two_relays_at_once_never_send_the_same_event(container: Container) -> None:
    ids = await commit_events(container.sessionmaker, 4)
    first, second = RecordingTransport(), RecordingTransport()
    second.release.set()
    relay_a = OutboxRelay(container.sessionmaker, first, batch_size=2)
    relay_b = OutboxRelay(container.sessionmaker, second, batch_size=10)

    task = asyncio.create_task(relay_a.run_once())
    await first.stalled.wait()  # relay A holds its two rows, mid-publish
    assert await relay_b.run_once() == 2  # B skips A's locked rows and takes the others
    first.release.set()
    assert await task == 2

    assert not set(first.sent) & set(second.sent)
    assert sorted(first.sent + second.sent) == sorted(ids)
    assert await unpublished(container.sessionmaker) == set()
    assert await relay_b.run_once() == 0


async def test_an_unreadable_outbox_row_does_not_block_the_events_behind_it(
    container: Container,
) -> None:
    ids = await commit_events(container.sessionmaker, 3)
    async with container.sessionmaker() as session, session.begin():
        poison = await session.get(OutboxMessage, ids[1])
        assert poison is not None
        poison.envelope = {"not": "an envelope"}

    assert await OutboxRelay(container.sessionmaker, container.transport).drain() == 2

    assert await unpublished(container.sessionmaker) == {ids[1]}  # still in the backlog
    assert await audit_rows(container.sessionmaker) == {ids[0]: 1, ids[2]: 1}
    async with container.sessionmaker() as session:
        poison = await session.get(OutboxMessage, ids[1])
        assert poison is not None
        assert poison.attempts >= 1
        assert "validation error" in (poison.last_error or "").lower()


async def test_failures_of_unknown_consumers_never_crowd_out_real_retries(
    container: Container,
) -> None:
    delivered: list[uuid.UUID] = []

    async def handle(uow: UnitOfWork, envelope: Envelope) -> None:
        delivered.append(envelope.event_id)

    name = f"test.known.{uuid.uuid4().hex[:6]}"
    failures = FailureStore(container.sessionmaker, max_attempts=5, base_seconds=0.01)
    transport = InProcessTransport(
        container.sessionmaker, [Consumer(name, ("*",), handle)], failures
    )
    now = utcnow()

    def failure(consumer: str, envelope: Envelope, due_since: timedelta) -> DeliveryFailure:
        return DeliveryFailure(
            consumer=consumer,
            event_id=envelope.event_id,
            event_type=envelope.type,
            envelope=envelope.model_dump(mode="json"),
            attempts=1,
            last_error="RuntimeError('x')",
            first_failed_at=now - due_since,
            next_attempt_at=now - due_since,
        )

    # More rows of a consumer that no longer exists than one retry round takes, all due
    # earlier than the one real failure.
    gone = [
        failure("test.removed-consumer", envelope_of(campaign_created()), timedelta(hours=1))
        for _ in range(101)
    ]
    real = envelope_of(campaign_created())
    async with container.sessionmaker() as session, session.begin():
        session.add_all([*gone, failure(name, real, timedelta(minutes=1))])

    assert await transport.retry_due() == 1
    assert delivered == [real.event_id]
    async with container.sessionmaker() as session:
        assert await session.get(DeliveryFailure, (name, real.event_id)) is None  # resolved
    assert [f[1].event_id for f in await failures.due([name])] == []
