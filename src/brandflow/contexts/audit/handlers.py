"""The audit consumer: every domain event becomes one audit row."""

from __future__ import annotations

from brandflow.contexts.audit.orm import AuditEvent
from brandflow.kernel.events import Envelope, event_types
from brandflow.kernel.messaging.consumers import Consumer
from brandflow.kernel.uow import UnitOfWork


async def record_audit_event(uow: UnitOfWork, envelope: Envelope) -> None:
    event_cls = event_types().get(envelope.type)
    uow.session.add(
        AuditEvent(
            event_id=envelope.event_id,
            organization_id=envelope.organization_id,
            workspace_id=envelope.workspace_id,
            action=envelope.type,
            object_type=event_cls.subject_type if event_cls else "unknown",
            object_id=envelope.payload["subject_id"],
            actor_type=envelope.actor.type,
            actor_id=envelope.actor.id,
            request_id=envelope.request_id,
            changes=envelope.payload.get("changes", {}),
            occurred_at=envelope.occurred_at,
        )
    )


CONSUMERS = [Consumer(name="audit.log", patterns=("*",), handler=record_audit_event)]
