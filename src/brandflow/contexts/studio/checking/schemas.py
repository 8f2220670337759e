"""API models of stored checks."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from brandflow.contexts.studio.checking.domain import StoredCheck
from brandflow.contexts.studio.checks import Finding


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tone_judge: bool | None = Field(
        default=None,
        description="Also have a model judge the tone against the brand voice (metered, "
        "task `check`); omitted: the workspace's AI setting",
    )


class CheckFinding(Finding):
    """A finding of the check, with the text it flags."""

    text: str | None = Field(
        default=None,
        description="The flagged text, `field_text[start:end]`; null when nothing is flagged "
        "(something missing) and for personal data, which is never copied out of the version",
    )
    chunk_id: uuid.UUID | None = Field(
        default=None, description="The knowledge chunk the finding rests on (= `rule.chunk_id`)"
    )


class CheckRead(BaseModel):
    id: uuid.UUID
    content_id: uuid.UUID
    version_number: int
    channel: str
    score: int = Field(ge=0, le=100, description="100 minus the findings' weights")
    passed: bool = Field(
        description="No blocker and `score >= min_score`: the version may be submitted for review"
    )
    min_score: int = Field(ge=0, le=100, description="The workspace's current minimum score")
    checked_rules_count: int
    findings: list[CheckFinding] = Field(
        description="Most severe first, then by field and position"
    )
    brand_kit_version: int = Field(description="The brand-kit version checked against (0: none)")
    engine_version: str = Field(description="Findings of different engines are not comparable")
    judge: str | None = Field(
        description="The model that judged tone (`offline composer` for the offline one); "
        "null when no model judged"
    )
    evidence_chunk_ids: list[uuid.UUID] = Field(
        description="Knowledge chunks the claims were compared with"
    )
    created_at: datetime
    checked_at: datetime = Field(description="When this result was computed (last re-run)")


def to_read(check: StoredCheck) -> CheckRead:
    findings = [
        CheckFinding.model_validate(
            {
                **{k: v for k, v in f.items() if k != "id"},
                "chunk_id": (f.get("rule") or {}).get("chunk_id"),
            }
        )
        for f in check.findings
    ]
    return CheckRead(
        id=check.id,
        content_id=check.content_id,
        version_number=check.version_number,
        channel=check.channel,
        score=check.score,
        passed=check.passed,
        min_score=check.min_score,
        checked_rules_count=check.checked_rules_count,
        findings=findings,
        brand_kit_version=check.brand_kit_version,
        engine_version=check.engine_version,
        judge=check.judge,
        evidence_chunk_ids=list(check.evidence_chunk_ids),
        created_at=check.created_at,
        checked_at=check.checked_at,
    )
