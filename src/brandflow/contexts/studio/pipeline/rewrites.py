"""Rewrites of an existing version: shorten, change tone, translate, fix a check's findings.

``fix_findings`` first applies the stored check's fixes that are exact text edits
(``apply_fixes``: a banned term's replacement, a missing disclaimer's insertion), with no
model at all; only the findings those cannot mend go to the model, with the fixed text. When
nothing remains, the fixed text is the new version and no model is called.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pycountry

from brandflow.contexts.content.public import ChannelBody
from brandflow.contexts.studio.checks import Finding, TextFix, apply_fixes
from brandflow.contexts.studio.checks.text_fields import body_fields
from brandflow.contexts.studio.domain import Operation
from brandflow.kernel.llm import ComposerInput, SourceChunk

if TYPE_CHECKING:
    from brandflow.contexts.studio.pipeline.inputs import Inputs

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def source_text(body: ChannelBody) -> str:
    """The body field by field, as the prompt shows the text to rewrite."""
    lines: list[str] = []
    for text_field in body_fields(body).texts:
        lines.append(f"{text_field.path}:")
        lines += [f"  {line}" for line in text_field.text.splitlines() or [""]]
    return "\n".join(lines)


def language_name(tag: str) -> str:
    """``de-DE`` -> ``German (de-DE)``; the tag alone when the language is unknown."""
    primary = tag.split("-", 1)[0].lower()
    found = (
        pycountry.languages.get(alpha_2=primary)
        if len(primary) == 2
        else pycountry.languages.get(alpha_3=primary)
    )
    return f"{found.name} ({tag})" if found is not None else tag


def rewrite_instruction(
    operation: Operation, tone: str | None, language: str | None, *, fixed: int = 0
) -> str:
    if operation is Operation.SHORTEN:
        return (
            "Shorten the text to about half its length. Keep the key message, the call to "
            "action, every required disclaimer and every citation; cut the rest."
        )
    if operation is Operation.CHANGE_TONE:
        return (
            f"Rewrite the text in a {tone} tone. Keep its facts, claims, citations and "
            "disclaimers; change only how it sounds."
        )
    if operation is Operation.TRANSLATE:
        return (
            f"Translate the text into {language_name(language or '')}. Keep its meaning, "
            "names, figures, citations like [K1] and placeholders like [EMAIL_n] as they are; "
            "write what a native marketer would, not a word-for-word rendering."
        )
    done = f" {fixed} fixes were already applied to the text below." if fixed else ""
    return (
        f"Fix the findings listed below and change nothing else.{done} For each, rewrite "
        "only the words it points at, in the brand's voice."
    )


@dataclass(frozen=True, slots=True)
class FixPlan:
    body: ChannelBody  # the version with the exact fixes applied
    applied: tuple[TextFix, ...]
    remaining: tuple[Finding, ...]  # what the model still has to mend


def plan_fixes(body: ChannelBody, findings: Sequence[Finding]) -> FixPlan:
    outcome = apply_fixes(body, [f.fix for f in findings if f.fix is not None])
    applied = set(outcome.applied)
    remaining = tuple(f for f in findings if f.fix is None or f.fix not in applied)
    return FixPlan(outcome.body, outcome.applied, remaining)


def finding_notes(findings: Sequence[Finding], original: ChannelBody) -> list[dict[str, str]]:
    """The findings as the template lists them, quoting the words of the checked version."""
    fields = body_fields(original)
    notes: list[dict[str, str]] = []
    for finding in findings:
        field = fields.get(finding.field) if finding.field else None
        flagged = (
            field.text[finding.start : finding.end]
            if field is not None and finding.start is not None and finding.end is not None
            else ""
        )
        notes.append(
            {
                "field": finding.field or "body",
                "text": flagged,
                "message": finding.message,
                "suggestion": finding.suggestion or "",
            }
        )
    return notes


def composer_for_rewrite(
    inputs: Inputs, chunks: tuple[SourceChunk, ...], variant: int, body: ChannelBody
) -> ComposerInput:
    """The offline composer rewrites from the source's own sentences: half of them to
    shorten, the requested tone's words to change tone. It cannot translate: its copy stays
    in the source's language, and its label says what wrote it."""
    request = inputs.request
    sentences = [
        s.strip()
        for text_field in body_fields(body).texts
        for s in _SENTENCE.split(" ".join(text_field.text.split()))
        if s.strip()
    ]
    if request.operation is Operation.SHORTEN:
        sentences = sentences[: max(1, len(sentences) // 2)]
    tone = (
        (request.tone,)
        if request.operation is Operation.CHANGE_TONE and request.tone
        else tuple(inputs.kit.tone_for(inputs.channel))
    )
    return ComposerInput(
        title=inputs.brief.name,
        audience=inputs.brief.audience or inputs.kit.voice.audience,
        channel=inputs.channel.value,
        tone_words=tone,
        key_messages=tuple(sentences),
        instructions=request.instructions,
        chunks=chunks,
        variant=variant - 1,
    )
