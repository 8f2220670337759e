"""In-process transport: the embedded default. Consumers run in this process, each in its
own transaction; failures are retried with backoff and then dead-lettered (see retries.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.kernel.events import Envelope
from brandflow.kernel.messaging.consumers import Consumer, run_consumer
from brandflow.kernel.messaging.retries import FailureStore
from brandflow.kernel.metrics import EVENTS_DEAD_LETTERED
from brandflow.kernel.telemetry import get_logger

log = get_logger(__name__)


class InProcessTransport:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        consumers: Sequence[Consumer],
        failures: FailureStore,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.consumers = list(consumers)
        self.failures = failures

    async def publish(self, envelope: Envelope) -> None:
        for consumer in self.consumers:
            if consumer.wants(envelope.type):
                await self.deliver(consumer, envelope)

    async def deliver(self, consumer: Consumer, envelope: Envelope, attempt: int = 1) -> bool:
        try:
            await run_consumer(self.sessionmaker, consumer, envelope, attempt=attempt)
        except Exception as exc:  # a consumer's bug must not stop delivery to the others
            log.warning(
                "consumer_failed",
                consumer=consumer.name,
                event_type=envelope.type,
                event_id=str(envelope.event_id),
                attempt=attempt,
                error=repr(exc),
            )
            if await self.failures.record(consumer.name, envelope, attempt, exc):
                EVENTS_DEAD_LETTERED.labels(consumer=consumer.name).inc()
                log.error(
                    "event_dead_lettered",
                    consumer=consumer.name,
                    event_type=envelope.type,
                    event_id=str(envelope.event_id),
                    attempts=attempt,
                )
            return False
        if attempt > 1:
            await self.failures.resolve(consumer.name, envelope.event_id)
        return True

    async def retry_due(self) -> int:
        """Re-run consumers whose backoff has passed. Returns how many were retried."""
        by_name = {c.name: c for c in self.consumers}
        due = await self.failures.due(by_name)
        for consumer_name, envelope, attempts in due:
            await self.deliver(by_name[consumer_name], envelope, attempt=attempts + 1)
        return len(due)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def healthy(self) -> bool:
        return True
