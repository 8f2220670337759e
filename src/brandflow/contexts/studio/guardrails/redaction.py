"""PII out of what is sent to a model, typed placeholders in; the originals back in the answer.

``[EMAIL_1]``, ``[PHONE_2]``: the type tells the model what stood there, so it can still
write "email us at [EMAIL_1]". One value gets one placeholder however often and however it
is written, within one request. The mapping lives in the ``Redaction`` object only, in
memory, out of its repr; it is never stored or logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from brandflow.contexts.studio.guardrails.cards import refuse_payment_cards
from brandflow.contexts.studio.guardrails.findings import PiiEntity, PiiFinding
from brandflow.contexts.studio.guardrails.pii import find_pii

LABELS: Mapping[PiiEntity, str] = {
    PiiEntity.EMAIL_ADDRESS: "EMAIL",
    PiiEntity.PHONE_NUMBER: "PHONE",
    PiiEntity.IBAN_CODE: "IBAN",
    PiiEntity.IP_ADDRESS: "IP_ADDRESS",
    PiiEntity.MAC_ADDRESS: "MAC_ADDRESS",
    PiiEntity.CRYPTO: "CRYPTO_WALLET",
    PiiEntity.US_SSN: "SSN",
    PiiEntity.UK_NINO: "NI_NUMBER",
    PiiEntity.URL_CREDENTIALS: "URL_WITH_CREDENTIALS",
}
# What a model makes of "[EMAIL_1]": "[email_1]", "[EMAIL 1]", "[ EMAIL_1 ]", "\[EMAIL_1\]".
PLACEHOLDER = re.compile(r"\\?\[\s*([A-Za-z]+(?:_[A-Za-z]+)*)[ _-]?(\d{1,6})\s*\\?\]")
_LONGEST_PLACEHOLDER = 48  # for streaming: how far back an unfinished one can start


def _normal_form(match: re.Match[str]) -> str:
    return f"[{match.group(1).upper()}_{int(match.group(2))}]"


@dataclass(frozen=True, slots=True)
class Redaction:
    """``text`` is safe to send; ``findings`` are spans in the original text."""

    text: str
    findings: tuple[PiiFinding, ...]
    _originals: Mapping[str, str] = field(repr=False)  # placeholder -> first form seen
    _placeholders: Mapping[tuple[PiiEntity, str], str] = field(
        repr=False
    )  # canonical -> placeholder
    _taken: frozenset[str] = field(repr=False)  # placeholder-like text already in the inputs

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Every placeholder issued so far (this text and the ones it continues)."""
        return tuple(self._originals)


def redact(
    text: str, *, regions: Iterable[str] = (), continuing: Redaction | None = None
) -> Redaction:
    """Replace PII in ``text`` by placeholders; refuse it if it holds a payment card number.

    Several texts of one request (brief, instructions, sources) share their placeholders by
    passing the previous ``Redaction`` as ``continuing``; restore with the last one.
    Raises ``PaymentCardRefused`` before anything else happens to the text.
    """
    refuse_payment_cards(text)
    findings = find_pii(text, regions=regions)
    originals = dict(continuing._originals) if continuing else {}
    placeholders = dict(continuing._placeholders) if continuing else {}
    # A placeholder-like string the input already holds is never issued, so restoring cannot
    # turn a literal "[EMAIL_1]" of a document into someone's address.
    taken = (continuing._taken if continuing else frozenset()) | {
        _normal_form(match) for match in PLACEHOLDER.finditer(text)
    }
    parts: list[str] = []
    cursor = 0
    for finding in findings:
        key = (finding.entity, finding.canonical)
        placeholder = placeholders.get(key)
        if placeholder is None:
            placeholder = _next_placeholder(LABELS[finding.entity], originals, taken)
            placeholders[key] = placeholder
            originals[placeholder] = finding.text
        parts += [text[cursor : finding.start], placeholder]
        cursor = finding.end
    parts.append(text[cursor:])
    return Redaction("".join(parts), tuple(findings), originals, placeholders, taken)


def _next_placeholder(label: str, issued: Mapping[str, str], taken: frozenset[str]) -> str:
    number = 1
    while (placeholder := f"[{label}_{number}]") in issued or placeholder in taken:
        number += 1
    return placeholder


def restore(text: str, redaction: Redaction) -> str:
    """Put the originals back wherever the model wrote a placeholder, as often as it did.

    One pass, so an original that itself looks like a placeholder is not replaced again.
    Placeholders the model invented, or that were literal text in the input, stay as written.
    """

    def original(match: re.Match[str]) -> str:
        return redaction._originals.get(_normal_form(match), match.group())

    return PLACEHOLDER.sub(original, text)


@dataclass(frozen=True, slots=True)
class PlaceholderAudit:
    missing: tuple[str, ...]  # issued but absent from the answer: the model dropped them
    unknown: tuple[str, ...]  # in the answer but never issued: the model made them up


def audit_placeholders(text: str, redaction: Redaction) -> PlaceholderAudit:
    seen = {_normal_form(match) for match in PLACEHOLDER.finditer(text)}
    known_labels = set(LABELS.values())
    missing = tuple(p for p in redaction._originals if p not in seen)
    unknown = tuple(
        sorted(
            p
            for p in seen - redaction._originals.keys() - redaction._taken
            if p[1:].rsplit("_", 1)[0] in known_labels
        )
    )
    return PlaceholderAudit(missing, unknown)


class StreamingRestorer:
    """``restore`` for a streamed answer, where a placeholder may arrive split over chunks.

    Holds back an unfinished ``[...`` tail (at most a placeholder's length) until it closes.
    """

    def __init__(self, redaction: Redaction) -> None:
        self._redaction = redaction
        self._pending = ""

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        cut = _unfinished_start(text)
        text, self._pending = text[:cut], text[cut:]
        return restore(text, self._redaction)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return restore(text, self._redaction)


def _unfinished_start(text: str) -> int:
    """Where a placeholder that has not closed yet may begin in ``text``; else its length."""
    bracket = text.rfind("[")
    if bracket != -1 and "]" not in text[bracket:] and len(text) - bracket <= _LONGEST_PLACEHOLDER:
        return bracket - 1 if bracket > 0 and text[bracket - 1] == "\\" else bracket
    return len(text) - 1 if text.endswith("\\") else len(text)
