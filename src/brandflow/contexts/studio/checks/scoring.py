"""The score: 100 minus what the findings weigh, 0 at worst; deterministic.

- Weights by severity: blocker 25, major 15, minor 5, info 0.
- Repeats of one rule weigh less: the first finding of a rule (the same banned term, the
  same competitor, the claims rule, the same PII type, one field's limit) counts in full, the
  second half, the third a quarter, and so on. A rule broken ten times costs under twice its
  weight; ten different rules cost ten times.
- Any blocker caps the score at 40, and a result with a blocker never passes, whatever the
  workspace's minimum.
- The score is rounded down (a finding never rounds away).

``passed`` = no blocker and score >= the workspace's minimum score to submit for review.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from brandflow.contexts.studio.checks.findings import (
    SEVERITY_ORDER,
    CheckResult,
    Finding,
    Severity,
)

WEIGHTS: dict[Severity, float] = {
    Severity.BLOCKER: 25,
    Severity.MAJOR: 15,
    Severity.MINOR: 5,
    Severity.INFO: 0,
}
BLOCKER_CAP = 40
_DIGITS = re.compile(r"(\d+)")
# A suggestion for workspaces that set none (the workspace setting is the studio's).
DEFAULT_MIN_SCORE = 70


def score(findings: Sequence[Finding]) -> int:
    repeats: Counter[tuple[object, ...]] = Counter()
    penalty = 0.0
    for finding in ordered(findings):
        key = finding.rule_key()
        penalty += WEIGHTS[finding.severity] / 2 ** repeats[key]
        repeats[key] += 1
    value = 100 - penalty
    if any(f.severity is Severity.BLOCKER for f in findings):
        value = min(value, BLOCKER_CAP)
    return max(0, math.floor(value))


def _natural(path: str | None) -> tuple[tuple[int, str], ...]:
    """``headlines[2]`` before ``headlines[10]``; body-wide findings (no field) first."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in _DIGITS.split(path or ""))


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Most severe first, then by field path and position."""
    return sorted(
        findings,
        key=lambda f: (SEVERITY_ORDER[f.severity], _natural(f.field), f.start or 0, f.kind.value),
    )


def result(
    channel: str, findings: Sequence[Finding], checked_rules_count: int, min_score: int
) -> CheckResult:
    value = score(findings)
    blocked = any(f.severity is Severity.BLOCKER for f in findings)
    return CheckResult(
        channel=channel,
        score=value,
        min_score=min_score,
        passed=not blocked and value >= min_score,
        checked_rules_count=checked_rules_count,
        findings=ordered(findings),
    )


def with_findings(
    checked: CheckResult, extra: Sequence[Finding], extra_rules: int = 0
) -> CheckResult:
    """The result with more findings (the tone judge's), scored again."""
    return result(
        checked.channel,
        [*checked.findings, *extra],
        checked.checked_rules_count + extra_rules,
        checked.min_score,
    )
