"""API models of the studio's generations, prompt templates and provenance."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from brandflow.contexts.studio.domain import (
    LANGUAGE_TAG,
    MAX_INSTRUCTIONS,
    MAX_VARIANTS,
    GenerationStatus,
    Operation,
    PromptTask,
)
from brandflow.contexts.studio.prompts.engine import MAX_TEMPLATE_CHARS

Instructions = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_INSTRUCTIONS)]
Tone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Language = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=LANGUAGE_TAG.pattern, max_length=35)
]


# --- generations -----------------------------------------------------------------------


class GenerationCreate(BaseModel):
    """What to write. Rewrites start from `source_version` (default: the current one)."""

    model_config = ConfigDict(extra="forbid")

    operation: Operation = Operation.GENERATE
    instructions: Instructions = Field(
        default="",
        description=f"What you want, in your words (at most {MAX_INSTRUCTIONS} characters). "
        "A payment card number is refused (422) and never stored.",
    )
    variants: int = Field(default=1, ge=1, le=MAX_VARIANTS, description="Drafts to write")
    source_version: int | None = Field(
        default=None, ge=1, le=2_147_483_647, description="Rewrites: the version to rewrite"
    )
    tone: Tone | None = Field(default=None, description="change_tone: the tone to write in")
    language: Language | None = Field(
        default=None,
        description="translate: the target language as a BCP 47 tag",
        examples=["de-DE"],
    )

    @model_validator(mode="after")
    def _fits_the_operation(self) -> GenerationCreate:
        if self.operation is Operation.CHANGE_TONE and self.tone is None:
            raise ValueError("change_tone needs `tone`")
        if self.operation is Operation.TRANSLATE and self.language is None:
            raise ValueError("translate needs `language`")
        if self.tone is not None and self.operation is not Operation.CHANGE_TONE:
            raise ValueError("`tone` applies to change_tone only")
        if self.language is not None and self.operation is not Operation.TRANSLATE:
            raise ValueError("`language` applies to translate only")
        if self.source_version is not None and not self.operation.is_rewrite:
            raise ValueError("`source_version` applies to rewrites only")
        return self


class Actor(BaseModel):
    type: str = Field(examples=["user"])
    id: str


class VariantRead(BaseModel):
    index: int = Field(description="From 1")
    version_number: int = Field(description="The draft version it was saved as")
    score: int | None = Field(description="Its compliance check score, 0-100")
    passed: bool | None = Field(description="Whether the check passed the workspace's minimum")
    check_id: uuid.UUID | None


class UsageRead(BaseModel):
    calls: int
    cache_hits: int
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    cost: Decimal | None = Field(description="USD, exact; null when a call had no known price")
    currency: str = "USD"


class GenerationRead(BaseModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    campaign_id: uuid.UUID
    content_id: uuid.UUID
    operation: Operation
    status: GenerationStatus
    error_code: str | None = Field(description="The problem type when it failed")
    reason: str | None = Field(description="Why it failed, for the person who asked")
    instructions: str
    variants_requested: int
    source_version: int | None
    tone: str | None
    language: str | None
    variants: list[VariantRead] = Field(description="The drafts saved, once it succeeded")
    usage: UsageRead | None = Field(
        description="Tokens and cost so far; null for roles that see no costs (usage:read)"
    )
    model_label: str | None = Field(description='The model that wrote, e.g. "offline composer"')
    requested_by: Actor
    attempts: int = Field(description="Workers that ran it (more than 1: a crash was recovered)")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    events_url: str = Field(description="Its progress as Server-Sent Events")


# --- provenance ------------------------------------------------------------------------


class TemplateRef(BaseModel):
    id: uuid.UUID | None = Field(description="null for a built-in template")
    task: PromptTask
    version: int = Field(description="0 for the built-in template")
    builtin: bool
    sha256: str = Field(description="Of the template text that was rendered")


class ModelRef(BaseModel):
    provider: str
    model: str
    label: str = Field(description='"offline composer" for the offline composer')
    offline: bool
    route_note: str | None = Field(description="Why a cheaper route answered, if one did")


class ChunkRef(BaseModel):
    citation_id: str = Field(examples=["K1"], description="How the prompt and the copy cite it")
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    title: str
    score: float = Field(description="Fused retrieval score (reciprocal rank fusion)")
    lexical_rank: int | None
    vector_rank: int | None
    vector_similarity: float | None
    page: int | None
    start_offset: int
    end_offset: int


class InjectionFlagRead(BaseModel):
    citation_id: str
    kind: str
    reason: str
    text: str


class GuardrailsRead(BaseModel):
    pii_redacted: dict[str, int] = Field(description="Placeholders sent, by type")
    placeholders_missing: list[str] = Field(description="Sent, but absent from the answer")
    placeholders_unknown: list[str] = Field(description="In the answer, never sent")
    injection_flags: list[InjectionFlagRead]


class CheckRef(BaseModel):
    check_id: uuid.UUID
    score: int
    passed: bool
    min_score: int


class AttemptRead(BaseModel):
    provider: str
    model: str
    number: int
    outcome: str
    latency_ms: float
    error_type: str | None = None
    status_code: int | None = None


class ProvenanceRead(BaseModel):
    content_id: uuid.UUID
    version_number: int
    generation_id: uuid.UUID
    variant_index: int
    operation: Operation
    template: TemplateRef
    model: ModelRef | None = Field(description="null when no model was needed (fixes only)")
    parameters: dict[str, Any] = Field(description="What shaped the call and the request")
    chunks: list[ChunkRef]
    guardrails: GuardrailsRead
    check: CheckRef | None
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    cache_hit: bool
    cost: Decimal | None = Field(description="USD; null for roles without usage:read")
    latency_ms: int
    attempts: list[AttemptRead]
    usage_record_id: uuid.UUID | None
    trace_id: str | None
    created_at: datetime


# --- prompt templates ------------------------------------------------------------------


class TemplateWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: str = Field(
        min_length=1,
        max_length=MAX_TEMPLATE_CHARS,
        description="Jinja2 text; only the task's variables may be used",
    )
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = Field(
        default="", description="What changed, for the history"
    )


class TemplateRead(BaseModel):
    id: uuid.UUID | None = Field(description="null for the built-in template")
    task: PromptTask
    version: int = Field(description="From 1; 0 is the built-in template")
    builtin: bool
    current: bool = Field(description="The version generations use now")
    template: str
    sha256: str
    note: str
    variables: dict[str, str] = Field(description="What the task's templates may use")
    required: list[str] = Field(description="Variables every template of the task must use")
    created_by: Actor | None
    created_at: datetime | None


class TemplateList(BaseModel):
    items: list[TemplateRead] = Field(description="The current template of each task")
