"""Find PII in a text: presidio's pattern recognizers, phonenumbers, and our card check.

Used before the model (to redact what is sent) and by the compliance check (to report PII
with its span). Pattern matches only: names, addresses and other free-form PII need NER,
which would mean loading a spaCy model, so they are not found.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from brandflow.contexts.studio.guardrails.cards import find_payment_cards
from brandflow.contexts.studio.guardrails.findings import PiiEntity, PiiFinding
from brandflow.contexts.studio.guardrails.phones import (
    PHONE_SCORE,
    find_phone_numbers,
    phone_regions,
)

if TYPE_CHECKING:
    from presidio_analyzer import PatternRecognizer

# presidio scores a bare pattern 0.05-0.6 and a checksum-confirmed one 1.0. Below 0.5 are its
# "weak" patterns (any 9 digits as an SSN), which would redact order numbers.
MIN_SCORE = 0.5


@functools.cache
def _recognizers() -> tuple[PatternRecognizer, ...]:
    # Imported here: presidio imports the spaCy library, seconds we only pay when needed.
    from brandflow.contexts.studio.guardrails import presidio_recognizers

    return presidio_recognizers.build()


def warm_up() -> None:
    """Import and build the recognizers now (at worker start) rather than on the first request."""
    find_pii("warm up jane@example.com 192.0.2.1 +44 20 7946 0958")


def find_pii(text: str, *, regions: Iterable[str] = ()) -> list[PiiFinding]:
    """Non-overlapping PII findings in ``text``, in order; payment cards included (masked).

    ``regions`` are ISO 3166 codes tried first for phone numbers in national form.
    """
    from brandflow.contexts.studio.guardrails import presidio_recognizers

    recognizers = _recognizers()  # first: it imports presidio_recognizers
    candidates = find_payment_cards(text)
    for result in presidio_recognizers.analyze(recognizers, text):
        if result.score >= MIN_SCORE:
            entity = PiiEntity(result.entity_type)
            value = text[result.start : result.end]
            candidates.append(
                PiiFinding(
                    entity, result.start, result.end, result.score, value, _canonical(entity, value)
                )
            )
    for phone in find_phone_numbers(text, phone_regions(regions)):
        value = text[phone.start : phone.end]
        candidates.append(
            PiiFinding(
                PiiEntity.PHONE_NUMBER, phone.start, phone.end, PHONE_SCORE, value, phone.e164
            )
        )
    return _without_overlaps(candidates)


def _canonical(entity: PiiEntity, value: str) -> str:
    if entity is PiiEntity.EMAIL_ADDRESS:
        return value.lower()
    if entity is PiiEntity.IP_ADDRESS:
        try:
            return str(ipaddress.ip_interface(value))
        except ValueError:
            return value
    if entity in (PiiEntity.IBAN_CODE, PiiEntity.US_SSN, PiiEntity.UK_NINO, PiiEntity.MAC_ADDRESS):
        return "".join(char for char in value if char.isalnum()).upper()
    return value


def _without_overlaps(findings: list[PiiFinding]) -> list[PiiFinding]:
    """Cards first (they must be refused), then the longest span, then the most specific.

    A pattern with a fixed shape (SSN, IBAN) beats a phone number of the same span: many
    digit strings are valid phone numbers somewhere.
    """
    ranked = sorted(
        findings,
        key=lambda f: (
            f.entity is not PiiEntity.CREDIT_CARD,
            -(f.end - f.start),
            f.entity is PiiEntity.PHONE_NUMBER,
            -f.score,
            f.start,
        ),
    )
    kept: list[PiiFinding] = []
    for finding in ranked:
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
