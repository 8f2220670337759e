"""The ``content_checks`` table: the stored compliance checks of content versions.

One row per version, brand-kit version, engine version and judge (none, or the model that
judged tone): re-running the same check replaces its row's result instead of adding rows.
The version may be written after its check in the same transaction (the generation checks
a variant, then saves it), so the foreign key to the version is checked at commit.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.kernel.db import Base, new_id, utcnow

RUN_KEY = "uq_content_checks_run"


class ContentCheck(Base):
    __tablename__ = "content_checks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    content_id: Mapped[uuid.UUID]
    version_number: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(SmallInteger)
    min_score: Mapped[int] = mapped_column(SmallInteger)  # the workspace's, when it ran
    passed: Mapped[bool] = mapped_column(Boolean)
    checked_rules_count: Mapped[int] = mapped_column(Integer)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    brand_kit_version: Mapped[int] = mapped_column(Integer)
    engine_version: Mapped[str] = mapped_column(String(40))
    judge: Mapped[str | None] = mapped_column(String(200))
    # The unique key needs a value where "no judge" is one value (NULLs are all distinct).
    judge_key: Mapped[str] = mapped_column(
        String(200), Computed("coalesce(judge, '')", persisted=True)
    )
    evidence_chunk_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    checked_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)

    __table_args__ = (
        ForeignKeyConstraint(
            ["workspace_id", "content_id"],
            ["content_items.workspace_id", "content_items.id"],
            ondelete="CASCADE",
            name="fk_content_checks_content_items",
        ),
        ForeignKeyConstraint(
            ["content_id", "version_number"],
            ["content_versions.content_id", "content_versions.number"],
            ondelete="CASCADE",
            deferrable=True,
            initially="DEFERRED",
            name="fk_content_checks_content_versions",
        ),
        UniqueConstraint(
            "content_id",
            "version_number",
            "brand_kit_version",
            "engine_version",
            "judge_key",
            name=RUN_KEY,
        ),
        # A version's newest check (of the current kit, or of any).
        Index(
            "ix_content_checks_version_checked",
            "workspace_id",
            "content_id",
            "version_number",
            "checked_at",
        ),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
        CheckConstraint("min_score BETWEEN 0 AND 100", name="min_score_range"),
        CheckConstraint("version_number >= 1", name="version_number_positive"),
        CheckConstraint("brand_kit_version >= 0", name="brand_kit_version_not_negative"),
        CheckConstraint("jsonb_typeof(findings) = 'array'", name="findings_array"),
    )
