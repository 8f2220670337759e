"""A generation's progress events, written as they happen, numbered, batched for tokens.

Each event is a row of ``generation_events`` (its ``seq`` is the SSE id) committed in a
short transaction of its own with a ``NOTIFY``, so a server in another process streams it
at once. Tokens are buffered per variant and written every ``batch_seconds`` (and before
any other event), so a stream of thousands of deltas is a few rows a second, not one row
per delta. The events that end a generation are *staged* in the caller's transaction
instead, so they commit with what they announce (the versions, or the failure).

One worker writes a generation's events at a time (the consumer runs once per event), so
the next number is kept here; the primary key (generation_id, seq) is the backstop.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.contexts.studio.domain import EventKind
from brandflow.contexts.studio.orm import GenerationEvent
from brandflow.contexts.studio.repository import StudioRepository

BATCH_SECONDS = 0.1


class EventLog:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        workspace_id: uuid.UUID,
        generation_id: uuid.UUID,
        last_seq: int,
        *,
        batch_seconds: float = BATCH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessionmaker = sessionmaker
        self.workspace_id = workspace_id
        self.generation_id = generation_id
        self.seq = last_seq
        self._batch_seconds = batch_seconds
        self._clock = clock
        self._tokens: dict[int, list[str]] = {}
        self._flushed_at = clock()

    def _row(self, kind: EventKind, data: dict[str, Any]) -> GenerationEvent:
        self.seq += 1
        return GenerationEvent(
            generation_id=self.generation_id,
            seq=self.seq,
            workspace_id=self.workspace_id,
            kind=kind.value,
            data=data,
        )

    async def _commit(self, rows: list[GenerationEvent]) -> None:
        async with self._sessionmaker() as session:
            session.add_all(rows)
            await session.flush()
            await StudioRepository(session).notify(self.generation_id)
            await session.commit()

    async def emit(self, kind: EventKind, data: dict[str, Any]) -> None:
        """Write one event now (after the tokens still buffered)."""
        rows = self._token_rows()
        rows.append(self._row(kind, data))
        await self._commit(rows)

    async def token(self, variant: int, text: str) -> None:
        """Buffer a delta; write the buffer when ``batch_seconds`` have passed."""
        if not text:
            return
        self._tokens.setdefault(variant, []).append(text)
        if self._clock() - self._flushed_at >= self._batch_seconds:
            await self.flush()

    async def flush(self) -> None:
        rows = self._token_rows()
        if rows:
            await self._commit(rows)

    def _token_rows(self) -> list[GenerationEvent]:
        rows = [
            self._row(EventKind.TOKEN, {"variant": variant, "text": "".join(pieces)})
            for variant, pieces in self._tokens.items()
        ]
        self._tokens.clear()
        self._flushed_at = self._clock()
        return rows

    async def stage(self, session: AsyncSession, kind: EventKind, data: dict[str, Any]) -> None:
        """Add an event to the caller's transaction: it is seen when that commits."""
        session.add_all([*self._token_rows(), self._row(kind, data)])
        await session.flush()
        await StudioRepository(session).notify(self.generation_id)

    def mark(self) -> int:
        return self.seq

    def rewind(self, mark: int) -> None:
        """Staged events were rolled back: their numbers are free again."""
        self.seq = mark
