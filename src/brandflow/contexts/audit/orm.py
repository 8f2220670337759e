"""The audit log: append-only rows built from domain events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.kernel.db import Base, new_id, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    event_id: Mapped[uuid.UUID] = mapped_column(unique=True)  # one audit row per domain event
    organization_id: Mapped[uuid.UUID | None]
    workspace_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(120))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[uuid.UUID]
    actor_type: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(128))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_audit_events_workspace_time", "workspace_id", "occurred_at", "id"),
        Index("ix_audit_events_object", "workspace_id", "object_type", "object_id"),
    )
