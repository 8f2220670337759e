"""Unit of work: one transaction that holds the change and the outbox rows of its events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.kernel.context import current_actor, request_id_var
from brandflow.kernel.events import ActorRef, DomainEvent, Envelope
from brandflow.kernel.outbox import OutboxMessage
from brandflow.kernel.telemetry import current_trace_context


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

    async def commit(self) -> None:
        envelopes = self._envelopes()
        self.session.add_all([OutboxMessage.from_envelope(e) for e in envelopes])
        await self.session.commit()
        self._events.clear()
        self.committed_envelopes.extend(envelopes)

    async def rollback(self) -> None:
        self._events.clear()
        await self.session.rollback()
