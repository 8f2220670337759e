"""Consumers of domain events: registration and idempotent, transactional execution."""

from __future__ import annotations

import fnmatch
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import String
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.kernel.context import request_id_var
from brandflow.kernel.db import Base, utcnow
from brandflow.kernel.events import Envelope
from brandflow.kernel.metrics import EVENTS_DELIVERED, EVENTS_FAILED
from brandflow.kernel.telemetry import extract_trace_context
from brandflow.kernel.uow import UnitOfWork

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Consumer:
    """A named handler for event types matching ``patterns`` (``fnmatch``: ``campaigns.*``)."""

    name: str
    patterns: tuple[str, ...]
    handler: Handler

    def wants(self, event_type: str) -> bool:
        return any(fnmatch.fnmatchcase(event_type, p) for p in self.patterns)


class ProcessedMessage(Base):
    """Marks (consumer, event) as done, in the consumer's own transaction: redelivery is a no-op."""

    __tablename__ = "processed_messages"

    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)


async def consume(
    sessionmaker: async_sessionmaker[AsyncSession], consumer: Consumer, envelope: Envelope
) -> bool:
    """Run ``consumer`` on ``envelope`` exactly once. Returns False when it was already done."""
    async with sessionmaker() as session:
        uow = UnitOfWork(session, organization_id=envelope.organization_id)
        claimed = await session.scalar(
            insert(ProcessedMessage)
            .values(consumer=consumer.name, event_id=envelope.event_id, processed_at=utcnow())
            .on_conflict_do_nothing()
            .returning(ProcessedMessage.event_id)
        )
        if claimed is None:
            await session.rollback()
            return False
        try:
            await consumer.handler(uow, envelope)
        except BaseException:
            await uow.rollback()
            raise
        await uow.commit()
        return True


tracer = trace.get_tracer("brandflow.events")


async def run_consumer(
    sessionmaker: async_sessionmaker[AsyncSession],
    consumer: Consumer,
    envelope: Envelope,
    *,
    attempt: int = 1,
    carrier: Mapping[str, str] | None = None,
) -> bool:
    """``consume`` inside a CONSUMER span that continues the publisher's trace, with metrics.

    ``carrier`` is the transport's trace context (message headers) when it has one; the
    envelope's own trace context is the fallback. Raises what the handler raised.
    """
    parent = extract_trace_context(
        carrier if carrier and "traceparent" in carrier else envelope.trace_context
    )
    token = request_id_var.set(envelope.request_id)
    try:
        with tracer.start_as_current_span(
            f"{envelope.type} process",
            context=parent,
            kind=SpanKind.CONSUMER,
            record_exception=False,
            set_status_on_exception=False,
            attributes={
                "messaging.operation.type": "process",
                "messaging.destination.name": envelope.routing_key,
                "messaging.message.id": str(envelope.event_id),
                "messaging.consumer.group.name": consumer.name,
                "brandflow.delivery.attempt": attempt,
            },
        ) as span:
            try:
                done = await consume(sessionmaker, consumer, envelope)
            except Exception as exc:
                EVENTS_FAILED.labels(consumer=consumer.name).inc()
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                raise
            span.set_attribute("brandflow.delivery.duplicate", not done)
            if done:
                EVENTS_DELIVERED.labels(consumer=consumer.name).inc()
            return done
    finally:
        request_id_var.reset(token)
