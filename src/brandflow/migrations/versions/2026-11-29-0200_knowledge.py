"""Knowledge documents and their chunks: full-text (GIN) and vector (HNSW) search.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT_TYPE = postgresql.ENUM(
    "pdf", "docx", "html", "markdown", "text", name="knowledge_document_type", create_type=False
)
DOCUMENT_STATUS = postgresql.ENUM(
    "queued", "parsing", "indexed", "failed", name="knowledge_document_status", create_type=False
)


def upgrade() -> None:
    DOCUMENT_TYPE.create(op.get_bind(), checkfirst=True)
    DOCUMENT_STATUS.create(op.get_bind(), checkfirst=True)
    op.create_table(
        "knowledge_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("document_type", DOCUMENT_TYPE, nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(400), nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.String(50)), server_default="{}", nullable=False),
        sa.Column(
            "metadata",
            postgresql.JSONB(),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("status", DOCUMENT_STATUS, nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("embedding_model", sa.String(200), nullable=True),
        sa.Column("embedding_dimension", sa.Integer(), nullable=True),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "size_bytes >= 0", name=op.f("ck_knowledge_documents_size_bytes_not_negative")
        ),
        sa.CheckConstraint(
            "generation >= 1", name=op.f("ck_knowledge_documents_generation_positive")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_knowledge_documents_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["users.id"],
            name=op.f("fk_knowledge_documents_uploaded_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_documents")),
        sa.UniqueConstraint(
            "workspace_id", "sha256", name="uq_knowledge_documents_workspace_sha256"
        ),
        sa.UniqueConstraint("workspace_id", "id", name="uq_knowledge_documents_workspace_id_id"),
    )
    op.create_index(
        "ix_knowledge_documents_workspace_created",
        "knowledge_documents",
        ["workspace_id", "created_at", "id"],
    )
    op.create_index(
        "ix_knowledge_documents_tags", "knowledge_documents", ["tags"], postgresql_using="gin"
    )
    op.create_table(
        "knowledge_chunks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("token_count", sa.Integer(), nullable=False),
        sa.Column("embedding", Vector(), nullable=True),
        sa.Column("embedding_model", sa.String(200), nullable=True),
        sa.Column("embedding_dimension", sa.Integer(), nullable=True),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('english', text)", persisted=True),
            nullable=False,
        ),
        sa.CheckConstraint(
            "end_offset >= start_offset", name=op.f("ck_knowledge_chunks_offsets_ordered")
        ),
        sa.CheckConstraint(
            "(embedding IS NULL) = (embedding_dimension IS NULL)",
            name=op.f("ck_knowledge_chunks_embedding_dimension_set"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "document_id"],
            ["knowledge_documents.workspace_id", "knowledge_documents.id"],
            name="fk_knowledge_chunks_knowledge_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_chunks")),
        sa.UniqueConstraint("document_id", "ordinal", name="uq_knowledge_chunks_document_ordinal"),
    )
    # Keep what every search reads inside the row: a chunk's tsvector and vector together
    # pass the 2 kB TOAST threshold, and out-of-line values cost a fetch per ranked row
    # (measured 2-5x on the lexical side). MAIN, not PLAIN: a 3,072-dimension vector (12 kB)
    # must still fit, out of line as a last resort. The text itself may go out of line.
    op.execute("ALTER TABLE knowledge_chunks ALTER COLUMN search_vector SET STORAGE MAIN")
    op.execute("ALTER TABLE knowledge_chunks ALTER COLUMN embedding SET STORAGE MAIN")
    op.create_index(
        "ix_knowledge_chunks_workspace", "knowledge_chunks", ["workspace_id", "embedding_model"]
    )
    op.create_index(
        "ix_knowledge_chunks_search_vector",
        "knowledge_chunks",
        ["search_vector"],
        postgresql_using="gin",
    )
    op.execute(
        "CREATE INDEX ix_knowledge_chunks_embedding_384 ON knowledge_chunks"
        " USING hnsw ((embedding::vector(384)) vector_cosine_ops)"
        " WITH (m = 16, ef_construction = 64) WHERE embedding_dimension = 384"
    )


def downgrade() -> None:
    op.drop_table("knowledge_chunks")
    op.drop_table("knowledge_documents")
    DOCUMENT_STATUS.drop(op.get_bind(), checkfirst=True)
    DOCUMENT_TYPE.drop(op.get_bind(), checkfirst=True)
