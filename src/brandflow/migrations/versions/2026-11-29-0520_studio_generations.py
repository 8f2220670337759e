"""studio generations: prompt templates, generation jobs and their events, version provenance

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 05:00:00
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPERATIONS = "('generate', 'shorten', 'change_tone', 'translate', 'fix_findings')"
STATUSES = "('queued', 'running', 'succeeded', 'failed')"
TASKS = "('generate', 'rewrite')"
EVENT_KINDS = "('status', 'progress', 'token', 'variant', 'done', 'error')"


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


def _content_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id", "content_id"],
        ["content_items.workspace_id", "content_items.id"],
        name=f"fk_{table}_content_items",
        ondelete="CASCADE",
    )


def _generation_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id", "generation_id"],
        ["generations.workspace_id", "generations.id"],
        name=f"fk_{table}_generations",
        ondelete="CASCADE",
    )


def _jsonb(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, postgresql.JSONB(astext_type=sa.Text()), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "prompt_templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("task", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_by_type", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.String(length=64), nullable=False),
        _now("created_at"),
        sa.CheckConstraint(f"task IN {TASKS}", name=op.f("ck_prompt_templates_task_known")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_prompt_templates_version_positive")),
        _workspace_fk("prompt_templates"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_templates")),
        sa.UniqueConstraint("workspace_id", "task", "version", name="uq_prompt_templates_version"),
    )

    op.create_table(
        "generations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("content_id", sa.Uuid(), nullable=False),
        sa.Column("operation", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error_code", sa.String(length=60), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("variants", sa.SmallInteger(), nullable=False),
        sa.Column("source_version", sa.Integer(), nullable=True),
        sa.Column("tone", sa.String(length=60), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("requested_by_type", sa.String(length=20), nullable=False),
        sa.Column("requested_by_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _jsonb("results"),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("cache_hits", sa.Integer(), nullable=False),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cached_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cost_usd", sa.Numeric(20, 12), nullable=True),
        sa.Column("model_label", sa.String(length=250), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        _now("created_at"),
        _now("updated_at"),
        sa.CheckConstraint(
            f"operation IN {OPERATIONS}", name=op.f("ck_generations_operation_known")
        ),
        sa.CheckConstraint(f"status IN {STATUSES}", name=op.f("ck_generations_status_known")),
        sa.CheckConstraint("variants BETWEEN 1 AND 5", name=op.f("ck_generations_variants_range")),
        sa.CheckConstraint(
            "source_version IS NULL OR source_version >= 1",
            name=op.f("ck_generations_source_positive"),
        ),
        _workspace_fk("generations"),
        sa.ForeignKeyConstraint(
            ["workspace_id", "campaign_id"],
            ["campaigns.workspace_id", "campaigns.id"],
            name="fk_generations_campaigns",
            ondelete="CASCADE",
        ),
        _content_fk("generations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generations")),
        sa.UniqueConstraint("workspace_id", "id", name="uq_generations_workspace_id_id"),
    )
    op.create_index(
        "ix_generations_content_created",
        "generations",
        ["workspace_id", "content_id", "created_at", "id"],
    )

    op.create_table(
        "generation_events",
        sa.Column("generation_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        _jsonb("data"),
        _now("created_at"),
        sa.CheckConstraint(f"kind IN {EVENT_KINDS}", name=op.f("ck_generation_events_kind_known")),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_generation_events_seq_positive")),
        _generation_fk("generation_events"),
        sa.PrimaryKeyConstraint("generation_id", "seq", name=op.f("pk_generation_events")),
    )

    op.create_table(
        "version_provenance",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("content_id", sa.Uuid(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("generation_id", sa.Uuid(), nullable=False),
        sa.Column("variant_index", sa.SmallInteger(), nullable=False),
        sa.Column("operation", sa.String(length=20), nullable=False),
        _jsonb("template"),
        _jsonb("model", nullable=True),
        _jsonb("parameters"),
        _jsonb("chunks"),
        _jsonb("guardrails"),
        _jsonb("check", nullable=True),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cached_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cost_usd", sa.Numeric(20, 12), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("cache_hit", sa.Boolean(), nullable=False),
        _jsonb("attempts"),
        sa.Column("usage_record_id", sa.Uuid(), nullable=True),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        _now("created_at"),
        sa.CheckConstraint(
            "latency_ms >= 0", name=op.f("ck_version_provenance_latency_not_negative")
        ),
        _content_fk("version_provenance"),
        sa.ForeignKeyConstraint(
            ["content_id", "version_number"],
            ["content_versions.content_id", "content_versions.number"],
            name="fk_version_provenance_content_versions",
            ondelete="CASCADE",
        ),
        _generation_fk("version_provenance"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_provenance")),
        sa.UniqueConstraint(
            "content_id", "version_number", name="uq_version_provenance_content_version"
        ),
    )


def downgrade() -> None:
    op.drop_table("version_provenance")
    op.drop_table("generation_events")
    op.drop_index("ix_generations_content_created", table_name="generations")
    op.drop_table("generations")
    op.drop_table("prompt_templates")
