"""The model tone judge: a ``ToneJudge`` that asks the workspace's "check" model, metered.

Per text field: PII is replaced by placeholders before anything is sent (a field holding a
payment card number is not sent at all: the check already blocks it); the call is reserved
against the budgets (402 before anything is spent), made through the gateway with the
workspace's "check" chain, then settled in the usage ledger (or released if it failed):
``studio.metering.metered_call``, which also serves a repeated question from the exact-
response cache.

The model answers a ``ToneVerdict``: ``on_voice`` or ``off_voice`` first, then issues, which
count only when it says ``off_voice`` (a model asked for issues tends to find some; the
verdict is its considered answer). The offline composer fills structured output from the
schema, so it answers ``on_voice`` with no findings, deterministically, labelled "offline
composer". Spans refer to what the model read: in a field whose PII was replaced they would
not fit the original, so its findings keep their message and lose their span and fix.
"""

from __future__ import annotations

import asyncio
import json
from typing import Literal

from pydantic import BaseModel, Field

from brandflow.contexts.finops.public import CheaperRoute
from brandflow.contexts.studio.checks import (
    Finding,
    FindingKind,
    RuleRef,
    Section,
    Severity,
    TextFix,
    VoiceBrief,
)
from brandflow.contexts.studio.guardrails import PaymentCardRefused, redact
from brandflow.contexts.studio.metering import Attribution, Meter, ModelCall, metered_call
from brandflow.kernel.errors import ServiceUnavailable
from brandflow.kernel.llm import ModelChain, ModelGatewayError, ModelRoute

MAX_OUTPUT_TOKENS = 800
SYSTEM = (
    "You review marketing copy for a brand. Judge only whether the TEXT sounds like the brand "
    "voice described; ignore facts, legal rules and spelling. Answer `off_voice` only when a "
    "reader would notice the difference. For each issue give the character offsets (start, "
    "end) of the off-voice words in TEXT, a short message, and a replacement in the voice."
)


class ToneIssue(BaseModel):
    start: int = Field(ge=0, description="Offset of the first off-voice character in TEXT")
    end: int = Field(ge=0, description="Offset just past the last one")
    severity: Literal["minor", "info"]
    message: str = Field(max_length=500)
    suggestion: str | None = Field(default=None, max_length=500)
    replacement: str | None = Field(
        default=None, max_length=2000, description="TEXT[start:end] rewritten in the voice"
    )


class ToneVerdict(BaseModel):
    verdict: Literal["on_voice", "off_voice"]
    issues: list[ToneIssue] = Field(default_factory=list, max_length=10)


class ToneJudgeUnavailable(ServiceUnavailable):
    code, title = "tone-judge-unavailable", "Tone judge unavailable"


def prompt_for(text: str, voice: VoiceBrief) -> str:
    """The request: the voice, then the text as quoted data (never as instructions)."""
    brief = {
        "channel": voice.channel.value,
        "voice_summary": voice.summary,
        "tone": list(voice.tone),
        "audience": voice.audience,
        "do": list(voice.do_examples),
        "dont": list(voice.dont_examples),
        "channel_notes": voice.channel_notes,
    }
    return (
        "BRAND VOICE (JSON):\n"
        + json.dumps(brief, ensure_ascii=False)
        + "\n\nTEXT (JSON string; offsets count its characters):\n"
        + json.dumps(text, ensure_ascii=False)
    )


class MeteredToneJudge:
    """One judge per check: it keeps the labels of the models that answered."""

    def __init__(
        self,
        meter: Meter,
        who: Attribution,
        chain: ModelChain,
        cheaper: CheaperRoute[ModelRoute] | None = None,
    ) -> None:
        self._meter = meter
        self._who = who
        self._chain = chain
        self._cheaper = cheaper
        self._labels: list[str] = []

    @property
    def label(self) -> str | None:
        return ", ".join(dict.fromkeys(self._labels)) or None

    async def judge(self, text: str, voice: VoiceBrief) -> list[Finding]:
        try:
            redaction = await asyncio.to_thread(redact, text)  # CPU-bound PII scan
        except PaymentCardRefused:
            return []  # never sent anywhere; the check's card finding blocks the version
        call = ModelCall(
            prompt=prompt_for(redaction.text, voice),
            system=SYSTEM,
            output_type=ToneVerdict,
            temperature=0,
            max_tokens=MAX_OUTPUT_TOKENS,
        )
        try:
            result = await metered_call(
                self._meter, self._who, call, self._chain, cheaper=self._cheaper
            )
        except ModelGatewayError as exc:
            raise ToneJudgeUnavailable(
                f"The tone judge's model did not answer: {exc}. "
                "Run the check without `tone_judge`, or later."
            ) from exc
        self._labels.append(result.label)
        verdict = result.output
        if not isinstance(verdict, ToneVerdict) or verdict.verdict != "off_voice":
            return []
        return [_finding(issue, spans=not redaction.findings) for issue in verdict.issues]


def _finding(issue: ToneIssue, *, spans: bool) -> Finding:
    """As the model said it; ``judge_tone`` then sets field and rule and clamps spans."""
    start, end = (issue.start, issue.end) if spans else (None, None)
    fix = None
    if spans and issue.replacement is not None and issue.start <= issue.end:
        fix = TextFix(field="", start=issue.start, end=issue.end, replacement=issue.replacement)
    return Finding(
        kind=FindingKind.TONE,
        severity=Severity(issue.severity),
        message=issue.message,
        start=start,
        end=end,
        rule=RuleRef(section=Section.VOICE),
        suggestion=issue.suggestion,
        fix=fix,
    )
