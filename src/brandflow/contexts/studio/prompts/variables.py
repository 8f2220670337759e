"""What a prompt template may use: the variables of each task, which are required, a sample.

A template sees plain data (strings, numbers, lists, mappings), never our objects: what it
can reach is exactly what is listed here. ``SAMPLES`` is a full, realistic context per task;
a template is rendered against it when it is saved, so a misspelt attribute
(``campaign.nmae``) or a type error is refused then, not at generation time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from brandflow.contexts.studio.domain import PromptTask

# name -> what it holds (shown by the API next to each template).
COMMON: dict[str, str] = {
    "channel": "The channel's id: email, linkedin, x, instagram, search_ad, display_ad, "
    "blog_post, landing_page",
    "channel_name": "The channel as people write it: LinkedIn, X, Email...",
    "content": "The content item: {title}",
    "campaign": "The brief: {name, objective, audience, key_messages: [str]}",
    "voice": "The brand voice for this channel: {summary, tone: [str], audience, "
    "do_examples: [str], dont_examples: [str], channel_notes}",
    "rules": "The brand's rules for this channel: {banned_terms: [{term, replacement}], "
    "disclaimers: [str], approved_claims: [str], competitors: [str]}",
    "sources": "Retrieved knowledge, quoted and fenced (empty when nothing matched)",
    "instructions": "What the person asked for in this request (may be empty)",
    "output_format": "The fields to write and their limits",
    "variant": "This variant's number, from 1",
    "variants": "How many variants this request writes",
}
REWRITE_ONLY: dict[str, str] = {
    "operation": "shorten, change_tone, translate or fix_findings",
    "rewrite_instruction": "What to do to the source, in one paragraph",
    "source": "The version being rewritten, field by field",
    "tone": "The tone asked for (change_tone), else empty",
    "language": "The language asked for, e.g. 'German (de-DE)' (translate), else empty",
    "findings": "What the check found that its fixes could not mend (fix_findings): "
    "[{field, text, message, suggestion}]",
}

ALLOWED: Mapping[PromptTask, Mapping[str, str]] = {
    PromptTask.GENERATE: COMMON,
    PromptTask.REWRITE: {**COMMON, **REWRITE_ONLY},
}
# Without these a template would drop the request itself: the sources it must stay within and
# the person's instructions, or the text to rewrite and what to do to it.
REQUIRED: Mapping[PromptTask, frozenset[str]] = {
    PromptTask.GENERATE: frozenset({"sources", "instructions"}),
    PromptTask.REWRITE: frozenset({"source", "rewrite_instruction"}),
}

_COMMON_SAMPLE: dict[str, Any] = {
    "channel": "linkedin",
    "channel_name": "LinkedIn",
    "content": {"title": "Launch post"},
    "campaign": {
        "name": "Cloudstride 3 launch",
        "objective": "Announce the Cloudstride 3 trail shoe",
        "audience": "Trail runners",
        "key_messages": ["Lighter than ever", "Grips on wet rock"],
    },
    "voice": {
        "summary": "Energetic and plain-spoken.",
        "tone": ["energetic", "encouraging"],
        "audience": "Runners of every level",
        "do_examples": ["Your next trail starts here."],
        "dont_examples": ["Unleash your inner beast."],
        "channel_notes": "",
    },
    "rules": {
        "banned_terms": [{"term": "injury-proof", "replacement": "supportive"}],
        "disclaimers": ["Results vary."],
        "approved_claims": ["20% lighter than Cloudstride 2"],
        "competitors": ["Stridewell"],
    },
    "sources": "<<<SOURCE id=K1 bcdfghjklmnpqrstvwxz>>>\nSample.\n<<<END id=K1 bcdfghjklmnpqrstvwxz>>>",
    "instructions": "Mention the spring sale.",
    "output_format": "- text: the post, at most 3000 characters",
    "variant": 1,
    "variants": 3,
}
SAMPLES: Mapping[PromptTask, Mapping[str, Any]] = {
    PromptTask.GENERATE: _COMMON_SAMPLE,
    PromptTask.REWRITE: {
        **_COMMON_SAMPLE,
        "operation": "fix_findings",
        "rewrite_instruction": "Fix the findings listed below and change nothing else.",
        "source": "text:\n  Injury-proof and fast.",
        "tone": "",
        "language": "",
        "findings": [
            {
                "field": "text",
                "text": "Injury-proof",
                "message": "A banned term",
                "suggestion": "Write 'supportive'",
            }
        ],
    },
}
