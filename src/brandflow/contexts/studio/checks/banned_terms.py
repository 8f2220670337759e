"""Banned terms: the kit's, plus the channel override's extra ones, found as whole words.

Each match is a finding with the term's replacement as its fix (cased like the match), or
the term's removal when the kit gives no replacement. A term inside a longer banned term
("best" in "best in the world") is reported once, as the longer one.
"""

from __future__ import annotations

from dataclasses import dataclass

from brandflow.contexts.brand_kit.public import BannedTerm, BrandKit
from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.studio.checks.findings import (
    Finding,
    FindingKind,
    RuleRef,
    Section,
    Severity,
    TextFix,
)
from brandflow.contexts.studio.checks.normalize import Matcher, term_matcher
from brandflow.contexts.studio.checks.scan import Scan, Span, match_case, outermost, removal_span


@dataclass(frozen=True, slots=True)
class BannedRule:
    matcher: Matcher
    term: BannedTerm
    rule: RuleRef


def compile_banned(kit: BrandKit, channel: Channel) -> tuple[BannedRule, ...]:
    shared = len(kit.rules.banned_terms)
    rules: list[BannedRule] = []
    for index, term in enumerate(kit.banned_terms_for(channel)):
        if index < shared:
            ref = RuleRef(section=Section.BANNED_TERMS, index=index, name=term.term)
        else:
            ref = RuleRef(
                section=Section.OVERRIDE_BANNED_TERMS,
                index=index - shared,
                name=term.term,
                channel=channel.value,
            )
        rules.append(BannedRule(term_matcher(term.term), term, ref))
    return tuple(rules)


def find_banned(rules: tuple[BannedRule, ...], scan: Scan) -> list[Finding]:
    hits: dict[tuple[str, Span], BannedRule] = {}
    for rule in sorted(rules, key=lambda r: -len(r.term.term)):  # the longer term wins a tie
        for text_field, start, end in scan.matches(rule.matcher):
            hits.setdefault((text_field.path, (start, end)), rule)
    findings: list[Finding] = []
    texts = {f.path: f.text for f in scan.texts}
    for path in texts:
        spans = [span for p, span in hits if p == path]
        for start, end in sorted(outermost(spans)):
            findings.append(_finding(hits[path, (start, end)], path, texts[path], start, end))
    return findings


def _finding(rule: BannedRule, path: str, text: str, start: int, end: int) -> Finding:
    term = rule.term
    found = text[start:end]
    where = f" on {rule.rule.channel}" if rule.rule.channel else ""
    message = f"“{found}” is banned{where} by the brand kit (“{term.term}”)"
    message += f": {term.reason}" if term.reason else "."
    if term.replacement is not None:
        replacement = match_case(found, term.replacement)
        suggestion = f"Write “{replacement}” instead."
        fix = TextFix(field=path, start=start, end=end, replacement=replacement)
    else:
        suggestion = f"Remove “{found}” or rephrase."
        cut_start, cut_end = removal_span(text, start, end)
        fix = TextFix(field=path, start=cut_start, end=cut_end, replacement="")
    return Finding(
        kind=FindingKind.BANNED_TERM,
        severity=Severity.MAJOR,
        message=message,
        field=path,
        start=start,
        end=end,
        rule=rule.rule,
        suggestion=suggestion,
        fix=fix,
    )
