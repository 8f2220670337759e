"""The outbox relay: the only code that publishes events.

It claims unpublished rows with ``FOR UPDATE SKIP LOCKED`` (so several relays never send
the same row at once), hands each envelope to the transport, and marks it published in the
same transaction. A crash before that commit leaves the rows unpublished: they go again,
which is why consumers are idempotent (at-least-once delivery).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.kernel.db import utcnow
from brandflow.kernel.events import Envelope
from brandflow.kernel.messaging.transport import Transport
from brandflow.kernel.metrics import EVENTS_PUBLISHED
from brandflow.kernel.outbox import OutboxMessage
from brandflow.kernel.telemetry import extract_trace_context, get_logger

log = get_logger(__name__)
tracer = trace.get_tracer("brandflow.events")


class OutboxRelay:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        transport: Transport,
        *,
        batch_size: int = 100,
        poll_seconds: float = 0.5,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.transport = transport
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def run_once(self) -> int:
        """Deliver one batch. Returns how many events were published."""
        sent: Counter[str] = Counter()
        async with self.sessionmaker() as session, session.begin():
            rows = (
                await session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.published_at.is_(None))
                    .order_by(OutboxMessage.created_at, OutboxMessage.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                try:
                    envelope = Envelope.model_validate(row.envelope)
                except ValueError as exc:
                    # A poison row: it can never be published, so waiting for it (as for a
                    # broker error below) would block every later event for ever. Record why,
                    # leave it unpublished (it stays in the backlog metrics, and a release that
                    # can read it will send it) and go on with the next rows: only this
                    # event loses its place in the order.
                    row.attempts += 1
                    row.last_error = repr(exc)[:2000]
                    log.error("outbox_envelope_invalid", event_id=str(row.id), error=repr(exc))
                    continue
                try:
                    await self._publish(envelope)
                except Exception as exc:  # broker down: keep the row, try again later
                    row.attempts += 1
                    row.last_error = repr(exc)[:2000]
                    log.warning("outbox_publish_failed", event_id=str(row.id), error=repr(exc))
                    break  # keep order: later events wait for this one
                row.published_at = utcnow()
                sent[row.type] += 1
        # Counted once the rows are marked published, not before a rollback could undo it.
        for event_type, n in sent.items():
            EVENTS_PUBLISHED.labels(type=event_type).inc(n)
        return sent.total()

    async def _publish(self, envelope: Envelope) -> None:
        """One PRODUCER span per event, a child of the trace that recorded it."""
        with tracer.start_as_current_span(
            f"{envelope.routing_key} publish",
            context=extract_trace_context(envelope.trace_context),
            kind=SpanKind.PRODUCER,
            record_exception=False,
            set_status_on_exception=False,
            attributes={
                "messaging.operation.type": "publish",
                "messaging.destination.name": envelope.routing_key,
                "messaging.message.id": str(envelope.event_id),
            },
        ) as span:
            try:
                await self.transport.publish(envelope)
            except Exception as exc:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                raise

    async def drain(self) -> int:
        total = 0
        while (n := await self.run_once()) > 0:
            total += n
        return total

    async def run_forever(self) -> None:
        while True:
            try:
                await self.drain()
            except Exception as exc:
                log.error("outbox_relay_error", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run_forever(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
