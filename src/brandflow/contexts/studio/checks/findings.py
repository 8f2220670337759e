"""What a compliance check reports: findings with a span, the rule they rest on, and a fix.

Pydantic models, frozen: a result is stored with the version it checked and returned by the
API as is. Offsets are code points into one text field of the body (``field``), the same
units as the body's length limits, so ``field_text[start:end]`` is the flagged text.
"""

from __future__ import annotations

import hashlib
import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

# Recorded with each result: findings of different engine versions are not comparable.
ENGINE_VERSION = "checks/1"


class FindingKind(StrEnum):
    BANNED_TERM = "banned_term"
    MISSING_DISCLAIMER = "missing_disclaimer"
    COMPETITOR_MENTION = "competitor_mention"
    UNAPPROVED_CLAIM = "unapproved_claim"
    CHANNEL_LIMIT = "channel_limit"
    PII = "pii"
    TONE = "tone"


class Severity(StrEnum):
    BLOCKER = "blocker"  # cannot ship as is, whatever the score
    MAJOR = "major"
    MINOR = "minor"
    INFO = "info"


SEVERITY_ORDER = {s: rank for rank, s in enumerate(Severity)}


class Section(StrEnum):
    """Where the rule behind a finding lives."""

    BANNED_TERMS = "rules.banned_terms"
    OVERRIDE_BANNED_TERMS = "channel_overrides.extra_banned_terms"
    DISCLAIMERS = "rules.disclaimers"
    APPROVED_CLAIMS = "rules.approved_claims"
    COMPETITORS = "rules.competitors"
    KNOWLEDGE = "knowledge"  # a knowledge chunk (chunk_id)
    CHANNEL_LIMITS = "channel.limits"  # the channel body's schema
    PII = "guardrails.pii"
    VOICE = "voice.tone"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleRef(_Frozen):
    """The rule a finding rests on, e.g. ``rules.banned_terms`` #3 "injury-proof"."""

    section: Section
    index: int | None = Field(default=None, description="Position in the kit's list")
    name: str | None = Field(
        default=None,
        description="The rule's own words: the banned term, the disclaimer key, the "
        "competitor, the limit, the PII type",
    )
    channel: str | None = Field(default=None, description="For a channel override")
    chunk_id: uuid.UUID | None = Field(default=None, description="The knowledge chunk")


class TextFix(_Frozen):
    """A machine-applicable edit: replace ``field_text[start:end]`` by ``replacement``.

    ``start == end`` inserts. Offsets refer to the checked version only.
    """

    field: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    replacement: str


class Finding(_Frozen):
    kind: FindingKind
    severity: Severity
    message: str = Field(description="For a person: what is wrong and why")
    field: str | None = Field(
        default=None,
        description="Path of the text field in the body (`text`, `headlines[2]`, "
        "`sections[0].body_markdown`); null when the finding is about the whole body",
    )
    start: int | None = Field(default=None, ge=0, description="null for a missing item")
    end: int | None = Field(default=None, ge=0)
    rule: RuleRef
    suggestion: str | None = Field(default=None, description="What to do, for a person")
    fix: TextFix | None = Field(default=None, description="The suggestion as a text edit")

    @model_validator(mode="before")
    @classmethod
    def _derived_id(cls, data: Any) -> Any:
        """A stored finding carries its id; it is derived again, never taken from input."""
        if isinstance(data, dict) and "id" in data:
            data = {k: v for k, v in data.items() if k != "id"}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        """Stable within a version: the UI and "rewrite: fix findings" refer to it."""
        rule = self.rule
        key = "|".join(
            str(part)
            for part in (
                self.kind.value,
                self.field,
                self.start,
                self.end,
                rule.section.value,
                rule.index,
                rule.name,
                rule.channel,
                rule.chunk_id,
            )
        )
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def rule_key(self) -> tuple[object, ...]:
        """Findings with the same key break the same rule (repeats weigh less in the score)."""
        r = self.rule
        return (self.kind, r.section, r.index, r.name, r.channel, r.chunk_id)


class CheckResult(_Frozen):
    engine: str = ENGINE_VERSION
    channel: str
    score: int = Field(ge=0, le=100)
    min_score: int = Field(ge=0, le=100, description="The workspace's minimum to submit")
    passed: bool = Field(description="score >= min_score and no blocker")
    checked_rules_count: int = Field(ge=0)
    findings: list[Finding]

    def counts(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts
