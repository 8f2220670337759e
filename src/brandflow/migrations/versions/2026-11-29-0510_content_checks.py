"""content checks: the compliance check of every content version

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 05:00:00
"""

from collections.abc import Sequence

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # placeholder: filled in by its feature's change


def downgrade() -> None:
    pass
