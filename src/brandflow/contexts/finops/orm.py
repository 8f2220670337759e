"""Tables of the finops context.

- ``usage_records``: the ledger, one row per model or embedding call, never updated.
- ``budgets``: monthly limits of a workspace (``campaign_id`` null) and of its campaigns.
- ``budget_periods``: per workspace (and per campaign) and month, what was spent; the row
  reservations and settlements lock, so budget checks run one at a time per workspace.
- ``budget_reservations``: estimates of calls in flight, counted until settled, released
  or expired.
- ``llm_response_cache``: exact responses by request hash, per workspace, with a TTL.

Money is NUMERIC: costs with 12 decimals (exact for real prices), limits with 2.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.contexts.finops import domain as _domain  # noqa: F401 - registers the events
from brandflow.kernel.db import Base, TimestampMixin, new_id, utcnow

Cost = Numeric(20, 12)
Limit = Numeric(14, 2)
TASKS = "('generate', 'rewrite', 'check', 'embed', 'search')"
SOURCES = "('configured', 'genai-prices', 'free', 'cache', 'unknown')"


def _campaign_fk(table: str, ondelete: str | None) -> ForeignKeyConstraint:
    """The campaign must be of the row's workspace: enforced by the schema, not only code."""
    return ForeignKeyConstraint(
        ["workspace_id", "campaign_id"],
        ["campaigns.workspace_id", "campaigns.id"],
        ondelete=ondelete,
        name=f"fk_{table}_campaigns",
    )


class UsageRecord(Base):
    """One metered call. Append-only: a trigger refuses UPDATE."""

    __tablename__ = "usage_records"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[uuid.UUID | None]
    content_id: Mapped[uuid.UUID | None]  # no FK: the ledger outlives what it paid for
    actor_type: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str] = mapped_column(String(64))
    task: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(50))
    model: Mapped[str] = mapped_column(String(200))
    input_tokens: Mapped[int] = mapped_column(BigInteger)
    output_tokens: Mapped[int] = mapped_column(BigInteger)
    cache_read_tokens: Mapped[int] = mapped_column(BigInteger)
    cache_write_tokens: Mapped[int] = mapped_column(BigInteger)
    cost_usd: Mapped[Decimal | None] = mapped_column(Cost)
    price_source: Mapped[str] = mapped_column(String(20))
    price_ref: Mapped[str | None] = mapped_column(String(200))
    latency_ms: Mapped[int] = mapped_column(Integer)
    cache_hit: Mapped[bool] = mapped_column(Boolean)
    # The reservation it settles: settling twice writes one row.
    reservation_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    request_id: Mapped[str | None] = mapped_column(String(100))
    trace_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)

    __table_args__ = (
        # Reports: a workspace's rows in a time range (grouped in memory of the database),
        # or one campaign's.
        Index("ix_usage_records_workspace_created", "workspace_id", "created_at"),
        Index(
            "ix_usage_records_workspace_campaign_created",
            "workspace_id",
            "campaign_id",
            "created_at",
        ),
        # No ON DELETE: a campaign with paid calls is deleted only with its workspace.
        _campaign_fk("usage_records", None),
        CheckConstraint(f"task IN {TASKS}", name="task_known"),
        CheckConstraint(f"price_source IN {SOURCES}", name="price_source_known"),
        CheckConstraint(
            "input_tokens >= 0 AND output_tokens >= 0 AND cache_read_tokens >= 0"
            " AND cache_write_tokens >= 0 AND cache_read_tokens + cache_write_tokens"
            " <= input_tokens",
            name="tokens_consistent",
        ),
        CheckConstraint("cost_usd IS NULL OR cost_usd >= 0", name="cost_not_negative"),
        CheckConstraint("(cost_usd IS NULL) = (price_source = 'unknown')", name="cost_or_unknown"),
        CheckConstraint("NOT cache_hit OR cost_usd = 0", name="cache_hit_free"),
        CheckConstraint("latency_ms >= 0", name="latency_not_negative"),
    )


class Budget(TimestampMixin, Base):
    __tablename__ = "budgets"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[uuid.UUID | None]
    monthly_limit_usd: Mapped[Decimal] = mapped_column(Limit)
    soft_threshold_percent: Mapped[int] = mapped_column(SmallInteger)
    hard_limit: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        UniqueConstraint(
            "workspace_id",
            "campaign_id",
            name="uq_budgets_workspace_id_campaign_id",
            postgresql_nulls_not_distinct=True,
        ),
        _campaign_fk("budgets", "CASCADE"),
        CheckConstraint("monthly_limit_usd >= 0", name="limit_not_negative"),
        CheckConstraint(
            "soft_threshold_percent BETWEEN 1 AND 100", name="soft_threshold_percent_range"
        ),
    )


class BudgetPeriod(TimestampMixin, Base):
    """Spend of one scope in one month; the workspace's row (no campaign) counts every call."""

    __tablename__ = "budget_periods"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[uuid.UUID | None]
    period: Mapped[date] = mapped_column(Date)
    spent_usd: Mapped[Decimal] = mapped_column(Cost, default=Decimal(0))
    # Calls that added to ``spent_usd`` (free, cached and unpriced calls move no budget).
    calls: Mapped[int] = mapped_column(BigInteger, default=0)
    # Set when the soft threshold event was recorded: once per scope and month.
    soft_notified_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint(
            "workspace_id",
            "campaign_id",
            "period",
            name="uq_budget_periods_workspace_id_campaign_id_period",
            postgresql_nulls_not_distinct=True,
        ),
        _campaign_fk("budget_periods", "CASCADE"),
        CheckConstraint("spent_usd >= 0 AND calls >= 0", name="totals_not_negative"),
        CheckConstraint("EXTRACT(DAY FROM period) = 1", name="period_is_a_month"),
    )


class BudgetReservation(Base):
    __tablename__ = "budget_reservations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[uuid.UUID | None]
    estimate_usd: Mapped[Decimal] = mapped_column(Cost)
    task: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(50))
    model: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    expires_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_budget_reservations_workspace_expires", "workspace_id", "expires_at"),
        _campaign_fk("budget_reservations", "CASCADE"),
        CheckConstraint("estimate_usd >= 0", name="estimate_not_negative"),
    )


class CachedResponse(Base):
    __tablename__ = "llm_response_cache"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider: Mapped[str] = mapped_column(String(50))
    model: Mapped[str] = mapped_column(String(200))
    response: Mapped[dict[str, Any]] = mapped_column(JSONB)
    usage: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    expires_at: Mapped[datetime]

    __table_args__ = (Index("ix_llm_response_cache_expires_at", "expires_at"),)
