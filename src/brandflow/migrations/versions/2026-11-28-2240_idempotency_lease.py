"""idempotency lease: a crashed request's key is taken over after its lease lapses

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "idempotency_records",
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "idempotency_records",
        sa.Column("attempt", sa.Integer(), server_default="1", nullable=False),
    )
    # Rows still "running" now were claimed without a lease: give them one that has lapsed
    # a minute after they started, so a retry can take over a request that died.
    op.execute(
        "UPDATE idempotency_records SET locked_until = created_at + interval '60 seconds' "
        "WHERE status_code IS NULL"
    )


def downgrade() -> None:
    op.drop_column("idempotency_records", "attempt")
    op.drop_column("idempotency_records", "locked_until")
