"""finops: usage ledger, monthly budgets, budget periods, reservations, response cache

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 03:00:00
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TASKS = "('generate', 'rewrite', 'check', 'embed', 'search')"
SOURCES = "('configured', 'genai-prices', 'free', 'cache', 'unknown')"


def _now(name: str) -> sa.Column[datetime]:
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspaces.id"],
        name=op.f(f"fk_{table}_workspace_id_workspaces"),
        ondelete="CASCADE",
    )


def _campaign_fk(table: str, ondelete: str | None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id", "campaign_id"],
        ["campaigns.workspace_id", "campaigns.id"],
        name=f"fk_{table}_campaigns",
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "usage_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("content_id", sa.Uuid(), nullable=True),
        sa.Column("actor_type", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("task", sa.String(length=20), nullable=False),
        sa.Column("provider", sa.String(length=50), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cache_read_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cache_write_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cost_usd", sa.Numeric(20, 12), nullable=True),
        sa.Column("price_source", sa.String(length=20), nullable=False),
        sa.Column("price_ref", sa.String(length=200), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("cache_hit", sa.Boolean(), nullable=False),
        sa.Column("reservation_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        _now("created_at"),
        sa.CheckConstraint(f"task IN {TASKS}", name=op.f("ck_usage_records_task_known")),
        sa.CheckConstraint(
            f"price_source IN {SOURCES}", name=op.f("ck_usage_records_price_source_known")
        ),
        sa.CheckConstraint(
            "input_tokens >= 0 AND output_tokens >= 0 AND cache_read_tokens >= 0"
            " AND cache_write_tokens >= 0 AND cache_read_tokens + cache_write_tokens"
            " <= input_tokens",
            name=op.f("ck_usage_records_tokens_consistent"),
        ),
        sa.CheckConstraint(
            "cost_usd IS NULL OR cost_usd >= 0", name=op.f("ck_usage_records_cost_not_negative")
        ),
        sa.CheckConstraint(
            "(cost_usd IS NULL) = (price_source = 'unknown')",
            name=op.f("ck_usage_records_cost_or_unknown"),
        ),
        sa.CheckConstraint(
            "NOT cache_hit OR cost_usd = 0", name=op.f("ck_usage_records_cache_hit_free")
        ),
        sa.CheckConstraint("latency_ms >= 0", name=op.f("ck_usage_records_latency_not_negative")),
        _workspace_fk("usage_records"),
        _campaign_fk("usage_records", None),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_records")),
        sa.UniqueConstraint("reservation_id", name=op.f("uq_usage_records_reservation_id")),
    )
    op.create_index(
        "ix_usage_records_workspace_created", "usage_records", ["workspace_id", "created_at"]
    )
    op.create_index(
        "ix_usage_records_workspace_campaign_created",
        "usage_records",
        ["workspace_id", "campaign_id", "created_at"],
    )
    # The ledger is append-only: refuse any UPDATE (deletes only cascade from the workspace).
    op.execute(
        """
        CREATE FUNCTION usage_records_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'usage records are immutable'
                USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER usage_records_no_update BEFORE UPDATE ON usage_records "
        "FOR EACH ROW EXECUTE FUNCTION usage_records_immutable()"
    )

    op.create_table(
        "budgets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("monthly_limit_usd", sa.Numeric(14, 2), nullable=False),
        sa.Column("soft_threshold_percent", sa.SmallInteger(), nullable=False),
        sa.Column("hard_limit", sa.Boolean(), nullable=False),
        _now("created_at"),
        _now("updated_at"),
        sa.CheckConstraint("monthly_limit_usd >= 0", name=op.f("ck_budgets_limit_not_negative")),
        sa.CheckConstraint(
            "soft_threshold_percent BETWEEN 1 AND 100",
            name=op.f("ck_budgets_soft_threshold_percent_range"),
        ),
        _workspace_fk("budgets"),
        _campaign_fk("budgets", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint(
            "workspace_id",
            "campaign_id",
            name="uq_budgets_workspace_id_campaign_id",
            postgresql_nulls_not_distinct=True,
        ),
    )

    op.create_table(
        "budget_periods",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("spent_usd", sa.Numeric(20, 12), nullable=False),
        sa.Column("calls", sa.BigInteger(), nullable=False),
        sa.Column("soft_notified_at", sa.DateTime(timezone=True), nullable=True),
        _now("created_at"),
        _now("updated_at"),
        sa.CheckConstraint(
            "spent_usd >= 0 AND calls >= 0", name=op.f("ck_budget_periods_totals_not_negative")
        ),
        sa.CheckConstraint(
            "EXTRACT(DAY FROM period) = 1", name=op.f("ck_budget_periods_period_is_a_month")
        ),
        _workspace_fk("budget_periods"),
        _campaign_fk("budget_periods", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_periods")),
        sa.UniqueConstraint(
            "workspace_id",
            "campaign_id",
            "period",
            name="uq_budget_periods_workspace_id_campaign_id_period",
            postgresql_nulls_not_distinct=True,
        ),
    )

    op.create_table(
        "budget_reservations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("estimate_usd", sa.Numeric(20, 12), nullable=False),
        sa.Column("task", sa.String(length=20), nullable=False),
        sa.Column("provider", sa.String(length=50), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        _now("created_at"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "estimate_usd >= 0", name=op.f("ck_budget_reservations_estimate_not_negative")
        ),
        _workspace_fk("budget_reservations"),
        _campaign_fk("budget_reservations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_reservations")),
    )
    op.create_index(
        "ix_budget_reservations_workspace_expires",
        "budget_reservations",
        ["workspace_id", "expires_at"],
    )

    op.create_table(
        "llm_response_cache",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=50), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("response", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("usage", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        _now("created_at"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        _workspace_fk("llm_response_cache"),
        sa.PrimaryKeyConstraint("workspace_id", "key", name=op.f("pk_llm_response_cache")),
    )
    op.create_index("ix_llm_response_cache_expires_at", "llm_response_cache", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_llm_response_cache_expires_at", table_name="llm_response_cache")
    op.drop_table("llm_response_cache")
    op.drop_index("ix_budget_reservations_workspace_expires", table_name="budget_reservations")
    op.drop_table("budget_reservations")
    op.drop_table("budget_periods")
    op.drop_table("budgets")
    op.execute("DROP TRIGGER IF EXISTS usage_records_no_update ON usage_records")
    op.execute("DROP FUNCTION IF EXISTS usage_records_immutable()")
    op.drop_index("ix_usage_records_workspace_campaign_created", table_name="usage_records")
    op.drop_index("ix_usage_records_workspace_created", table_name="usage_records")
    op.drop_table("usage_records")
