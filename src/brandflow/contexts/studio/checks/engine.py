"""The compliance check of one version: every rule of the kit for its channel, then a score.

Pure and CPU-bound (a typical body takes about a millisecond once the kit is compiled and
the PII recognizers are warm); async callers run it in a worker thread. The same check runs
on generated and human-written versions.

Order matters in two places: required disclaimers found in the text are protected first (the
kit's own wording counts as nothing else), and banned terms are found before claims (a cue
inside a banned term is reported once, as the banned term).
"""

from __future__ import annotations

from collections.abc import Sequence

from brandflow.contexts.brand_kit.public import BrandKit
from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.content.public import ChannelBody
from brandflow.contexts.studio.checks.banned_terms import find_banned
from brandflow.contexts.studio.checks.claims import KnowledgeEvidence, find_unapproved_claims
from brandflow.contexts.studio.checks.competitors import find_competitors
from brandflow.contexts.studio.checks.compiled import compiled_rules
from brandflow.contexts.studio.checks.disclaimers import find_missing, protect_disclaimers
from brandflow.contexts.studio.checks.findings import CheckResult, Finding
from brandflow.contexts.studio.checks.limits import find_limit_breaches
from brandflow.contexts.studio.checks.pii import find_personal_data
from brandflow.contexts.studio.checks.scan import Scan, Span
from brandflow.contexts.studio.checks.scoring import DEFAULT_MIN_SCORE, result
from brandflow.contexts.studio.checks.text_fields import body_fields

PII_RULES = 1


def check_body(
    body: ChannelBody,
    kit: BrandKit,
    *,
    knowledge_claims: Sequence[KnowledgeEvidence] = (),
    min_score: int = DEFAULT_MIN_SCORE,
    phone_regions: Sequence[str] = (),
) -> CheckResult:
    """Check ``body`` against ``kit``; ``knowledge_claims``: chunks that may back its claims.

    ``phone_regions``: the workspace's countries (ISO 3166), tried first for phone numbers.
    """
    channel = Channel(body.channel)
    rules = compiled_rules(kit, channel)
    fields = body_fields(body)
    scan = Scan(fields)
    present = protect_disclaimers(rules.disclaimers, scan)

    findings: list[Finding] = []
    banned = find_banned(rules.banned, scan)
    findings += banned
    findings += find_competitors(rules.competitors, scan)
    findings += find_missing(rules.disclaimers, scan, present, channel)
    reported: set[tuple[str, Span]] = {
        (f.field, (f.start, f.end))
        for f in banned
        if f.field is not None and f.start is not None and f.end is not None
    }
    findings += find_unapproved_claims(rules.claims, scan, reported, knowledge_claims)
    limit_findings, limits_checked = find_limit_breaches(body, fields)
    findings += limit_findings
    findings += find_personal_data(fields.texts, phone_regions)
    checked = rules.rules_count + limits_checked + PII_RULES
    return result(channel.value, findings, checked, min_score)
