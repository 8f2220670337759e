"""What every browser test checks on a screen: accessibility (axe-core) and a screenshot."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

from tests.e2e.harness import ARTIFACTS, AXE_SCRIPT

BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# WCAG 2.1 A and AA plus axe's best practices (landmarks, headings, region).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core inside the page; returns its serious and critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result: dict[str, Any] = page.evaluate(
        "options => window.axe.run(document, options)", AXE_OPTIONS
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def check_screen(page: Page, name: str) -> None:
    """Saves a screenshot as a test artifact, then fails on any serious axe violation."""
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"), full_page=True
    )
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(f"{n['target']} {n.get('failureSummary', '')!r}" for n in v["nodes"][:3])
        for v in violations
    ]
    assert not violations, f"axe found serious or critical violations on {name}:\n" + "\n".join(
        summary
    )
