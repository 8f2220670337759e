"""From inputs to what is sent: quoted sources, the template's variables, the rendered and
redacted prompt, and the offline composer's input.

Order (docs/tad/ai-guardrails.md): the retrieved chunks are screened and quoted
(``quote_sources``: fenced, labelled, flagged when instruction-like); the template renders
with the plain values; then the whole rendered prompt is redacted, so no PII leaves whatever
a template puts where. A payment card number anywhere refuses the generation outright. The
composer's input is redacted with the same mapping, so every model, offline included, sees
the same placeholders and one ``restore`` brings the originals back.

The quoting boundary is drawn from an HMAC of the sources under the deployment's secret:
unguessable to whoever wrote a document, yet the same for the same sources, so the same
request is the same cache key.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from brandflow.contexts.content.public import ChannelBody
from brandflow.contexts.studio.guardrails import (
    QuotedSource,
    Redaction,
    quote_sources,
    redact,
)
from brandflow.contexts.studio.pipeline.inputs import Inputs
from brandflow.contexts.studio.pipeline.output import CHANNEL_NAMES, output_format
from brandflow.contexts.studio.pipeline.retrieval import Retrieved
from brandflow.contexts.studio.pipeline.rewrites import (
    composer_for_rewrite,
    language_name,
    rewrite_instruction,
    source_text,
)
from brandflow.contexts.studio.prompts.defaults import SYSTEM
from brandflow.contexts.studio.prompts.engine import render
from brandflow.kernel.llm import ComposerInput, SourceChunk

_BOUNDARY_ALPHABET = "bcdfghjklmnpqrstvwxz"


@dataclass(frozen=True, slots=True)
class Grounding:
    """The quoted sources of one generation, shared by its variants."""

    retrieved: tuple[Retrieved, ...]
    block: str  # the prompt section
    flags: tuple[dict[str, str], ...]  # instruction-like text found, per source


@dataclass(frozen=True, slots=True)
class Prompt:
    """One variant's request, as sent."""

    system: str
    text: str
    composer: ComposerInput
    redaction: Redaction
    pii: dict[str, int]  # placeholders sent, by type


