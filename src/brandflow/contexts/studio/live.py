"""Streaming a generation's events to a browser (Server-Sent Events), from any process.

The events are rows (``generation_events``); a stream reads those after the client's
``Last-Event-ID`` and then waits to be woken. The worker that writes them may be another
process, so the wake-up comes through PostgreSQL: each commit that adds events sends
``NOTIFY brandflow_generation_events, '<generation id>'``, and one ``LISTEN`` connection per
serving process (``GenerationHub``) wakes the streams of that generation. NOTIFY rather than
polling: tokens arrive every ~100 ms while a model writes, and a stream should show them
within milliseconds without every open stream querying ten times a second. Polling stays
as the safety net (every ``poll_seconds``), for a notification missed while the listening
connection was down; the hub starts listening with its first stream and stops with its
last, so an idle server holds no connection for it.

A stream ends after ``done`` or ``error``, or at once when the generation has finished and
the client has seen everything; keep-alive comments go out every ``keepalive_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sse_starlette import ServerSentEvent

from brandflow.contexts.studio.domain import EventKind, GenerationStatus
from brandflow.contexts.studio.repository import EVENTS_CHANNEL, StudioRepository
from brandflow.kernel.db import TCP_KEEPALIVES
from brandflow.kernel.notify import listen_url
from brandflow.kernel.telemetry import get_logger

log = get_logger(__name__)

READ_BATCH = 500


class GenerationHub:
    """Wakes this process's streams when their generation's events commit."""

    def __init__(
        self,
        database_url: str,
        *,
        keepalive_seconds: float = 15.0,
        poll_seconds: float = 2.0,
        retry_seconds: float = 1.0,
    ) -> None:
        self.conninfo = make_conninfo(listen_url(database_url), **TCP_KEEPALIVES)
        self.keepalive_seconds = keepalive_seconds
        self.poll_seconds = poll_seconds
        self.retry_seconds = retry_seconds
        self._waiters: dict[uuid.UUID, set[asyncio.Event]] = {}
        self._task: asyncio.Task[None] | None = None

    @contextlib.asynccontextmanager
    async def subscribe(self, generation_id: uuid.UUID) -> AsyncIterator[asyncio.Event]:
        """An event set whenever ``generation_id`` may have new events."""
        woken = asyncio.Event()
        self._waiters.setdefault(generation_id, set()).add(woken)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._listen(), name="brandflow-generation-events")
        try:
            yield woken
        finally:
            waiters = self._waiters.get(generation_id, set())
            waiters.discard(woken)
            if not waiters:
                self._waiters.pop(generation_id, None)
            if not self._waiters and self._task is not None:
                task, self._task = self._task, None
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    def _wake(self, payload: str) -> None:
        try:
            generation_id = uuid.UUID(payload)
        except ValueError:
            return
        for woken in self._waiters.get(generation_id, ()):
            woken.set()

    def _wake_all(self) -> None:
        for waiters in self._waiters.values():
            for woken in waiters:
                woken.set()

    async def _listen(self) -> None:
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
                async with conn:
                    await conn.execute(f'LISTEN "{EVENTS_CHANNEL}"')
                    # Whatever committed before LISTEN took effect: every stream reads again.
                    self._wake_all()
                    async for notify in conn.notifies():
                        self._wake(notify.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("generation_events_listener_down", error=str(exc))
            self._wake_all()
            await asyncio.sleep(self.retry_seconds)


async def event_stream(
    sessionmaker: async_sessionmaker[AsyncSession],
    hub: GenerationHub,
    workspace_id: uuid.UUID,
    generation_id: uuid.UUID,
    after: int,
) -> AsyncIterator[ServerSentEvent]:
    """The generation's events after ``after``, then as they commit, until it ends."""
    async with hub.subscribe(generation_id) as woken:
        last = after
        while True:
            woken.clear()
            async with sessionmaker() as session:
                repo = StudioRepository(session)
                # Status first: its final value commits with the final events, so when it
                # says finished, the read below sees every event there will be.
                status = await repo.status_of(workspace_id, generation_id)
                rows = await repo.events_after(workspace_id, generation_id, last, limit=READ_BATCH)
            if status is None:
                return  # deleted with its content item
            for row in rows:
                last = row.seq
                yield ServerSentEvent(
                    data=json.dumps(row.data, ensure_ascii=False, separators=(",", ":")),
                    event=row.kind,
                    id=str(row.seq),
                )
                if EventKind(row.kind).final:
                    return
            if len(rows) == READ_BATCH:
                continue
            if GenerationStatus(status).finished:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), hub.poll_seconds)
