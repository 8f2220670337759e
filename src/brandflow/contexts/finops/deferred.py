"""Ledger rows written just after the response: metering that must not slow a request down.

The search API embeds every query (task ``search``) and must answer within tens of
milliseconds, so its ledger row is not written on the response path. ``meter_soon`` appends
the call to this process's ``PendingUsage``, in memory (no I/O, no lock: microseconds), and
``flush_usage_periodically`` (started by ``Container.start_background`` in every process)
writes what is pending every second, or at once when ``FLUSH_ROWS`` wait, in one transaction:
calls that spend nothing in one multi-row INSERT without a lock, paid ones (an embeddings
API) through the locking path, so budgets count them. Stopping flushes what is left.

The trade: a process killed without stopping loses the last second of such rows (search
queries, each worth a fraction of a micro-dollar); while the database is unreachable rows
wait in memory, up to ``MAX_PENDING``, then the oldest are dropped and counted in the log.

The buffer travels with the process's sessions (``Session.info``, like the cache
invalidator): code that embeds needs no new parameter, and rows reach the database its
session uses.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.finops.domain import TokenCounts
from brandflow.contexts.finops.metering import CallContext, LedgerEntry, Meter
from brandflow.kernel.db import utcnow
from brandflow.kernel.telemetry import get_logger
from brandflow.kernel.uow import UnitOfWork
from brandflow.settings import Settings

log = get_logger(__name__)

Sessions = async_sessionmaker[AsyncSession]

# ``Session.info`` key of the process's ``PendingUsage`` (set by ``build_container``).
PENDING_USAGE_INFO_KEY = "brandflow.pending_usage"
FLUSH_SECONDS = 1.0
FLUSH_ROWS = 500
MAX_PENDING = 50_000


class PendingUsage:
    """Calls waiting for their ledger rows. Used from the event loop's thread only."""

    def __init__(self, settings: Settings | None = None, *, max_pending: int = MAX_PENDING) -> None:
        self.settings = settings
        self.max_pending = max_pending
        self._entries: list[LedgerEntry] = []
        self._dropped = 0
        self._due = asyncio.Event()
        # One flush at a time: the final flush at stop waits for one in flight.
        self._flushing = asyncio.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def add(
        self, call: CallContext, usage: object, *, latency_ms: float, at: datetime | None = None
    ) -> None:
        self._entries.append(LedgerEntry(call, TokenCounts.of(usage), latency_ms, at or utcnow()))
        self._trim()
        if len(self._entries) >= FLUSH_ROWS:
            self._due.set()

    def _trim(self) -> None:
        excess = len(self._entries) - self.max_pending
        if excess > 0:
            del self._entries[:excess]
            self._dropped += excess

    async def flush(self, sessionmaker: Sessions) -> int:
        """Write every pending row; returns how many were written. A database error puts
        them back (and is raised); rows the database refuses (their workspace was deleted
        meanwhile) are dropped, each logged."""
        async with self._flushing:
            return await self._flush(sessionmaker)

    async def _flush(self, sessionmaker: Sessions) -> int:
        entries, self._entries = self._entries, []
        self._due.clear()
        if self._dropped:
            log.error("usage_rows_dropped", rows=self._dropped, reason="too many pending")
            self._dropped = 0
        if not entries:
            return 0
        try:
            return await self._write(sessionmaker, entries)
        except IntegrityError:
            return await self._write_one_by_one(sessionmaker, entries)
        except BaseException:
            self._requeue(entries)
            raise

    async def _write(self, sessionmaker: Sessions, entries: list[LedgerEntry]) -> int:
        async with sessionmaker() as session:
            uow = UnitOfWork(session)
            written = await Meter(uow, self.settings).record_many(entries)
            await uow.commit()
            return written

    async def _write_one_by_one(self, sessionmaker: Sessions, entries: list[LedgerEntry]) -> int:
        written = 0
        for index, entry in enumerate(entries):
            try:
                written += await self._write(sessionmaker, [entry])
            except IntegrityError as exc:
                log.warning(
                    "usage_row_refused",
                    workspace_id=str(entry.call.workspace_id),
                    task=str(entry.call.task),
                    error=repr(exc.orig),
                )
            except BaseException:
                self._requeue(entries[index:])
                raise
        return written

    def _requeue(self, entries: list[LedgerEntry]) -> None:
        self._entries[:0] = entries
        self._trim()

    async def flush_periodically(self, sessionmaker: Sessions, interval: float) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._due.wait(), interval)
            try:
                # Shielded: stopping mid-commit must not put rows back that were written.
                await asyncio.shield(self.flush(sessionmaker))
            except Exception as exc:  # logged; the rows wait for the next round
                log.error("usage_flush_failed", error=repr(exc), pending=len(self))


def pending_usage_of(sessionmaker: Sessions) -> PendingUsage | None:
    found = sessionmaker.kw.get("info", {}).get(PENDING_USAGE_INFO_KEY)
    return found if isinstance(found, PendingUsage) else None


def meter_soon(
    session: AsyncSession, call: CallContext, usage: object, *, latency_ms: float
) -> None:
    """Ledger a call after the response (see the module doc). Nothing is written here."""
    pending = session.info.get(PENDING_USAGE_INFO_KEY)
    if not isinstance(pending, PendingUsage):
        raise RuntimeError(
            "this session has no PendingUsage: use the sessionmaker of build_container"
        )
    pending.add(call, usage, latency_ms=latency_ms)


async def flush_pending_usage(sessionmaker: Sessions) -> int:
    """Write the rows ``meter_soon`` left in this sessionmaker's buffer now (stop, tests)."""
    pending = pending_usage_of(sessionmaker)
    return await pending.flush(sessionmaker) if pending is not None else 0


async def flush_usage_periodically(sessionmaker: Sessions, interval: float = FLUSH_SECONDS) -> None:
    """Flush every ``interval`` seconds, or sooner when many rows wait, until cancelled."""
    pending = pending_usage_of(sessionmaker)
    if pending is not None:
        await pending.flush_periodically(sessionmaker, interval)
