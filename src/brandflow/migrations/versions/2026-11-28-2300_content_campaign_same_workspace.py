"""Content items reference their campaign together with its workspace.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_unique_constraint("uq_campaigns_workspace_id_id", "campaigns", ["workspace_id", "id"])
    op.drop_constraint(
        "fk_content_items_campaign_id_campaigns", "content_items", type_="foreignkey"
    )
    op.create_foreign_key(
        "fk_content_items_campaigns",
        "content_items",
        "campaigns",
        ["workspace_id", "campaign_id"],
        ["workspace_id", "id"],
        ondelete="CASCADE",
    )


def downgrade() -> None:
    op.drop_constraint("fk_content_items_campaigns", "content_items", type_="foreignkey")
    op.create_foreign_key(
        "fk_content_items_campaign_id_campaigns",
        "content_items",
        "campaigns",
        ["campaign_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.drop_constraint("uq_campaigns_workspace_id_id", "campaigns", type_="unique")
