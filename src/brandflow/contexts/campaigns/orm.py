"""Tables of the campaigns context."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.contexts.campaigns.domain import CampaignStatus
from brandflow.kernel.db import Base, TimestampMixin, new_id


class Campaign(TimestampMixin, Base):
    __tablename__ = "campaigns"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    objective: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    key_messages: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    channels: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    budget_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[CampaignStatus] = mapped_column(
        Enum(
            CampaignStatus, name="campaign_status", values_callable=lambda e: [m.value for m in e]
        ),
        default=CampaignStatus.PLANNED,
    )
    # Bumped on every change; the ETag is derived from it.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    __table_args__ = (
        # Target of composite foreign keys: a child row names its campaign *and* workspace.
        UniqueConstraint("workspace_id", "id", name="uq_campaigns_workspace_id_id"),
        # Keyset pagination inside one workspace, newest first.
        Index("ix_campaigns_workspace_created", "workspace_id", "created_at", "id"),
        Index("ix_campaigns_channels", "channels", postgresql_using="gin"),
        CheckConstraint("(budget_amount IS NULL) = (budget_currency IS NULL)", name="budget_pair"),
        CheckConstraint("budget_amount IS NULL OR budget_amount >= 0", name="budget_positive"),
    )
