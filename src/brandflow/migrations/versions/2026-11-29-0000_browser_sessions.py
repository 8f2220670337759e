"""Refresh tokens say what they serve: API token rotation or a browser session cookie.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "refresh_tokens",
        sa.Column("purpose", sa.String(16), nullable=False, server_default="refresh"),
    )
    op.create_check_constraint(
        op.f("ck_refresh_tokens_purpose"), "refresh_tokens", "purpose IN ('refresh', 'browser')"
    )


def downgrade() -> None:
    op.drop_constraint("ck_refresh_tokens_purpose", "refresh_tokens", type_="check")
    op.drop_column("refresh_tokens", "purpose")
