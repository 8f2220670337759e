"""Unit of work: one transaction that holds the change and the outbox rows of its events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.kernel.cache import Invalidation, Invalidator
from brandflow.kernel.context import current_actor, request_id_var
from brandflow.kernel.events import ActorRef, DomainEvent, Envelope
from brandflow.kernel.notify import INVALIDATION_CHANNEL, encode_invalidations
from brandflow.kernel.outbox import OutboxMessage
from brandflow.kernel.telemetry import current_trace_context

# ``Session.info`` key of the process's ``Invalidator`` (set by ``create_sessionmaker``).
INVALIDATOR_INFO_KEY = "brandflow.invalidator"


class UnitOfWork:
    """Wraps the session of one request or one consumed message.

    Services add rows and ``record`` events; only the owner of the unit of work (the
    request dependency, a consumer runner, a CLI command) calls ``commit``.
    """

    def __init__(self, session: AsyncSession, organization_id: uuid.UUID | None = None) -> None:
        self.session = session
        self.organization_id = organization_id
        self._events: list[DomainEvent] = []
        self.committed_envelopes: list[Envelope] = []
        # Set by a service whose error answer must still keep its writes (a revoked session).
        self.keep_changes_on_error = False

    def record(self, *events: DomainEvent) -> None:
        self._events.extend(events)

    @property
    def pending_events(self) -> Sequence[DomainEvent]:
        return tuple(self._events)

    def _envelopes(self) -> list[Envelope]:
        actor = current_actor()
        trace_context = current_trace_context()
        request_id = request_id_var.get()
        return [
            Envelope(
                type=event.name,
                version=event.version,
                organization_id=self.organization_id,
                workspace_id=event.workspace_id,
                actor=ActorRef(type=actor.type, id=actor.id),
                request_id=request_id,
                trace_context=trace_context,
                payload=event.model_dump(mode="json"),
            )
            for event in self._events
        ]

    @property
    def has_work(self) -> bool:
        """Anything to commit: events, pending rows, or an open transaction (a statement ran)."""
        session = self.session
        return bool(
            self._events
            or session.new
            or session.dirty
            or session.deleted
            or session.in_transaction()
        )

    async def commit(self) -> None:
        if not self.has_work:
            return  # a request answered from caches: no session work at all
        envelopes = self._envelopes() if self._events else []
        invalidations = list(dict.fromkeys((e.name, e.workspace_id) for e in self._events))
        self.session.add_all([OutboxMessage.from_envelope(e) for e in envelopes])
        if invalidations:
            # Inside the transaction: PostgreSQL delivers it to other processes on commit only.
            payload = encode_invalidations(self._invalidator_origin(), invalidations)
            await self.session.execute(select(func.pg_notify(INVALIDATION_CHANNEL, payload)))
        await self.session.commit()
        self._events.clear()
        self.committed_envelopes.extend(envelopes)
        self._invalidate_locally(invalidations)

    def _invalidator(self) -> Invalidator | None:
        invalidator = self.session.info.get(INVALIDATOR_INFO_KEY)
        return invalidator if isinstance(invalidator, Invalidator) else None

    def _invalidator_origin(self) -> str:
        invalidator = self._invalidator()
        return invalidator.origin if invalidator is not None else ""

    def _invalidate_locally(self, invalidations: list[Invalidation]) -> None:
        """This process's caches forget right after the commit, before the response leaves."""
        if invalidations and (invalidator := self._invalidator()) is not None:
            invalidator.apply(invalidations)

    async def rollback(self) -> None:
        self._events.clear()
        await self.session.rollback()
