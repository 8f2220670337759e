"""studio settings: organization provider keys (encrypted), workspace AI settings and model routing

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 05:00:00
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_PROVIDERS = "('openai', 'anthropic', 'google')"


def _now(name: str) -> sa.Column[datetime]:
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "provider_credentials",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("base_url", sa.String(length=2048), nullable=True),
        sa.Column("secret_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("key_hint", sa.String(length=4), nullable=True),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=False),
        _now("created_at"),
        _now("updated_at"),
        sa.CheckConstraint(
            f"provider IN {KEY_PROVIDERS}", name=op.f("ck_provider_credentials_provider_known")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_provider_credentials_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_credentials")),
        sa.UniqueConstraint(
            "organization_id", "name", name=op.f("uq_provider_credentials_organization_id_name")
        ),
    )

    op.create_table(
        "workspace_ai_settings",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("min_check_score", sa.SmallInteger(), nullable=False),
        sa.Column("tone_judge", sa.Boolean(), nullable=False),
        sa.Column("routing", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("near_limit", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("updated_by_type", sa.String(length=20), nullable=True),
        sa.Column("updated_by_id", sa.String(length=64), nullable=True),
        _now("created_at"),
        _now("updated_at"),
        sa.CheckConstraint(
            "revision >= 0", name=op.f("ck_workspace_ai_settings_revision_not_negative")
        ),
        sa.CheckConstraint(
            "min_check_score BETWEEN 0 AND 100",
            name=op.f("ck_workspace_ai_settings_min_check_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_workspace_ai_settings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_workspace_ai_settings")),
    )


def downgrade() -> None:
    op.drop_table("workspace_ai_settings")
    op.drop_table("provider_credentials")
