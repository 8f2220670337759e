"""Domain events and the envelope they travel in.

Each context declares its events as ``DomainEvent`` subclasses in ``domain.py``. The unit
of work wraps them in an ``Envelope`` and writes it to the outbox; the relay delivers the
envelope unchanged, so consumers see exactly what was committed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from brandflow.kernel.db import new_id, utcnow

_REGISTRY: dict[str, type[DomainEvent]] = {}


class DomainEvent(BaseModel):
    """A fact a context publishes. ``name`` is ``context.past_tense_verb``."""

    model_config = ConfigDict(frozen=True)

    name: ClassVar[str]
    version: ClassVar[int] = 1
    # What the audit log files the event under, and a before/after summary.
    subject_type: ClassVar[str]

    workspace_id: uuid.UUID | None
    subject_id: uuid.UUID
    changes: dict[str, Any] = Field(
        default_factory=dict, description="Before/after summary: field -> [before, after]"
    )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if isinstance(name, str):
            if name in _REGISTRY and _REGISTRY[name] is not cls:
                raise ValueError(f"duplicate event name {name}")
            _REGISTRY[name] = cls


def event_types() -> dict[str, type[DomainEvent]]:
    return dict(_REGISTRY)


class ActorRef(BaseModel):
    type: str
    id: str


class Envelope(BaseModel):
    """What the outbox stores and every transport carries."""

    event_id: uuid.UUID = Field(default_factory=new_id)
    type: str
    version: int
    occurred_at: datetime = Field(default_factory=utcnow)
    organization_id: uuid.UUID | None = None
    workspace_id: uuid.UUID | None = None
    actor: ActorRef
    request_id: str | None = None
    # W3C trace context (``traceparent``/``tracestate``) so consumers join the trace.
    trace_context: dict[str, str] = Field(default_factory=dict)
    payload: dict[str, Any]

    @property
    def routing_key(self) -> str:
        return self.type

    def event(self) -> DomainEvent:
        return _REGISTRY[self.type].model_validate(self.payload)
