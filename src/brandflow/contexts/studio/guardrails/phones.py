"""Phone numbers, found and validated by ``phonenumbers`` (libphonenumber's metadata).

A number written in international form (+44 ...) is found whatever the region; one in
national form (030 1234567) only with its country's rules, so we try the workspace's
regions first, then a default list of common markets. Only numbers that are valid for
their region count (``Leniency.VALID``), which keeps prices, dates and order numbers out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

DEFAULT_PHONE_REGIONS: tuple[str, ...] = (
    "US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "IE", "SE", "PL", "AU", "CA",
    "BR", "IN",
)  # fmt: skip
PHONE_SCORE = 0.7
# A cheap pre-filter: the matcher costs about a millisecond per region per page of text, so
# it only looks at stretches that could be a number (6+ digits with phone punctuation).
_CANDIDATE = re.compile(r"[+(]?\d(?:[ \t\u00a0().\-/]{0,3}\d){5,}\)?")
# libphonenumber rejects dates itself, after trying every region; we skip them up front.
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
# ASCII only: CJK text puts numbers right after words ("电话010-12345678").
_GLUED_BEFORE = re.compile(r"[A-Za-z0-9][\-/_#]?\Z")
_GLUED_AFTER = re.compile(r"[\-/_]?[A-Za-z0-9]")
_CONTEXT = 3  # characters either side, so the matcher still sees what the number touches


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    start: int
    end: int
    e164: str  # the same number written two ways has one E.164 form


def phone_regions(preferred: Iterable[str] = ()) -> tuple[str, ...]:
    """``preferred`` (ISO 3166 alpha-2, e.g. the workspace's) first, then the defaults."""
    regions: list[str] = []
    for code in (*preferred, *DEFAULT_PHONE_REGIONS):
        region = code.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown phone region {code!r}")
        if region not in regions:
            regions.append(region)
    return tuple(regions)


def find_phone_numbers(text: str, regions: Sequence[str]) -> list[PhoneMatch]:
    found: dict[tuple[int, int], PhoneMatch] = {}
    # Per call, not per process: the windows hold phone numbers, which must not outlive the
    # request. Within a text, repeated SKUs and order numbers are looked up once.
    seen: dict[tuple[str, tuple[str, ...]], tuple[tuple[int, int, str], ...]] = {}
    for candidate in _CANDIDATE.finditer(text):
        if _DATE.fullmatch(candidate.group()):
            continue
        offset = max(candidate.start() - _CONTEXT, 0)
        window = text[offset : candidate.end() + _CONTEXT]
        # "+44 ..." reads the same in every region; a national number needs its own.
        tried = tuple(regions[:1] if candidate.group().startswith("+") else regions)
        if (window, tried) not in seen:
            seen[window, tried] = _matches(window, tried)
        for start, end, e164 in seen[window, tried]:
            span = (offset + start, offset + end)
            if not _part_of_identifier(text, *span):
                found.setdefault(span, PhoneMatch(span[0], span[1], e164))
    return sorted(found.values(), key=lambda phone: phone.start)


def _part_of_identifier(text: str, start: int, end: int) -> bool:
    """Digits glued to letters or digits by - / _ #, like INV-2024-000123: an id, not a phone.

    A number that starts with + or ( announces itself, so "Tel+44 ..." still counts.
    """
    glued_before = text[start].isdigit() and _GLUED_BEFORE.search(text, max(start - 2, 0), start)
    return bool(glued_before or _GLUED_AFTER.match(text, end))


def _matches(window: str, regions: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """Numbers in a short window, by the first region that finds any."""
    for region in regions:
        matches = tuple(
            (m.start, m.end, phonenumbers.format_number(m.number, PhoneNumberFormat.E164))
            for m in PhoneNumberMatcher(window, region, leniency=Leniency.VALID)
        )
        if matches:
            return matches
    return ()
