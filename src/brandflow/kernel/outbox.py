"""The transactional outbox: events are rows written in the same transaction as the change."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.kernel.db import Base, utcnow
from brandflow.kernel.events import Envelope


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the event id
    type: Mapped[str] = mapped_column(String(120))
    workspace_id: Mapped[uuid.UUID | None]
    envelope: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # The relay only ever scans unpublished rows, oldest first: keep that index tiny.
        Index(
            "ix_outbox_messages_pending",
            "created_at",
            postgresql_where=text("published_at IS NULL"),
        ),
    )

    @classmethod
    def from_envelope(cls, envelope: Envelope) -> OutboxMessage:
        return cls(
            id=envelope.event_id,
            type=envelope.type,
            workspace_id=envelope.workspace_id,
            envelope=envelope.model_dump(mode="json"),
            created_at=envelope.occurred_at,
        )
