"""Composition root: settings -> database, transport, relay, limiters. Nothing else wires."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import time
from dataclasses import dataclass, field

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from brandflow.contexts.finops.public import (
    PENDING_USAGE_INFO_KEY,
    PendingUsage,
    flush_pending_usage,
    flush_usage_periodically,
    purge_cache_periodically,
)
from brandflow.contexts.identity.public import AccessCache, cached_authorizer
from brandflow.contexts.knowledge.public import (
    SEARCH_CONNECTION_SETTINGS,
    Embedder,
    KnowledgeRuntime,
    QueryVectors,
    embedder_from_settings,
    knowledge_consumers,
    reembed_periodically,
)
from brandflow.contexts.studio.public import StudioRuntime, studio_consumers
from brandflow.contexts.studio.public import warm_up_guardrails as build_guardrails
from brandflow.kernel.cache import Invalidator, ResponseCache
from brandflow.kernel.db import (
    create_engine,
    create_sessionmaker,
    read_only_sessionmaker,
    start_embedded_postgres,
)
from brandflow.kernel.idempotency import purge_periodically
from brandflow.kernel.llm import ModelGateway, from_settings
from brandflow.kernel.messaging.consumers import Consumer
from brandflow.kernel.messaging.inprocess import InProcessTransport
from brandflow.kernel.messaging.relay import OutboxRelay
from brandflow.kernel.messaging.retries import FailureStore
from brandflow.kernel.messaging.transport import Transport
from brandflow.kernel.notify import NotificationListener
from brandflow.kernel.ratelimit import FailureLimiter
from brandflow.kernel.storage import FileStore, file_store
from brandflow.kernel.telemetry import get_logger
from brandflow.kernel.tracing import instrument_engine
from brandflow.kernel.uow import INVALIDATOR_INFO_KEY
from brandflow.settings import Settings

log = get_logger(__name__)

# Contexts whose ``handlers.CONSUMERS`` subscribe to events and need nothing but a session.
CONSUMER_CONTEXTS = ("audit", "studio.checking")


def collect_consumers(knowledge: KnowledgeRuntime) -> list[Consumer]:
    consumers: list[Consumer] = []
    for name in CONSUMER_CONTEXTS:
        module = importlib.import_module(f"brandflow.contexts.{name}.handlers")
        consumers.extend(module.CONSUMERS)
    # Consumers with dependencies (the embedder, the file store) are built with them.
    consumers.extend(knowledge_consumers(knowledge))
    return consumers


def build_embedder(settings: Settings) -> Embedder:
    return embedder_from_settings(
        settings.embedding_provider,
        base_url=settings.embedding_base_url,
        api_key=(
            settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
        ),
        model=settings.embedding_model,
        dimension=settings.embedding_dimension,
        timeout_seconds=settings.embedding_timeout_seconds,
    )


async def warm_up_guardrails() -> None:
    """Import and build the PII recognizers (presidio) in a thread, off the startup path, so
    the first generation does not wait for them (seconds of imports and regex building)."""
    started = time.perf_counter()
    try:
        await asyncio.to_thread(build_guardrails)
    except Exception as exc:  # the first generation builds them instead
        log.error("guardrails_warm_up_failed", error=repr(exc))
        return
    log.info("guardrails_warmed_up", seconds=round(time.perf_counter() - started, 2))


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
    files: FileStore
    embedder: Embedder
    # One gateway per process: its circuit breakers and clients are shared by every call.
    gateway: ModelGateway
    # serve runs the relay (and, in-process, the retry loop) unless a separate worker does.
    run_relay: bool = True
    # Read caches and their invalidation (ADR 0008); None when disabled by settings.
    invalidator: Invalidator = field(default_factory=Invalidator)
    access_cache: AccessCache | None = None
    list_cache: ResponseCache | None = None
    query_vectors: QueryVectors | None = None
    listener: NotificationListener | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def attach(self, app: FastAPI) -> None:
        # SQL spans (if tracing is on). Here, because every app is attached exactly once,
        # by its lifespan or, in tests, by hand; instrument_engine is idempotent per engine.
        instrument_engine(self.engine)
        app.state.container = self
        app.state.settings = self.settings
        app.state.sessionmaker = self.sessionmaker
        app.state.read_sessionmaker = read_only_sessionmaker(self.sessionmaker)
        app.state.login_limiter = self.login_limiter
        app.state.files = self.files
        app.state.embedder = self.embedder
        app.state.gateway = self.gateway
        app.state.relay = self.relay if self.run_relay else None
        app.state.access_cache = self.access_cache
        app.state.list_cache = self.list_cache
        app.state.query_vectors = self.query_vectors
        app.state.cached_authorizer = (
            cached_authorizer(self.access_cache, self.settings) if self.access_cache else None
        )

    async def start_background(self) -> None:
        if self.listener is not None:
            await self.listener.start()
        await self.transport.start()
        # Ledger rows that latency-critical calls (search queries) leave for after the response.
        self._tasks.append(asyncio.create_task(flush_usage_periodically(self.sessionmaker)))
        if self.run_relay:
            self.relay.start()
            # Wherever the relay runs (serve in embedded mode, every worker): purge expired
            # idempotency records, in batches, every few minutes (ADR 0007).
            self._tasks.append(asyncio.create_task(purge_periodically(self.sessionmaker)))
            # ... and expired answers of the model response cache (finops).
            self._tasks.append(asyncio.create_task(purge_cache_periodically(self.sessionmaker)))
            # Vectors of another model than the configured one are redone in the background.
            self._tasks.append(
                asyncio.create_task(reembed_periodically(self.sessionmaker, self.embedder))
            )
            if isinstance(self.transport, InProcessTransport):
                self._tasks.append(asyncio.create_task(self._retry_loop(self.transport)))
                # The consumers run in this process (generations among them).
                self._tasks.append(asyncio.create_task(warm_up_guardrails()))

    async def _retry_loop(self, transport: InProcessTransport) -> None:
        while True:
            try:
                await transport.retry_due()
            except Exception as exc:  # logged; the loop goes on, as the relay's does
                log.error("event_retry_failed", error=repr(exc))
            await asyncio.sleep(self.settings.event_retry_base_seconds)

    async def stop_background(self) -> None:
        await self.relay.stop()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        try:
            await flush_pending_usage(self.sessionmaker)
        except Exception as exc:  # stopping goes on; the rows are lost, and logged
            log.error("usage_flush_failed", error=repr(exc))
        await self.transport.stop()
        if self.listener is not None:
            await self.listener.stop()

    async def close(self) -> None:
        await self.gateway.aclose()
        await self.engine.dispose()


async def build_container(
    settings: Settings, *, database_url: str | None = None, serves_http: bool = True
) -> Container:
    """Wire one process. A worker (``serves_http=False``) answers no reads, so it keeps no
    read caches and no LISTEN connection; its commits still NOTIFY the serving processes."""
    url = database_url or resolve_database_url(settings)
    # The search's settings on every connection: they cost a round trip per search otherwise.
    engine = create_engine(
        url, pool_size=settings.db_pool_size, connection_settings=SEARCH_CONNECTION_SETTINGS
    )
    invalidator = Invalidator()
    sessionmaker = create_sessionmaker(
        engine,
        info={INVALIDATOR_INFO_KEY: invalidator, PENDING_USAGE_INFO_KEY: PendingUsage(settings)},
    )
    access_cache = (
        AccessCache(settings.access_cache_seconds)
        if serves_http and settings.access_cache_seconds > 0
        else None
    )
    list_cache = (
        ResponseCache(settings.list_cache_seconds)
        if serves_http and settings.list_cache_seconds > 0
        else None
    )
    for cache in (access_cache, list_cache):
        if cache is not None:
            invalidator.subscribe(cache.invalidate, cache.clear)
    files = file_store(settings.storage_url, settings.data_dir)
    embedder = build_embedder(settings)
    gateway = ModelGateway(from_settings(settings))
    consumers = collect_consumers(
        KnowledgeRuntime(files=files, embedder=embedder, sessionmaker=sessionmaker)
    )
    consumers.extend(studio_consumers(StudioRuntime(sessionmaker, gateway, embedder, settings)))
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
        files=files,
        embedder=embedder,
        gateway=gateway,
        invalidator=invalidator,
        access_cache=access_cache,
        list_cache=list_cache,
        query_vectors=(
            QueryVectors(settings.query_vector_cache_seconds)
            if serves_http and settings.query_vector_cache_seconds > 0
            else None
        ),
        listener=(NotificationListener(url, invalidator) if access_cache or list_cache else None),
    )
