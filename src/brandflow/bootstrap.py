"""Composition root: settings -> database, transport, relay, limiters. Nothing else wires."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from dataclasses import dataclass, field

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from brandflow.kernel.db import create_engine, create_sessionmaker, start_embedded_postgres
from brandflow.kernel.messaging.consumers import Consumer
from brandflow.kernel.messaging.inprocess import InProcessTransport
from brandflow.kernel.messaging.relay import OutboxRelay
from brandflow.kernel.messaging.retries import FailureStore
from brandflow.kernel.messaging.transport import Transport
from brandflow.kernel.ratelimit import FailureLimiter
from brandflow.settings import Settings

# Contexts whose ``handlers.CONSUMERS`` subscribe to events.
CONSUMER_CONTEXTS = ("audit",)


def collect_consumers() -> list[Consumer]:
    consumers: list[Consumer] = []
    for name in CONSUMER_CONTEXTS:
        module = importlib.import_module(f"brandflow.contexts.{name}.handlers")
        consumers.extend(module.CONSUMERS)
    return consumers


def resolve_database_url(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    return start_embedded_postgres(settings.data_dir)


@dataclass
class Container:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    transport: Transport
    relay: OutboxRelay
    failures: FailureStore
    login_limiter: FailureLimiter
    consumers: list[Consumer]
    # serve runs the relay (and, in-process, the retry loop) unless a separate worker does.
    run_relay: bool = True
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def attach(self, app: FastAPI) -> None:
        app.state.container = self
        app.state.settings = self.settings
        app.state.sessionmaker = self.sessionmaker
        app.state.login_limiter = self.login_limiter
        app.state.relay = self.relay if self.run_relay else None

    async def start_background(self) -> None:
        await self.transport.start()
        if self.run_relay:
            self.relay.start()
            if isinstance(self.transport, InProcessTransport):
                self._tasks.append(asyncio.create_task(self._retry_loop(self.transport)))

    async def _retry_loop(self, transport: InProcessTransport) -> None:
        while True:
            with contextlib.suppress(Exception):
                await transport.retry_due()
            await asyncio.sleep(self.settings.event_retry_base_seconds)

    async def stop_background(self) -> None:
        await self.relay.stop()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.transport.stop()

    async def close(self) -> None:
        await self.engine.dispose()


async def build_container(settings: Settings, *, database_url: str | None = None) -> Container:
    url = database_url or resolve_database_url(settings)
    engine = create_engine(url, pool_size=settings.db_pool_size)
    sessionmaker = create_sessionmaker(engine)
    consumers = collect_consumers()
    failures = FailureStore(
        sessionmaker,
        max_attempts=settings.event_max_attempts,
        base_seconds=settings.event_retry_base_seconds,
    )
    transport: Transport
    if settings.broker_url:
        from brandflow.kernel.messaging.rabbit import RabbitTransport

        transport = RabbitTransport(
            settings.broker_url,
            sessionmaker,
            consumers,
            failures,
            namespace=settings.broker_namespace,
        )
    else:
        transport = InProcessTransport(sessionmaker, consumers, failures)
    relay = OutboxRelay(
        sessionmaker,
        transport,
        batch_size=settings.relay_batch_size,
        poll_seconds=settings.relay_poll_seconds,
    )
    limiter = FailureLimiter(
        settings.login_max_failures, settings.login_failure_window_seconds, settings.redis_url
    )
    return Container(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        transport=transport,
        relay=relay,
        failures=failures,
        login_limiter=limiter,
        consumers=consumers,
    )
