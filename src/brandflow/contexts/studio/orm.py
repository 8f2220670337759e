"""Tables of the studio's generation feature.

- ``prompt_templates``: a workspace's versions of each task's template, immutable, numbered.
- ``generations``: one request to write (generate or rewrite) and how it ended.
- ``generation_events``: its progress, numbered per generation; served as Server-Sent Events.
- ``version_provenance``: how a generated content version came to be (template, model,
  sources, guardrails, check, tokens, cost, latency, trace).

Every row names its workspace, and composite foreign keys keep it inside that workspace.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.contexts.studio import domain as _domain  # noqa: F401 - registers the events
from brandflow.kernel.db import Base, TimestampMixin, new_id, utcnow

Cost = Numeric(20, 12)
OPERATIONS = "('generate', 'shorten', 'change_tone', 'translate', 'fix_findings')"
STATUSES = "('queued', 'running', 'succeeded', 'failed')"
TASKS = "('generate', 'rewrite')"
EVENT_KINDS = "('status', 'progress', 'token', 'variant', 'done', 'error')"


def _content_fk(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["workspace_id", "content_id"],
        ["content_items.workspace_id", "content_items.id"],
        ondelete="CASCADE",
        name=f"fk_{table}_content_items",
    )


class PromptTemplate(Base):
    """One version of a workspace's template for a task; never updated."""

    __tablename__ = "prompt_templates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    task: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by_type: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)

    __table_args__ = (
        # Two saves of the same version: the second fails here (409), never overwrites.
        UniqueConstraint("workspace_id", "task", "version", name="uq_prompt_templates_version"),
        CheckConstraint(f"task IN {TASKS}", name="task_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )


class Generation(TimestampMixin, Base):
    __tablename__ = "generations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[uuid.UUID]
    content_id: Mapped[uuid.UUID]
    operation: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    error_code: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(Text)
    instructions: Mapped[str] = mapped_column(Text, default="")
    variants: Mapped[int] = mapped_column(SmallInteger)
    source_version: Mapped[int | None] = mapped_column(Integer)
    tone: Mapped[str | None] = mapped_column(String(60))
    language: Mapped[str | None] = mapped_column(String(35))
    requested_by_type: Mapped[str] = mapped_column(String(20))
    requested_by_id: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(100))
    trace_id: Mapped[str | None] = mapped_column(String(32))
    # Workers that claimed it: more than one means a crashed worker's job was taken over.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # [{index, version_number, score, passed, check_id}] once it succeeded.
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    calls: Mapped[int] = mapped_column(Integer, default=0)
    cache_hits: Mapped[int] = mapped_column(Integer, default=0)
    input_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    output_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    cached_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    cost_usd: Mapped[Decimal | None] = mapped_column(Cost)  # null: some call had no price
    model_label: Mapped[str | None] = mapped_column(String(250))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("workspace_id", "id", name="uq_generations_workspace_id_id"),
        ForeignKeyConstraint(
            ["workspace_id", "campaign_id"],
            ["campaigns.workspace_id", "campaigns.id"],
            ondelete="CASCADE",
            name="fk_generations_campaigns",
        ),
        _content_fk("generations"),
        # A content item's generations, newest first, keyset paged.
        Index("ix_generations_content_created", "workspace_id", "content_id", "created_at", "id"),
        CheckConstraint(f"operation IN {OPERATIONS}", name="operation_known"),
        CheckConstraint(f"status IN {STATUSES}", name="status_known"),
        CheckConstraint("variants BETWEEN 1 AND 5", name="variants_range"),
        CheckConstraint("source_version IS NULL OR source_version >= 1", name="source_positive"),
    )


class GenerationEvent(Base):
    """One progress event; ``seq`` is its SSE id (per generation, from 1, no gaps)."""

    __tablename__ = "generation_events"

    generation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)

    __table_args__ = (
        ForeignKeyConstraint(
            ["workspace_id", "generation_id"],
            ["generations.workspace_id", "generations.id"],
            ondelete="CASCADE",
            name="fk_generation_events_generations",
        ),
        CheckConstraint(f"kind IN {EVENT_KINDS}", name="kind_known"),
        CheckConstraint("seq >= 1", name="seq_positive"),
    )


class VersionProvenance(Base):
    """How one generated version came to be. Human-written versions have none."""

    __tablename__ = "version_provenance"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID]
    content_id: Mapped[uuid.UUID]
    version_number: Mapped[int] = mapped_column(Integer)
    generation_id: Mapped[uuid.UUID]
    variant_index: Mapped[int] = mapped_column(SmallInteger)
    operation: Mapped[str] = mapped_column(String(20))
    template: Mapped[dict[str, Any]] = mapped_column(JSONB)
    model: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # null: no model was needed
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONB)
    chunks: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    guardrails: Mapped[dict[str, Any]] = mapped_column(JSONB)
    check: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    input_tokens: Mapped[int] = mapped_column(BigInteger)
    output_tokens: Mapped[int] = mapped_column(BigInteger)
    cached_tokens: Mapped[int] = mapped_column(BigInteger)
    cost_usd: Mapped[Decimal | None] = mapped_column(Cost)
    latency_ms: Mapped[int] = mapped_column(Integer)
    cache_hit: Mapped[bool] = mapped_column(Boolean)
    attempts: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    usage_record_id: Mapped[uuid.UUID | None]  # the ledger row (no FK: another context)
    trace_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)

    __table_args__ = (
        UniqueConstraint(
            "content_id", "version_number", name="uq_version_provenance_content_version"
        ),
        _content_fk("version_provenance"),
        ForeignKeyConstraint(
            ["content_id", "version_number"],
            ["content_versions.content_id", "content_versions.number"],
            ondelete="CASCADE",
            name="fk_version_provenance_content_versions",
        ),
        ForeignKeyConstraint(
            ["workspace_id", "generation_id"],
            ["generations.workspace_id", "generations.id"],
            ondelete="CASCADE",
            name="fk_version_provenance_generations",
        ),
        CheckConstraint("latency_ms >= 0", name="latency_not_negative"),
    )
