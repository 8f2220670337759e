"""Tables of the brand kit context."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.contexts.brand_kit import domain as _domain  # noqa: F401 - registers the events
from brandflow.kernel.db import Base, TimestampMixin, new_id, utcnow


class BrandKitRow(TimestampMixin, Base):
    """One per workspace that ever saved a kit: which version is current.

    Writers lock this row, so two saves of the same workspace's kit run one after the other.
    """

    __tablename__ = "brand_kits"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # 0: no version saved yet (the first save creates the row to lock it); never decreases.
    current_version: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("workspace_id", name="uq_brand_kits_workspace_id"),
        CheckConstraint("current_version >= 0", name="current_version_not_negative"),
    )


class BrandKitVersionRow(Base):
    """One immutable version of a workspace's brand kit."""

    __tablename__ = "brand_kit_versions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSONB)
    author_type: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)

    __table_args__ = (
        # One row per number (also the index behind lookups and newest-first listing).
        UniqueConstraint(
            "workspace_id", "number", name="uq_brand_kit_versions_workspace_id_number"
        ),
        CheckConstraint("number >= 1", name="number_positive"),
    )
