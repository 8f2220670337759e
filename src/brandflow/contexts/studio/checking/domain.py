"""Stored checks and the submission gate: pure rules, no I/O.

A stored check is the result of ``checks.check_body`` for one version against one brand-kit
version and engine version (plus the tone judge's findings, if one judged it). Its
``min_score``/``passed`` are those in force when it ran; readers that decide something now
(the API, the gate) apply the workspace's current minimum with ``against``, since a minimum
is a policy, not part of what the check found.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from brandflow.contexts.content.public import ChannelBody
from brandflow.contexts.studio.checks import CheckResult, Finding, FindingKind, Severity
from brandflow.contexts.studio.checks.text_fields import body_fields

# Personal data is not copied out of the version: its findings carry offsets, not the text.
_NO_QUOTE = frozenset({FindingKind.PII})


@dataclass(frozen=True, slots=True)
class StoredCheck:
    id: uuid.UUID
    content_id: uuid.UUID
    version_number: int
    channel: str
    score: int
    passed: bool  # no blocker and score >= min_score
    min_score: int
    checked_rules_count: int
    findings: list[dict[str, Any]]  # ``Finding`` as JSON, plus the flagged ``text``
    brand_kit_version: int
    engine_version: str
    judge: str | None  # the model that judged tone ("offline composer"...), None: no judge
    evidence_chunk_ids: tuple[uuid.UUID, ...]
    created_at: datetime
    checked_at: datetime

    @property
    def blockers(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == Severity.BLOCKER.value)

    def finding_models(self) -> list[Finding]:
        """The findings as the engine's models (``apply_fixes`` takes their fixes)."""
        return [
            Finding.model_validate({k: v for k, v in f.items() if k != "text"})
            for f in self.findings
        ]

    def against(self, min_score: int) -> StoredCheck:
        """The same check judged by another minimum score (the workspace's current one)."""
        if min_score == self.min_score:
            return self
        passed = self.blockers == 0 and self.score >= min_score
        return dataclasses.replace(self, min_score=min_score, passed=passed)


def findings_json(result: CheckResult, body: ChannelBody) -> list[dict[str, Any]]:
    """Each finding as stored: its JSON and ``text``, the flagged slice of its field (null
    when it flags nothing, or when it is personal data)."""
    texts = {f.path: f.text for f in body_fields(body).texts}
    stored: list[dict[str, Any]] = []
    for finding in result.findings:
        data = finding.model_dump(mode="json")
        flagged = None
        field_text = texts.get(finding.field) if finding.field else None
        if (
            field_text is not None
            and finding.start is not None
            and finding.end is not None
            and finding.kind not in _NO_QUOTE
        ):
            flagged = field_text[finding.start : finding.end]
        data["text"] = flagged
        stored.append(data)
    return stored


@dataclass(frozen=True, slots=True)
class GateResult:
    """May this version be submitted for review? ``reasons`` say why not (empty: it may)."""

    passed: bool
    score: int
    min_score: int
    reasons: tuple[str, ...]
    check_id: uuid.UUID


def gate(check: StoredCheck, min_score: int) -> GateResult:
    judged = check.against(min_score)
    reasons: list[str] = []
    if judged.blockers:
        kinds = sorted(
            {
                str(f.get("kind"))
                for f in judged.findings
                if f.get("severity") == Severity.BLOCKER.value
            }
        )
        noun = "finding" if judged.blockers == 1 else "findings"
        reasons.append(
            f"{judged.blockers} blocking {noun} ({', '.join(kinds)}): fix them whatever the score."
        )
    if judged.score < min_score:
        reasons.append(
            f"The compliance score {judged.score} is below the workspace's minimum of {min_score}."
        )
    return GateResult(
        passed=judged.passed,
        score=judged.score,
        min_score=min_score,
        reasons=tuple(reasons),
        check_id=judged.id,
    )
