"""Tables of the content context."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.content import domain as _domain  # noqa: F401 - registers the events
from brandflow.kernel.db import Base, TimestampMixin, new_id, utcnow


class ContentItem(TimestampMixin, Base):
    __tablename__ = "content_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[uuid.UUID]
    channel: Mapped[Channel] = mapped_column(
        Enum(
            Channel,
            name="content_channel",
            values_callable=lambda e: [m.value for m in e],
        )
    )
    title: Mapped[str] = mapped_column(String(200))
    # Number of the current version; bumped under a row lock, never decreases.
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    __table_args__ = (
        # Listing a campaign's content newest first (optionally by channel), keyset paged.
        Index(
            "ix_content_items_campaign_created", "workspace_id", "campaign_id", "created_at", "id"
        ),
        Index(
            "ix_content_items_campaign_channel",
            "workspace_id",
            "campaign_id",
            "channel",
            "created_at",
            "id",
        ),
        # Lets versions reference (workspace_id, id) so a version cannot cross tenants.
        UniqueConstraint("workspace_id", "id", name="uq_content_items_workspace_id_id"),
        # The campaign must be of the same workspace: enforced by the schema, not only code.
        ForeignKeyConstraint(
            ["workspace_id", "campaign_id"],
            ["campaigns.workspace_id", "campaigns.id"],
            ondelete="CASCADE",
            name="fk_content_items_campaigns",
        ),
        CheckConstraint("current_version >= 1", name="current_version_positive"),
    )


class ContentVersion(Base):
    """One immutable version of a content item's body."""

    __tablename__ = "content_versions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column()
    content_id: Mapped[uuid.UUID] = mapped_column()
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSONB)
    author_type: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)

    __table_args__ = (
        ForeignKeyConstraint(
            ["workspace_id", "content_id"],
            ["content_items.workspace_id", "content_items.id"],
            ondelete="CASCADE",
            name="fk_content_versions_content_items",
        ),
        # One row per number: a second writer of the same number fails here at the latest.
        UniqueConstraint("content_id", "number", name="uq_content_versions_content_id_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )
