"""content checks: the compliance check of every content version

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_checks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("content_id", sa.Uuid(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("min_score", sa.SmallInteger(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("checked_rules_count", sa.Integer(), nullable=False),
        sa.Column("findings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("brand_kit_version", sa.Integer(), nullable=False),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("judge", sa.String(length=200), nullable=True),
        sa.Column(
            "judge_key",
            sa.String(length=200),
            sa.Computed("coalesce(judge, '')", persisted=True),
            nullable=False,
        ),
        sa.Column("evidence_chunk_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "checked_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name=op.f("ck_content_checks_score_range")),
        sa.CheckConstraint(
            "min_score BETWEEN 0 AND 100", name=op.f("ck_content_checks_min_score_range")
        ),
        sa.CheckConstraint(
            "version_number >= 1", name=op.f("ck_content_checks_version_number_positive")
        ),
        sa.CheckConstraint(
            "brand_kit_version >= 0",
            name=op.f("ck_content_checks_brand_kit_version_not_negative"),
        ),
        sa.CheckConstraint(
            "jsonb_typeof(findings) = 'array'", name=op.f("ck_content_checks_findings_array")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_content_checks_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "content_id"],
            ["content_items.workspace_id", "content_items.id"],
            name="fk_content_checks_content_items",
            ondelete="CASCADE",
        ),
        # Checked at commit: the generation may check a variant before saving it.
        sa.ForeignKeyConstraint(
            ["content_id", "version_number"],
            ["content_versions.content_id", "content_versions.number"],
            name="fk_content_checks_content_versions",
            ondelete="CASCADE",
            deferrable=True,
            initially="DEFERRED",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_checks")),
        sa.UniqueConstraint(
            "content_id",
            "version_number",
            "brand_kit_version",
            "engine_version",
            "judge_key",
            name="uq_content_checks_run",
        ),
    )
    op.create_index(
        "ix_content_checks_version_checked",
        "content_checks",
        ["workspace_id", "content_id", "version_number", "checked_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_content_checks_version_checked", table_name="content_checks")
    op.drop_table("content_checks")
