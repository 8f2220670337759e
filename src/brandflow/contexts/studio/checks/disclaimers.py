"""Required disclaimers: needed when a trigger appears (or always, without triggers).

A disclaimer applies to the channels it lists (all when none). It is *present* when its
words appear in order in one text field, whatever the punctuation, spacing or case between
them ("Terms - acme-running.example/returns" satisfies "Terms: acme-running.example/returns.").
Its span is then protected: its own words trigger nothing and count as nothing else.

A missing one is a finding whose fix appends the text to the channel's main text field (the
last one with room, for lists: a search ad's descriptions, a landing page's sections) if it
fits within that field's length limit; if it fits nowhere, the finding says so, and has no fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from brandflow.contexts.brand_kit.public import BrandKit, RequiredDisclaimer
from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.studio.checks.findings import (
    Finding,
    FindingKind,
    RuleRef,
    Section,
    Severity,
    TextFix,
)
from brandflow.contexts.studio.checks.normalize import Matcher, phrase_matcher, term_matcher
from brandflow.contexts.studio.checks.scan import Scan
from brandflow.contexts.studio.checks.text_fields import TextField

# Where a missing disclaimer goes: the channel's main text (the last matching field with room).
TARGETS: dict[Channel, re.Pattern[str]] = {
    Channel.EMAIL: re.compile(r"body"),
    Channel.LINKEDIN: re.compile(r"text"),
    Channel.X: re.compile(r"text"),
    Channel.INSTAGRAM: re.compile(r"caption"),
    Channel.SEARCH_AD: re.compile(r"descriptions\[\d+\]"),
    Channel.DISPLAY_AD: re.compile(r"description"),
    Channel.BLOG_POST: re.compile(r"body_markdown"),
    Channel.LANDING_PAGE: re.compile(r"sections\[\d+\]\.body_markdown"),
}


@dataclass(frozen=True, slots=True)
class DisclaimerRule:
    disclaimer: RequiredDisclaimer
    text: Matcher
    triggers: tuple[tuple[str, Matcher], ...]
    rule: RuleRef


def compile_disclaimers(kit: BrandKit, channel: Channel) -> tuple[DisclaimerRule, ...]:
    position = {d.key: index for index, d in enumerate(kit.rules.disclaimers)}
    return tuple(
        DisclaimerRule(
            d,
            phrase_matcher(d.text),
            tuple((t, term_matcher(t)) for t in d.triggers),
            RuleRef(section=Section.DISCLAIMERS, index=position[d.key], name=d.key),
        )
        for d in kit.disclaimers_for(channel)
    )


def protect_disclaimers(rules: tuple[DisclaimerRule, ...], scan: Scan) -> set[str]:
    """Mark every disclaimer found in the text as protected; the keys of those present."""
    present: set[str] = set()
    for rule in rules:
        for text_field in scan.texts:
            for span in rule.text.spans(scan.folded(text_field)):
                scan.protect(text_field.path, span)
                present.add(rule.disclaimer.key)
    return present


def _trigger(rule: DisclaimerRule, scan: Scan) -> tuple[str, TextField, int, int] | None:
    for term, matcher in rule.triggers:
        for text_field, start, end in scan.matches(matcher):
            return term, text_field, start, end
    return None


def find_missing(
    rules: tuple[DisclaimerRule, ...], scan: Scan, present: set[str], channel: Channel
) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        if rule.disclaimer.key in present:
            continue
        if not rule.triggers:
            because = f"on every {channel.value} text"
        else:
            hit = _trigger(rule, scan)
            if hit is None:
                continue
            _term, text_field, start, end = hit
            because = f"because “{text_field.text[start:end]}” appears in {text_field.path}"
        findings.append(_missing(rule, scan, channel, because))
    return findings


def _missing(rule: DisclaimerRule, scan: Scan, channel: Channel, because: str) -> Finding:
    text = rule.disclaimer.text
    fix, room = _placement(text, scan, channel)
    if fix is not None:
        suggestion = f"Add the disclaimer at the end of {fix.field}: “{text}”"
    elif room is not None:
        field, free, limit = room
        suggestion = (
            f"Add the disclaimer: “{text}”. It needs {len(text)} characters and does not fit "
            f"in this {channel.value}: {field} has {free} of {limit} free. Shorten the copy, "
            "or put the disclaimer where the ad links to."
        )
    else:
        suggestion = f"Add the disclaimer: “{text}”"
    return Finding(
        kind=FindingKind.MISSING_DISCLAIMER,
        severity=Severity.MAJOR,
        message=f"The disclaimer “{rule.disclaimer.key}” is required {because}, "
        "but the text does not contain it.",
        rule=rule.rule,
        suggestion=suggestion,
        fix=fix,
    )


def _placement(
    text: str, scan: Scan, channel: Channel
) -> tuple[TextFix | None, tuple[str, int, int] | None]:
    """The fix appending ``text``, or (None, the roomiest target: path, free, limit)."""
    target = TARGETS.get(channel)
    candidates = [
        f for f in reversed(scan.texts) if target is not None and target.fullmatch(f.path)
    ]
    roomiest: tuple[str, int, int] | None = None
    for text_field in candidates:
        current = text_field.text
        separator = "" if not current.strip() else "\n\n" if "\n" in current else " "
        limit = text_field.max_length
        if limit is None or len(current) + len(separator) + len(text) <= limit:
            at = len(current)
            return TextFix(
                field=text_field.path, start=at, end=at, replacement=separator + text
            ), None
        free = max(limit - len(current) - len(separator), 0)
        if roomiest is None or free > roomiest[1]:
            roomiest = (text_field.path, free, limit)
    return None, roomiest
