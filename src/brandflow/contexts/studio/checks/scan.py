"""One check's view of a body: its text fields, folded once, and the spans rules skip.

A required disclaimer found in the text is the kit's own wording: its spans are *protected*,
so its words do not count as banned terms, competitor mentions, claims or triggers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from brandflow.contexts.studio.checks.normalize import Folded, Matcher, fold
from brandflow.contexts.studio.checks.text_fields import BodyFields, TextField

Span = tuple[int, int]


@dataclass(slots=True)
class Scan:
    fields: BodyFields
    protected: dict[str, list[Span]] = field(default_factory=dict)
    _folded: dict[str, Folded] = field(default_factory=dict)

    @property
    def texts(self) -> tuple[TextField, ...]:
        return self.fields.texts

    def folded(self, text_field: TextField) -> Folded:
        folded = self._folded.get(text_field.path)
        if folded is None:
            folded = self._folded[text_field.path] = fold(text_field.text)
        return folded

    def protect(self, path: str, span: Span) -> None:
        self.protected.setdefault(path, []).append(span)

    def is_protected(self, path: str, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.protected.get(path, ()))

    def matches(self, matcher: Matcher) -> Iterator[tuple[TextField, int, int]]:
        """Every unprotected match of ``matcher``, field by field."""
        for text_field in self.texts:
            for start, end in matcher.spans(self.folded(text_field)):
                if not self.is_protected(text_field.path, start, end):
                    yield text_field, start, end


def outermost(spans: Iterable[Span]) -> set[Span]:
    """The spans not inside another (longer) one: "best" inside "best in the world" goes."""
    ordered = sorted(set(spans), key=lambda s: (s[0], -s[1]))
    kept: list[Span] = []
    for start, end in ordered:
        if not any(s <= start and end <= e for s, e in kept):
            kept.append((start, end))
    return set(kept)


def match_case(source: str, replacement: str) -> str:
    """ "Cheap" -> "Great value", "CHEAP" -> "GREAT VALUE", "cheap" -> the kit's spelling."""
    if len(source) > 1 and source.isupper() and any(c.isalpha() for c in replacement):
        return replacement.upper()
    if source[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def removal_span(text: str, start: int, end: int) -> Span:
    """The span to delete to remove ``text[start:end]`` with one space next to it."""
    if start > 0 and text[start - 1] == " ":
        return start - 1, end
    if end < len(text) and text[end] == " ":
        return start, end + 1
    return start, end