def boundary_drawer(secret: bytes, sources: Sequence[Retrieved]) -> Callable[[], str]:
    digest = hashlib.sha256("\x1e".join(s.text for s in sources).encode()).digest()
    counter = 0

    def draw() -> str:
        nonlocal counter
        counter += 1
        mac = hmac.new(secret, digest + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        return "".join(_BOUNDARY_ALPHABET[byte % len(_BOUNDARY_ALPHABET)] for byte in mac[:20])

    return draw


def ground(retrieved: Sequence[Retrieved], secret: bytes) -> Grounding:
    if not retrieved:
        return Grounding((), "", ())
    quoted = quote_sources(
        [QuotedSource(r.citation_id, r.text, r.title) for r in retrieved],
        boundary=boundary_drawer(secret, retrieved),
    )
    flags = tuple(
        {"citation_id": citation, "kind": f.kind.value, "reason": f.reason, "text": f.text[:200]}
        for citation, found in quoted.flags.items()
        for f in found
    )
    return Grounding(tuple(retrieved), quoted.text, flags)


def variables(
    inputs: Inputs,
    grounding: Grounding,
    variant: int,
    *,
    body: ChannelBody | None = None,
    findings: Sequence[dict[str, str]] = (),
    fixed: int = 0,
) -> dict[str, Any]:
    """The template's context: plain data only (see prompts/variables.py). ``body``: the
    text a rewrite starts from; ``findings``: what it must still mend; ``fixed``: fixes
    already applied to it."""
    kit, channel, brief, request = inputs.kit, inputs.channel, inputs.brief, inputs.request
    override = kit.channel_overrides.get(channel)
    context: dict[str, Any] = {
        "channel": channel.value,
        "channel_name": CHANNEL_NAMES.get(channel, channel.value),
        "content": {"title": inputs.title},
        "campaign": {
            "name": brief.name,
            "objective": brief.objective,
            "audience": brief.audience,
            "key_messages": list(brief.key_messages),
        },
        "voice": {
            "summary": kit.voice.summary,
            "tone": kit.tone_for(channel),
            "audience": kit.voice.audience,
            "do_examples": list(kit.voice.do_examples),
            "dont_examples": list(kit.voice.dont_examples),
            "channel_notes": override.notes if override else "",
        },
        "rules": {
            "banned_terms": [
                {"term": b.term, "replacement": b.replacement or ""}
                for b in kit.banned_terms_for(channel)
            ],
            "disclaimers": [d.text for d in kit.disclaimers_for(channel)],
            "approved_claims": [c.claim for c in kit.rules.approved_claims],
            "competitors": [c.name for c in kit.rules.competitors],
        },
        "sources": grounding.block,
        "instructions": request.instructions,
        "output_format": output_format(channel),
        "variant": variant,
        "variants": request.variants,
    }
    if request.operation.is_rewrite:
        context |= {
            "operation": request.operation.value,
            "rewrite_instruction": rewrite_instruction(
                request.operation, request.tone, request.language, fixed=fixed
            ),
            "source": source_text(body) if body is not None else "",
            "tone": request.tone or "",
            "language": language_name(request.language) if request.language else "",
            "findings": [dict(note) for note in findings],
        }
    return context


def composer_input(
    inputs: Inputs, grounding: Grounding, variant: int, body: ChannelBody | None
) -> ComposerInput:
    """What the offline composer writes from: the brief, the voice and the sources."""
    chunks = tuple(SourceChunk(r.citation_id, r.text) for r in grounding.retrieved)
    if body is not None:
        return composer_for_rewrite(inputs, chunks, variant, body)
    brief = inputs.brief
    return ComposerInput(
        title=brief.name,
        objective=brief.objective,
        audience=brief.audience or inputs.kit.voice.audience,
        channel=inputs.channel.value,
        tone_words=tuple(inputs.kit.tone_for(inputs.channel)),
        key_messages=brief.key_messages,
        instructions=inputs.request.instructions,
        chunks=chunks,
        variant=variant - 1,
    )


def _redacted_composer(
    composer: ComposerInput, redaction: Redaction
) -> tuple[ComposerInput, Redaction]:
    """The composer's strings redacted with (and extending) the prompt's mapping."""

    def one(text: str) -> str:
        nonlocal redaction
        if not text:
            return text
        redaction = redact(text, continuing=redaction)
        return redaction.text

    redacted = ComposerInput(
        title=one(composer.title),
        objective=one(composer.objective),
        audience=one(composer.audience),
        channel=composer.channel,
        tone_words=composer.tone_words,
        key_messages=tuple(one(m) for m in composer.key_messages),
        call_to_action=one(composer.call_to_action),
        instructions=one(composer.instructions),
        chunks=tuple(SourceChunk(c.citation_id, one(c.text)) for c in composer.chunks),
        variant=composer.variant,
    )
    return redacted, redaction


def _prepare(text: str, composer: ComposerInput) -> Prompt:
    """CPU-bound (PII recognizers): run in a worker thread. Raises ``PaymentCardRefused``."""
    sent = redact(text)
    pii = dict(Counter(f.entity.value for f in sent.findings))
    # The composer's texts extend the prompt's mapping; the last redaction holds all of it.
    redacted_composer, redaction = _redacted_composer(composer, sent)
    return Prompt(SYSTEM, sent.text, redacted_composer, redaction, pii)


async def prepare(
    inputs: Inputs,
    grounding: Grounding,
    variant: int,
    *,
    body: ChannelBody | None = None,
    findings: Sequence[dict[str, str]] = (),
    fixed: int = 0,
) -> Prompt:
    """Render the template for one variant, then redact what will be sent (in a thread)."""
    context = variables(inputs, grounding, variant, body=body, findings=findings, fixed=fixed)
    text = render(inputs.template.checked, context)
    composer = composer_input(inputs, grounding, variant, body)
    return await asyncio.to_thread(_prepare, text, composer)
