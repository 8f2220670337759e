"""Competitor mentions: each competitor's name and aliases, as whole words.

No automatic fix: removing a name usually breaks the sentence, so the suggestion says what
to do and the writer (or the "fix findings" rewrite) does it.
"""

from __future__ import annotations

from dataclasses import dataclass

from brandflow.contexts.brand_kit.public import BrandKit
from brandflow.contexts.studio.checks.findings import (
    Finding,
    FindingKind,
    RuleRef,
    Section,
    Severity,
)
from brandflow.contexts.studio.checks.normalize import Matcher, term_matcher
from brandflow.contexts.studio.checks.scan import Scan, Span, outermost


@dataclass(frozen=True, slots=True)
class CompetitorName:
    matcher: Matcher
    name: str  # the competitor's name (an alias reports the competitor)
    spelled: str  # the name or alias that matched
    rule: RuleRef


def compile_competitors(kit: BrandKit) -> tuple[CompetitorName, ...]:
    names: list[CompetitorName] = []
    for index, competitor in enumerate(kit.rules.competitors):
        ref = RuleRef(section=Section.COMPETITORS, index=index, name=competitor.name)
        for spelled in competitor.names:
            names.append(CompetitorName(term_matcher(spelled), competitor.name, spelled, ref))
    return tuple(names)


def find_competitors(names: tuple[CompetitorName, ...], scan: Scan) -> list[Finding]:
    hits: dict[tuple[str, Span], CompetitorName] = {}
    for name in sorted(names, key=lambda n: -len(n.spelled)):
        for text_field, start, end in scan.matches(name.matcher):
            hits.setdefault((text_field.path, (start, end)), name)
    findings: list[Finding] = []
    for text_field in scan.texts:
        spans = [span for path, span in hits if path == text_field.path]
        for start, end in sorted(outermost(spans)):
            hit = hits[text_field.path, (start, end)]
            found = text_field.text[start:end]
            also = "" if hit.spelled == hit.name else f" (as “{hit.spelled}”)"
            findings.append(
                Finding(
                    kind=FindingKind.COMPETITOR_MENTION,
                    severity=Severity.MAJOR,
                    message=f"“{found}” names the competitor {hit.name}{also}; "
                    "the brand kit says content must not name competitors.",
                    field=text_field.path,
                    start=start,
                    end=end,
                    rule=hit.rule,
                    suggestion=f"Remove the mention of {hit.name}: speak about the brand's "
                    "own products, or compare without naming anyone.",
                )
            )
    return findings
