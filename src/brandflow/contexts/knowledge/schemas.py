"""API models of the knowledge context: documents and search."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    model_validator,
)

from brandflow.contexts.knowledge.domain import DocumentStatus
from brandflow.contexts.knowledge.sniffing import DocumentType

MAX_TAGS = 20
MAX_METADATA_KEYS = 50
MAX_METADATA_JSON_CHARS = 10_000

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Tag = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, min_length=1, max_length=50, pattern=r"^[^\s,]+$"
    ),
]


def _unique_tags(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(tags))


def _bounded_metadata(value: dict[str, JsonValue]) -> dict[str, JsonValue]:
    import json

    if len(value) > MAX_METADATA_KEYS:
        raise ValueError(f"at most {MAX_METADATA_KEYS} keys")
    if len(json.dumps(value, ensure_ascii=False)) > MAX_METADATA_JSON_CHARS:
        raise ValueError(f"at most {MAX_METADATA_JSON_CHARS} characters as JSON")
    return value


Tags = Annotated[list[Tag], Field(max_length=MAX_TAGS), AfterValidator(_unique_tags)]
Metadata = Annotated[dict[str, JsonValue], AfterValidator(_bounded_metadata)]


class DocumentRead(BaseModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    title: str
    filename: str = Field(description="The name the file was uploaded under")
    document_type: DocumentType = Field(description="Sniffed from the bytes, not the name")
    media_type: str
    size_bytes: int
    sha256: str = Field(description="Hex SHA-256 of the bytes; a second upload is refused")
    tags: list[str]
    metadata: dict[str, JsonValue] = Field(validation_alias="meta")
    status: DocumentStatus
    failure_reason: str | None = Field(description="Why ingestion failed, for the uploader")
    chunk_count: int
    page_count: int | None = Field(description="PDF pages with text; null for other types")
    embedding_model: str | None
    embedding_dimension: int | None
    uploaded_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    indexed_at: datetime | None


class DocumentUpdate(BaseModel):
    """Only the fields sent change; `tags` and `metadata` are replaced whole."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    tags: Tags | None = None
    metadata: Metadata | None = None


class ChunkRead(BaseModel):
    id: uuid.UUID
    document_id: uuid.UUID
    ordinal: int
    text: str
    start_offset: int
    end_offset: int
    page: int | None
    token_count: int


# --- search ---------------------------------------------------------------------------


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    LEXICAL = "lexical"
    VECTOR = "vector"


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tags: list[Tag] | None = Field(
        default=None,
        max_length=MAX_TAGS,
        description="Documents carrying every one of these tags (an empty list: any document)",
    )
    document_types: list[DocumentType] | None = Field(
        default=None, max_length=5, description="Documents of one of these types"
    )
    document_ids: list[uuid.UUID] | None = Field(
        default=None, max_length=100, description="Only these documents of the workspace"
    )
    uploaded_after: AwareDatetime | None = Field(
        default=None, description="Documents uploaded at or after this time"
    )
    uploaded_before: AwareDatetime | None = Field(
        default=None, description="Documents uploaded before this time"
    )

    @model_validator(mode="after")
    def _ordered(self) -> SearchFilters:
        if (
            self.uploaded_after
            and self.uploaded_before
            and (self.uploaded_after >= self.uploaded_before)
        ):
            raise ValueError("uploaded_after must be before uploaded_before")
        return self


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    mode: SearchMode = Field(
        default=SearchMode.HYBRID,
        description="hybrid fuses full-text and vector ranks (RRF); the others use one side",
    )
    limit: int = Field(default=10, ge=1, le=200)
    filters: SearchFilters = Field(default_factory=SearchFilters)


class Highlight(BaseModel):
    start: int = Field(
        description="Offset into `snippet` of a matched word, in Unicode code points "
        "(JavaScript: index `Array.from(snippet)`, not the UTF-16 string)"
    )
    end: int = Field(description="Offset just past the matched word, in code points")


class SearchScores(BaseModel):
    fused: float = Field(description="Reciprocal rank fusion score (higher is better)")
    lexical_rank: int | None = Field(description="1-based rank in full-text search, if matched")
    lexical_score: float | None = Field(
        description="PostgreSQL ts_rank of the chunk (normalized by length), if matched"
    )
    vector_rank: int | None = Field(description="1-based rank in vector search, if retrieved")
    vector_similarity: float | None = Field(description="Cosine similarity to the query")


class CitedDocument(BaseModel):
    id: uuid.UUID
    title: str
    filename: str
    document_type: DocumentType
    tags: list[str]


class SearchResult(BaseModel):
    chunk_id: uuid.UUID
    document: CitedDocument
    ordinal: int = Field(description="Position of the chunk in its document, from 0")
    start_offset: int = Field(description="Where the chunk starts in the document's text")
    end_offset: int
    page: int | None = Field(description="PDF page the chunk starts on, from 1")
    text: str = Field(description="The whole chunk, for grounding a model")
    snippet: str = Field(
        description="About 30 words around the matched terms (the chunk's beginning if none "
        "match), plain text with an ellipsis where the chunk goes on; never HTML"
    )
    highlights: list[Highlight] = Field(description="Matched terms within `snippet`")
    scores: SearchScores


class SearchResponse(BaseModel):
    query: str
    mode: SearchMode
    embedding_model: str | None = Field(description="Model of the query vector, if one was used")
    results: list[SearchResult]
