"""Applying findings' fixes to a body: what the editor's "apply" and "fix findings" do.

Fixes refer to offsets of the version that was checked: apply them to that version only.
Within a field they are applied right to left, so earlier offsets stay valid; a fix that
overlaps one already taken (in the order given) is skipped and reported, never merged. The
result is validated as a body again; one that no longer validates (a body saved under older
limits) is returned unvalidated, like ``stored_body``, for the re-check to report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from brandflow.contexts.content.public import ChannelBody
from brandflow.contexts.studio.checks.findings import TextFix
from brandflow.contexts.studio.checks.text_fields import body_fields, set_at, stored_body


@dataclass(frozen=True, slots=True)
class FixOutcome:
    body: ChannelBody
    applied: tuple[TextFix, ...]
    skipped: tuple[TextFix, ...]  # overlapping another fix, or outside its field


def _overlap(a: TextFix, b: TextFix) -> bool:
    if a.field != b.field:
        return False
    if a.start == a.end:  # an insertion collides only with an edit around it
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def apply_fixes(body: ChannelBody, fixes: Sequence[TextFix]) -> FixOutcome:
    texts = {f.path: f.text for f in body_fields(body).texts}
    taken: list[TextFix] = []
    skipped: list[TextFix] = []
    for fix in fixes:
        text = texts.get(fix.field)
        fits = text is not None and fix.start <= fix.end <= len(text)
        if not fits or any(_overlap(fix, other) for other in taken):
            skipped.append(fix)
        else:
            taken.append(fix)
    if not taken:
        return FixOutcome(body, (), tuple(skipped))
    data = body.model_dump(mode="json", warnings=False)
    for path in dict.fromkeys(f.field for f in taken):
        text = texts[path]
        for fix in sorted((f for f in taken if f.field == path), key=lambda f: (-f.start, -f.end)):
            text = text[: fix.start] + fix.replacement + text[fix.end :]
        set_at(data, path, text)
    return FixOutcome(stored_body(data), tuple(taken), tuple(skipped))
