"""Tone against the brand voice: a hook for an optional model judge, none built in.

Tone is a judgement, not a pattern, so the deterministic engine leaves it out. A
``ToneJudge`` (a model behind the gateway, with the "check" task's routing and metering) gets
each copy field's text and the channel's voice, and returns findings of kind ``tone``.
``judge_tone`` does not trust what comes back: it sets the kind, the field and the rule,
clamps spans into the text, drops fixes that do not fit it, and caps the severity at
*minor* (tone alone never blocks a submission). ``scoring.with_findings`` adds them to the
deterministic result and scores again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from brandflow.contexts.brand_kit.public import BrandKit
from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.content.public import ChannelBody
from brandflow.contexts.studio.checks.findings import (
    SEVERITY_ORDER,
    Finding,
    FindingKind,
    RuleRef,
    Section,
    Severity,
    TextFix,
)
from brandflow.contexts.studio.checks.text_fields import TextField, body_fields

MAX_TONE_SEVERITY = Severity.MINOR
MIN_JUDGED_LENGTH = 20  # shorter texts (paths, hashtags, buttons) carry little tone


@dataclass(frozen=True, slots=True)
class VoiceBrief:
    """What a judge compares against: the kit's voice, with the channel's tone and notes."""

    channel: Channel
    summary: str
    tone: tuple[str, ...]
    audience: str
    do_examples: tuple[str, ...]
    dont_examples: tuple[str, ...]
    channel_notes: str


class ToneJudge(Protocol):
    async def judge(self, text: str, voice: VoiceBrief) -> list[Finding]:
        """Findings about ``text`` (offsets into it); ``field`` and ``rule`` are overwritten."""
        ...


def voice_brief(kit: BrandKit, channel: Channel) -> VoiceBrief:
    override = kit.channel_overrides.get(channel)
    voice = kit.voice
    return VoiceBrief(
        channel=channel,
        summary=voice.summary,
        tone=tuple(kit.tone_for(channel)),
        audience=voice.audience,
        do_examples=tuple(voice.do_examples),
        dont_examples=tuple(voice.dont_examples),
        channel_notes=override.notes if override else "",
    )


async def judge_tone(body: ChannelBody, kit: BrandKit, judge: ToneJudge) -> list[Finding]:
    channel = Channel(body.channel)
    voice = voice_brief(kit, channel)
    if not voice.tone and not voice.summary:
        return []  # no voice to judge against
    override = kit.channel_overrides.get(channel)
    rule = RuleRef(
        section=Section.VOICE,
        name=", ".join(voice.tone) or None,
        channel=channel.value if override is not None and override.tone is not None else None,
    )
    findings: list[Finding] = []
    for text_field in body_fields(body).texts:
        if len(text_field.text.strip()) >= MIN_JUDGED_LENGTH:
            raw = await judge.judge(text_field.text, voice)
            findings.extend(_sanitised(f, text_field, rule) for f in raw)
    return findings


def _sanitised(finding: Finding, text_field: TextField, rule: RuleRef) -> Finding:
    size = len(text_field.text)
    start, end = finding.start, finding.end
    if start is None or end is None or not 0 <= start < end:
        start = end = None
    else:
        start, end = min(start, size), min(end, size)
        if start >= end:
            start = end = None
    fix = finding.fix
    if fix is not None and not (0 <= fix.start <= fix.end <= size):
        fix = None
    if fix is not None:
        fix = TextFix(
            field=text_field.path, start=fix.start, end=fix.end, replacement=fix.replacement
        )
    severity = max(
        finding.severity, MAX_TONE_SEVERITY, key=lambda s: SEVERITY_ORDER[s]
    )  # the milder of the two
    return Finding(
        kind=FindingKind.TONE,
        severity=severity,
        message=finding.message,
        field=text_field.path,
        start=start,
        end=end,
        rule=rule,
        suggestion=finding.suggestion,
        fix=fix,
    )
