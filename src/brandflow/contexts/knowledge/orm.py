"""Tables of the knowledge context: uploaded documents and their indexed chunks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from brandflow.contexts.knowledge import domain as _domain  # noqa: F401 - registers the events
from brandflow.contexts.knowledge.domain import DocumentStatus
from brandflow.contexts.knowledge.sniffing import DocumentType
from brandflow.kernel.db import Base, TimestampMixin, new_id

# The text search configuration of chunks and queries (stemming, stop words). One for all
# workspaces for now; per-workspace languages would add a column and a config per row.
TEXT_SEARCH_CONFIG = "english"
# Dimensions with an HNSW index. A model of another dimension needs its partial index first
# (a migration): without it, vector search would scan every row of the dimension.
INDEXED_DIMENSIONS = (384,)


def _values(enum: type[DocumentType] | type[DocumentStatus]) -> list[str]:
    return [member.value for member in enum]


class KnowledgeDocument(TimestampMixin, Base):
    __tablename__ = "knowledge_documents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    document_type: Mapped[DocumentType] = mapped_column(
        Enum(DocumentType, name="knowledge_document_type", values_callable=_values)
    )
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(400))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), server_default="{}", default=list)
    # Free-form key/value facts about the document (source, owner, valid_until, ...).
    meta: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JSONB, server_default=text("'{}'::jsonb"), default=dict
    )
    status: Mapped[DocumentStatus] = mapped_column(
        Enum(DocumentStatus, name="knowledge_document_status", values_callable=_values),
        default=DocumentStatus.QUEUED,
    )
    failure_reason: Mapped[str | None] = mapped_column(Text)
    # Bumped by every (re-)ingest request: a consumer holding an older number stands down.
    generation: Mapped[int] = mapped_column(Integer, default=1)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    page_count: Mapped[int | None] = mapped_column(Integer)
    embedding_model: Mapped[str | None] = mapped_column(String(200))
    embedding_dimension: Mapped[int | None] = mapped_column(Integer)
    indexed_at: Mapped[datetime | None] = mapped_column()
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    __table_args__ = (
        # The same bytes twice in one workspace is a duplicate; across workspaces it is not.
        UniqueConstraint("workspace_id", "sha256", name="uq_knowledge_documents_workspace_sha256"),
        # Lets chunks reference (workspace_id, id) so a chunk cannot cross tenants.
        UniqueConstraint("workspace_id", "id", name="uq_knowledge_documents_workspace_id_id"),
        Index("ix_knowledge_documents_workspace_created", "workspace_id", "created_at", "id"),
        Index("ix_knowledge_documents_tags", "tags", postgresql_using="gin"),
        CheckConstraint("size_bytes >= 0", name="size_bytes_not_negative"),
        CheckConstraint("generation >= 1", name="generation_positive"),
    )


class KnowledgeChunk(Base):
    """A passage of a document's text, with where it came from and how it is searched."""

    __tablename__ = "knowledge_chunks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column()
    document_id: Mapped[uuid.UUID] = mapped_column()
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # Offsets into the document's parsed text (text[start:end] is this chunk), for citations.
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    token_count: Mapped[int] = mapped_column(Integer)
    # No fixed dimension: each model writes its own, and a partial HNSW index per dimension
    # (below) casts to it. NULL while a new model's vectors are being written.
    embedding: Mapped[Any] = mapped_column(Vector(), nullable=True)
    embedding_model: Mapped[str | None] = mapped_column(String(200))
    embedding_dimension: Mapped[int | None] = mapped_column(Integer)
    search_vector: Mapped[Any] = mapped_column(
        TSVECTOR, Computed(f"to_tsvector('{TEXT_SEARCH_CONFIG}', text)", persisted=True)
    )

    __table_args__ = (
        ForeignKeyConstraint(
            ["workspace_id", "document_id"],
            ["knowledge_documents.workspace_id", "knowledge_documents.id"],
            ondelete="CASCADE",
            name="fk_knowledge_chunks_knowledge_documents",
        ),
        UniqueConstraint("document_id", "ordinal", name="uq_knowledge_chunks_document_ordinal"),
        Index("ix_knowledge_chunks_workspace", "workspace_id", "embedding_model"),
        Index("ix_knowledge_chunks_search_vector", "search_vector", postgresql_using="gin"),
        *(
            Index(
                f"ix_knowledge_chunks_embedding_{dimension}",
                literal_column(f"(embedding::vector({dimension}))").label(f"v{dimension}"),
                postgresql_using="hnsw",
                postgresql_ops={f"v{dimension}": "vector_cosine_ops"},
                postgresql_with={"m": 16, "ef_construction": 64},
                postgresql_where=text(f"embedding_dimension = {dimension}"),
            )
            for dimension in INDEXED_DIMENSIONS
        ),
        CheckConstraint("end_offset >= start_offset", name="offsets_ordered"),
        CheckConstraint(
            "(embedding IS NULL) = (embedding_dimension IS NULL)", name="embedding_dimension_set"
        ),
    )
