"""What the PII scan reports: an entity type and a span, with the value kept out of repr."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PiiEntity(StrEnum):
    """Entity names follow presidio's, so findings read the same in logs and docs."""

    EMAIL_ADDRESS = "EMAIL_ADDRESS"
    PHONE_NUMBER = "PHONE_NUMBER"
    IBAN_CODE = "IBAN_CODE"
    IP_ADDRESS = "IP_ADDRESS"
    MAC_ADDRESS = "MAC_ADDRESS"
    CREDIT_CARD = "CREDIT_CARD"
    CRYPTO = "CRYPTO"
    US_SSN = "US_SSN"
    UK_NINO = "UK_NINO"
    URL_CREDENTIALS = "URL_CREDENTIALS"


@dataclass(frozen=True, slots=True)
class PiiFinding:
    """One piece of PII at ``text[start:end]`` of the scanned text.

    ``text`` is the matched text, except for payment cards, where it is the masked number:
    a full card number is never kept. It stays out of ``repr`` so a finding can be logged.
    """

    entity: PiiEntity
    start: int
    end: int
    score: float  # presidio's confidence: 1.0 when a checksum or validator confirmed it
    text: str = field(repr=False)
    # The value in one canonical form (E.164 phone, lower-case email, IBAN without spaces),
    # so the same value written two ways counts as one.
    canonical: str = field(repr=False)
