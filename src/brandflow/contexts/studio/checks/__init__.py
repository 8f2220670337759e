"""Compliance checks of a version against its workspace's brand kit: findings and a score.

Pure domain code (no I/O). ``check_body`` runs every deterministic check; ``judge_tone``
adds an optional model judge's findings; ``apply_fixes`` applies findings' fixes.
Design: docs/tad/ai-checks.md.
"""

from brandflow.contexts.studio.checks.claims import KnowledgeEvidence
from brandflow.contexts.studio.checks.compiled import CompiledRules, compiled_rules
from brandflow.contexts.studio.checks.engine import check_body
from brandflow.contexts.studio.checks.findings import (
    ENGINE_VERSION,
    CheckResult,
    Finding,
    FindingKind,
    RuleRef,
    Section,
    Severity,
    TextFix,
)
from brandflow.contexts.studio.checks.fixes import FixOutcome, apply_fixes
from brandflow.contexts.studio.checks.scoring import DEFAULT_MIN_SCORE, score, with_findings
from brandflow.contexts.studio.checks.text_fields import stored_body
from brandflow.contexts.studio.checks.tone import ToneJudge, VoiceBrief, judge_tone, voice_brief

__all__ = [
    "DEFAULT_MIN_SCORE",
    "ENGINE_VERSION",
    "CheckResult",
    "CompiledRules",
    "Finding",
    "FindingKind",
    "FixOutcome",
    "KnowledgeEvidence",
    "RuleRef",
    "Section",
    "Severity",
    "TextFix",
    "ToneJudge",
    "VoiceBrief",
    "apply_fixes",
    "check_body",
    "compiled_rules",
    "judge_tone",
    "score",
    "stored_body",
    "voice_brief",
    "with_findings",
]
