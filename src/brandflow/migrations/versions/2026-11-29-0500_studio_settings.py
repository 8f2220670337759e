"""studio settings: organization provider keys (encrypted), workspace AI settings and model routing

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 05:00:00
"""

from collections.abc import Sequence

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # placeholder: filled in by its feature's change


def downgrade() -> None:
    pass
