"""Generations: what the studio is asked to write, how a job ends, and its events. Pure: no I/O.

A generation is one request to write copy for a content item: ``generate`` new variants from
the brief, or rewrite an existing version (``shorten``, ``change_tone``, ``translate``,
``fix_findings``). It is ``queued`` by the API, ``running`` once a worker claims it, and ends
``succeeded`` (every variant saved as a draft version, with its provenance) or ``failed``
(nothing saved, a reason for the person who asked). Progress is a numbered stream of events
(``generation_events``) that the API serves as Server-Sent Events.
"""

from __future__ import annotations

import re
import uuid
from enum import StrEnum
from typing import ClassVar

from brandflow.kernel.errors import AppError
from brandflow.kernel.events import DomainEvent

MAX_VARIANTS = 5
MAX_INSTRUCTIONS = 4000
# BCP 47 as people write it: a 2-3 letter language, then subtags (de, pt-BR, zh-Hant-TW).
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")


class Operation(StrEnum):
    GENERATE = "generate"
    SHORTEN = "shorten"
    CHANGE_TONE = "change_tone"
    TRANSLATE = "translate"
    FIX_FINDINGS = "fix_findings"

    @property
    def task(self) -> PromptTask:
        """Which prompt template (and model routing) the operation uses."""
        return PromptTask.GENERATE if self is Operation.GENERATE else PromptTask.REWRITE

    @property
    def is_rewrite(self) -> bool:
        return self is not Operation.GENERATE


class PromptTask(StrEnum):
    GENERATE = "generate"
    REWRITE = "rewrite"


class GenerationStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (GenerationStatus.SUCCEEDED, GenerationStatus.FAILED)


class Step(StrEnum):
    """The ``progress`` events' steps, in pipeline order."""

    RETRIEVING = "retrieving"
    PROMPTING = "prompting"
    GENERATING = "generating"
    CHECKING = "checking"
    SAVING = "saving"


class EventKind(StrEnum):
    """The SSE event names; ``done`` and ``error`` end a stream."""

    STATUS = "status"
    PROGRESS = "progress"
    TOKEN = "token"  # noqa: S105 - an event name, not a secret
    VARIANT = "variant"
    DONE = "done"
    ERROR = "error"

    @property
    def final(self) -> bool:
        return self in (EventKind.DONE, EventKind.ERROR)


class GenerationFailure(AppError):
    """Why a generation ended ``failed``: ``code`` names the problem, ``detail`` explains it."""

    status, code, title = 422, "generation-failed", "The generation failed"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.failure_code = code or self.code


class ProvenanceNotFound(AppError):
    status, code, title = 404, "provenance-not-found", "No provenance for this version"


# --- events ---------------------------------------------------------------------------


class GenerationRequested(DomainEvent):
    """Someone asked the studio to write: the worker's job runs on this event."""

    name: ClassVar[str] = "studio.generation_requested"
    subject_type: ClassVar[str] = "generation"
    campaign_id: uuid.UUID
    content_id: uuid.UUID
    operation: Operation
    variants: int


class GenerationSucceeded(DomainEvent):
    """Every variant of a generation is saved as a draft version, with its provenance."""

    name: ClassVar[str] = "studio.generation_succeeded"
    subject_type: ClassVar[str] = "generation"
    campaign_id: uuid.UUID
    content_id: uuid.UUID
    operation: Operation
    version_numbers: list[int]


class GenerationFailed(DomainEvent):
    """A generation ended without saving anything; ``reason`` says why."""

    name: ClassVar[str] = "studio.generation_failed"
    subject_type: ClassVar[str] = "generation"
    campaign_id: uuid.UUID
    content_id: uuid.UUID
    operation: Operation
    error_code: str
    reason: str


class PromptTemplateChanged(DomainEvent):
    """A workspace saved a new version of a prompt template."""

    name: ClassVar[str] = "studio.prompt_template_changed"
    subject_type: ClassVar[str] = "prompt_template"
    task: PromptTask
    template_version: int
