"""Cross-process cache invalidation through PostgreSQL ``LISTEN/NOTIFY`` (ADR 0008).

The unit of work issues ``pg_notify(INVALIDATION_CHANNEL, payload)`` inside the transaction
that commits events, so PostgreSQL delivers it only if (and when) that transaction commits.
Each serving process keeps one listening connection and hands what it hears to its
``Invalidator``. While that connection is down, nothing is heard: on every (re)connect the
caches are reset, and their TTLs bound what a missed notification could leave stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Sequence

import psycopg
from psycopg.conninfo import make_conninfo

from brandflow.kernel.cache import Invalidation, Invalidator
from brandflow.kernel.db import TCP_KEEPALIVES
from brandflow.kernel.telemetry import get_logger

log = get_logger(__name__)

INVALIDATION_CHANNEL = "brandflow_invalidations"
# PostgreSQL refuses payloads of 8000 bytes or more: past this, say "everything".
_MAX_PAYLOAD = 7_000
EVERYTHING: Invalidation = ("*", None)


def encode_invalidations(origin: str, pairs: Sequence[Invalidation]) -> str:
    items = [[name, str(ws) if ws is not None else None] for name, ws in pairs]
    payload = json.dumps({"o": origin, "e": items}, separators=(",", ":"))
    if len(payload) > _MAX_PAYLOAD:
        payload = json.dumps({"o": origin, "e": [["*", None]]}, separators=(",", ":"))
    return payload


def decode_invalidations(payload: str) -> tuple[str, list[Invalidation]]:
    """(origin, pairs). Anything unreadable means: invalidate everything."""
    try:
        data = json.loads(payload)
        pairs: list[Invalidation] = [
            (str(name), uuid.UUID(ws) if ws is not None else None) for name, ws in data["e"]
        ]
        return str(data.get("o", "")), pairs
    except (ValueError, TypeError, KeyError):
        return "", [EVERYTHING]


def listen_url(sqlalchemy_url: str) -> str:
    """A libpq URL for psycopg from the engine's ``postgresql+psycopg://`` URL."""
    for prefix in ("postgresql+psycopg://", "postgres://"):
        if sqlalchemy_url.startswith(prefix):
            return "postgresql://" + sqlalchemy_url[len(prefix) :]
    return sqlalchemy_url


class NotificationListener:
    """One ``LISTEN`` connection per process, feeding the process's ``Invalidator``."""

    def __init__(
        self,
        url: str,
        invalidator: Invalidator,
        *,
        channel: str = INVALIDATION_CHANNEL,
        retry_seconds: float = 1.0,
    ) -> None:
        self.url = listen_url(url)
        # The pool's TCP keepalives: a LISTEN connection idles most of its life.
        self.conninfo = make_conninfo(self.url, **TCP_KEEPALIVES)
        self.invalidator = invalidator
        self.channel = channel
        self.retry_seconds = retry_seconds
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    async def start(self, wait_seconds: float = 5.0) -> None:
        """Start listening; wait (bounded) until ``LISTEN`` is in place."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="brandflow-invalidation-listener")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), wait_seconds)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._listening.clear()

    def handle(self, payload: str) -> None:
        origin, pairs = decode_invalidations(payload)
        if origin and origin == self.invalidator.origin:
            return  # our own commit: applied in-process already
        self.invalidator.apply(pairs)

    async def _run(self) -> None:
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
                async with conn:
                    await conn.execute(f'LISTEN "{self.channel}"')
                    # Whatever was committed while we were not listening is unknown.
                    self.invalidator.reset()
                    self._listening.set()
                    async for notify in conn.notifies():
                        self.handle(notify.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("invalidation_listener_down", error=str(exc))
            self._listening.clear()
            self.invalidator.reset()
            await asyncio.sleep(self.retry_seconds)
