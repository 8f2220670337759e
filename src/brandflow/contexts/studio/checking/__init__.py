"""Stored compliance checks of content versions: every version checked, exposed, gated.

Design: docs/tad/ai-checks.md ("Stored checks"). Other studio modules import
``service`` (``check_version``, ``latest_check``, ``submission_gate``) directly.
"""
