"""RabbitMQ transport through FastStream: the scaled-out way events travel.

Topology (``<ns>`` is ``settings.broker_namespace``, ``brandflow`` by default)::

    <ns>.events              durable topic exchange; routing key = event type
                             (``campaigns.campaign_created``)
    <ns>.<consumer>          durable work queue of one consumer, bound with the consumer's
                             fnmatch patterns turned into AMQP keys (``campaigns.*`` ->
                             ``campaigns.#``, ``*`` -> ``#``)
    <ns>.<consumer>.retry    durable queue without consumers; each message carries its own
                             TTL (the backoff) and dead-letters, when it expires, back to the
                             work queue through the default exchange
    <ns>.<consumer>.dead     durable dead-letter queue: parked after the last attempt

Messages are persistent, published with publisher confirms (an unconfirmed publish raises,
so the relay keeps the outbox row), the body is the envelope JSON, and the trace context
travels in the headers as well as in the envelope.

A consumer failure is recorded in ``delivery_failures`` (``FailureStore``) *and* moved on
in RabbitMQ: below ``event_max_attempts`` it is republished to the retry queue with the
attempt number in the ``x-brandflow-attempt`` header; at the limit it goes to the dead
queue. The table is what ``brandflow events dead-letters`` and the metrics read, whichever
transport runs. The original message is acknowledged only after that republish is
confirmed, so a crash in between redelivers it (at-least-once; consumers are idempotent).

Per-message TTLs expire at the head of the retry queue only: a long backoff can delay a
shorter one queued behind it. Retries may come later than planned, never earlier.

Serving and consuming are separate roles: ``brandflow serve`` only publishes (the relay),
``brandflow worker`` calls ``enable_consumers()`` before ``start()`` and consumes.
Both declare the whole topology on start, so an event published before any worker has
ever run waits in its consumers' queues instead of being dropped as unroutable.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import timedelta

from aio_pika.abc import FieldValue, HeadersType
from faststream import AckPolicy
from faststream.rabbit import Channel, ExchangeType, RabbitBroker, RabbitExchange, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.kernel.events import Envelope
from brandflow.kernel.messaging.consumers import Consumer, run_consumer
from brandflow.kernel.messaging.retries import FailureStore, backoff
from brandflow.kernel.metrics import EVENTS_DEAD_LETTERED
from brandflow.kernel.telemetry import current_trace_context, get_logger

log = get_logger(__name__)

ATTEMPT_HEADER = "x-brandflow-attempt"
ERROR_HEADER = "x-brandflow-error"
CONSUMER_HEADER = "x-brandflow-consumer"
REQUEUE_PAUSE_SECONDS = 1.0


def binding_keys(patterns: Iterable[str]) -> list[str]:
    """AMQP topic binding keys for fnmatch patterns.

    A whole-word ``*`` becomes ``#`` (fnmatch's ``*`` also crosses dots). Patterns AMQP cannot
    express (``*`` inside a word, ``?``, ``[...]``) bind ``#``; the handler filters with
    ``Consumer.wants`` either way.
    """
    keys: list[str] = []
    for pattern in patterns:
        words = pattern.split(".")
        if any(c in pattern for c in "?[]") or any("*" in w and w != "*" for w in words):
            key = "#"
        else:
            key = ".".join("#" if w == "*" else w for w in words)
        if key not in keys:
            keys.append(key)
    return keys


class RabbitTransport:
    def __init__(
        self,
        broker_url: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        consumers: Sequence[Consumer],
        failures: FailureStore,
        *,
        namespace: str = "brandflow",
        prefetch: int = 16,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.consumers = list(consumers)
        self.failures = failures
        self.namespace = namespace
        self.broker = RabbitBroker(
            broker_url,
            default_channel=Channel(prefetch_count=prefetch, publisher_confirms=True),
            log_level=logging.DEBUG,  # our own structured logs say what matters
        )
        self.exchange = RabbitExchange(f"{namespace}.events", type=ExchangeType.TOPIC, durable=True)
        self._queues = {c.name: self._queue_set(c) for c in self.consumers}
        self._consuming = False
        self._started = False
        # Messages each consumer finished with (acknowledged), duplicates included.
        self.handled: Counter[str] = Counter()

    # -- topology -----------------------------------------------------------------------

    def queue_name(self, consumer: str, suffix: str = "") -> str:
        return f"{self.namespace}.{consumer}{suffix}"

    def _queue_set(self, consumer: Consumer) -> tuple[RabbitQueue, RabbitQueue, RabbitQueue]:
        work = RabbitQueue(self.queue_name(consumer.name), durable=True)
        retry = RabbitQueue(
            self.queue_name(consumer.name, ".retry"),
            durable=True,
            arguments={
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": work.name,
            },
        )
        dead = RabbitQueue(self.queue_name(consumer.name, ".dead"), durable=True)
        return work, retry, dead

    async def _declare_topology(self) -> None:
        exchange = await self.broker.declare_exchange(self.exchange)
        for consumer in self.consumers:
            work, retry, dead = self._queues[consumer.name]
            queue = await self.broker.declare_queue(work)
            for key in binding_keys(consumer.patterns):
                await queue.bind(exchange, routing_key=key)
            await self.broker.declare_queue(retry)
            await self.broker.declare_queue(dead)

    # -- lifecycle ----------------------------------------------------------------------

    def enable_consumers(self) -> None:
        """Subscribe every consumer to its work queue. Call before ``start`` (workers only)."""
        if self._started:
            raise RuntimeError("enable_consumers() must come before start()")
        if self._consuming:
            return
        for consumer in self.consumers:
            subscriber = self.broker.subscriber(
                self._queues[consumer.name][0], ack_policy=AckPolicy.MANUAL, no_reply=True
            )
            subscriber(self._handler_for(consumer))
        self._consuming = True

    async def start(self) -> None:
        if self._started:
            return
        await self.broker.connect()
        await self._declare_topology()
        await self.broker.start()
        self._started = True

    async def stop(self) -> None:
        if self._started:
            await self.broker.stop()
            self._started = False

    async def healthy(self) -> bool:
        return self._started and await self.broker.ping(timeout=2.0)

    # -- publishing ---------------------------------------------------------------------

    async def publish(self, envelope: Envelope) -> None:
        # The current context is the relay's PRODUCER span; consumers continue from it.
        headers: HeadersType = {**envelope.trace_context, **current_trace_context()}
        await self.broker.publish(
            envelope.model_dump_json().encode(),
            exchange=self.exchange,
            routing_key=envelope.routing_key,
            persist=True,
            content_type="application/json",
            message_id=str(envelope.event_id),
            message_type=envelope.type,
            correlation_id=envelope.request_id or str(envelope.event_id),
            timestamp=envelope.occurred_at,
            headers=headers,
        )

    async def _send_to_queue(
        self,
        queue: RabbitQueue,
        body: bytes,
        headers: dict[str, str],
        *,
        expiration: timedelta | None = None,
    ) -> None:
        await self.broker.publish(
            body,
            queue=queue.name,  # the default exchange routes by queue name
            persist=True,
            content_type="application/json",
            expiration=expiration,
            headers=dict[str, FieldValue](headers),
        )

    # -- consuming ----------------------------------------------------------------------

    def _handler_for(self, consumer: Consumer) -> Callable[[RabbitMessage], Awaitable[None]]:
        async def handle(message: RabbitMessage) -> None:
            await self._handle(consumer, message)

        handle.__name__ = f"consume_{consumer.name.replace('.', '_')}"
        return handle

    async def _handle(self, consumer: Consumer, message: RabbitMessage) -> None:
        headers = {str(k): str(v) for k, v in (message.headers or {}).items()}
        body = bytes(message.body)
        try:
            try:
                envelope = Envelope.model_validate_json(body)
            except ValidationError as exc:  # poison message: park it, never retry
                log.error("event_unreadable", consumer=consumer.name, error=str(exc)[:500])
                dead_headers = {**headers, ERROR_HEADER: "unreadable envelope"}
                await self._send_to_queue(self._queues[consumer.name][2], body, dead_headers)
            else:
                if consumer.wants(envelope.type):
                    await self._process(consumer, envelope, body, headers)
        except Exception as exc:  # bookkeeping failed (database, broker): try again later
            log.error("event_handling_failed", consumer=consumer.name, error=repr(exc))
            await asyncio.sleep(REQUEUE_PAUSE_SECONDS)  # no hot loop while the database is down
            await message.nack(requeue=True)
            return
        await message.ack()
        self.handled[consumer.name] += 1

    async def _process(
        self, consumer: Consumer, envelope: Envelope, body: bytes, headers: dict[str, str]
    ) -> None:
        attempt = int(headers.get(ATTEMPT_HEADER, "1"))
        try:
            await run_consumer(
                self.sessionmaker, consumer, envelope, attempt=attempt, carrier=headers
            )
        except Exception as exc:
            log.warning(
                "consumer_failed",
                consumer=consumer.name,
                event_type=envelope.type,
                event_id=str(envelope.event_id),
                attempt=attempt,
                error=repr(exc),
            )
            _, retry, dead = self._queues[consumer.name]
            if await self.failures.record(consumer.name, envelope, attempt, exc):
                dead_headers = {
                    **headers,
                    ATTEMPT_HEADER: str(attempt),
                    CONSUMER_HEADER: consumer.name,
                    ERROR_HEADER: repr(exc)[:500],
                }
                await self._send_to_queue(dead, body, dead_headers)
                EVENTS_DEAD_LETTERED.labels(consumer=consumer.name).inc()
                log.error(
                    "event_dead_lettered",
                    consumer=consumer.name,
                    event_type=envelope.type,
                    event_id=str(envelope.event_id),
                    attempts=attempt,
                )
            else:
                delay = timedelta(seconds=backoff(attempt, self.failures.base_seconds))
                retry_headers = {**headers, ATTEMPT_HEADER: str(attempt + 1)}
                await self._send_to_queue(retry, body, retry_headers, expiration=delay)
            return
        if attempt > 1:
            await self.failures.resolve(consumer.name, envelope.event_id)
