"""content: content items and their immutable versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNELS = (
    "email",
    "linkedin",
    "x",
    "instagram",
    "search_ad",
    "display_ad",
    "blog_post",
    "landing_page",
)


def upgrade() -> None:
    op.create_table(
        "content_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.Enum(*CHANNELS, name="content_channel"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "current_version >= 1", name=op.f("ck_content_items_current_version_positive")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_content_items_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_content_items_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_content_items_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_items")),
        sa.UniqueConstraint("workspace_id", "id", name="uq_content_items_workspace_id_id"),
    )
    op.create_index(
        "ix_content_items_campaign_channel",
        "content_items",
        ["workspace_id", "campaign_id", "channel", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_content_items_campaign_created",
        "content_items",
        ["workspace_id", "campaign_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "content_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("content_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("author_type", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_content_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["workspace_id", "content_id"],
            ["content_items.workspace_id", "content_items.id"],
            name="fk_content_versions_content_items",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_versions")),
        sa.UniqueConstraint("content_id", "number", name="uq_content_versions_content_id_number"),
    )
    # Versions are immutable: refuse any UPDATE (deletes only cascade from their item).
    op.execute(
        """
        CREATE FUNCTION content_versions_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'content versions are immutable'
                USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER content_versions_no_update BEFORE UPDATE ON content_versions "
        "FOR EACH ROW EXECUTE FUNCTION content_versions_immutable()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS content_versions_no_update ON content_versions")
    op.execute("DROP FUNCTION IF EXISTS content_versions_immutable()")
    op.drop_table("content_versions")
    op.drop_index("ix_content_items_campaign_created", table_name="content_items")
    op.drop_index("ix_content_items_campaign_channel", table_name="content_items")
    op.drop_table("content_items")
    sa.Enum(name="content_channel").drop(op.get_bind(), checkfirst=True)
