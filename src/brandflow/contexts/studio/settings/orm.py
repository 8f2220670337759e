"""Tables of studio settings.

- ``provider_credentials``: an organization's model provider keys. The key itself exists
  only as ``secret_ciphertext``, an AES-256-GCM envelope bound to the organization and the
  row (``kernel/crypto.py``); ``key_hint`` keeps its last 4 characters for people to tell
  keys apart.
- ``workspace_ai_settings``: one row per workspace that saved its AI settings; ``revision``
  is the ETag's (a workspace without a row reads the defaults at revision 0). Routing is
  JSONB: routes refer to credentials by id, checked against the organization on save.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.contexts.studio.settings import domain as _domain  # noqa: F401 - registers events
from brandflow.kernel.db import Base, TimestampMixin, new_id, utcnow

KEY_PROVIDERS = "('openai', 'anthropic', 'google')"


class ProviderCredential(TimestampMixin, Base):
    __tablename__ = "provider_credentials"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(20))
    base_url: Mapped[str | None] = mapped_column(String(2048))
    secret_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    key_hint: Mapped[str | None] = mapped_column(String(4))
    # When the secret last changed (creation counts); renames do not touch it.
    rotated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # Also the index behind listing an organization's keys by name.
        UniqueConstraint("organization_id", "name"),
        CheckConstraint(f"provider IN {KEY_PROVIDERS}", name="provider_known"),
    )


class WorkspaceAISettings(TimestampMixin, Base):
    __tablename__ = "workspace_ai_settings"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    # 0: created by a first save's lock, not saved yet; every saved change adds one.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    min_check_score: Mapped[int] = mapped_column(SmallInteger)
    tone_judge: Mapped[bool] = mapped_column(Boolean, default=False)
    routing: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    near_limit: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    updated_by_type: Mapped[str | None] = mapped_column(String(20))
    updated_by_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("revision >= 0", name="revision_not_negative"),
        CheckConstraint("min_check_score BETWEEN 0 AND 100", name="min_check_score_range"),
    )
