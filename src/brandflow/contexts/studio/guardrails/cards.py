"""Payment card numbers are refused outright (PCI-DSS): never stored, never sent to a model.

A card number is a run of 14 to 19 digits, optionally grouped by single spaces or dashes,
that starts with a known issuer prefix (Visa, Mastercard, Amex, Diners, Discover, JCB,
UnionPay, Maestro) and passes the Luhn checksum. The prefix check keeps most order numbers,
invoice numbers and barcodes out; Luhn keeps out 9 in 10 of the rest. 13-digit legacy Visa
numbers and 12-13 digit Maestro numbers are not refused: they collide with EAN-13 barcodes.
"""

from __future__ import annotations

import re

from brandflow.contexts.studio.guardrails.findings import PiiEntity, PiiFinding
from brandflow.kernel.errors import AppError

# Digit groups joined by one separator: space, dash, or the no-break/thin spaces that word
# processors put into numbers. Not glued to further digits on either side.
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[ \-\u00a0\u2009\u202f]\d+)*(?!\d)")
_GROUP = re.compile(r"\d+")
MIN_PAN_DIGITS, MAX_PAN_DIGITS = 14, 19


class PaymentCardRefused(AppError):
    status, code, title = 422, "payment-card-refused", "Payment card number refused"


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _issuer_accepts(digits: str) -> bool:
    """Whether a known card scheme issues numbers with this prefix and length."""
    length, first = len(digits), digits[0]
    if first == "4":  # Visa
        return length >= 16
    if first in "56":  # Mastercard 51-55, Maestro, Discover, UnionPay
        return True
    if first == "2":  # Mastercard's 2-series
        return length == 16 and 2221 <= int(digits[:4]) <= 2720
    if first == "3":
        if digits[:2] in ("34", "37"):  # American Express
            return length == 15
        if digits[:2] in ("36", "38", "39") or 300 <= int(digits[:3]) <= 305:  # Diners
            return length >= 14
        return 3528 <= int(digits[:4]) <= 3589 and length >= 16  # JCB
    return False


def mask_pan(digits: str) -> str:
    """Only the last four digits shown (PCI-DSS allows at most the first six and last four)."""
    return "*" * (len(digits) - 4) + digits[-4:]


def find_payment_cards(text: str) -> list[PiiFinding]:
    """Card numbers in ``text``; each finding's ``text`` is the masked number, never the PAN."""
    findings: list[PiiFinding] = []
    for run in _DIGIT_RUN.finditer(text):
        groups = list(_GROUP.finditer(run.group()))
        # Any stretch of whole groups may be the card: "order 12 4111 1111 1111 1111".
        first = 0
        while first < len(groups):
            card = _longest_card_from(groups, first)
            if card is None:
                first += 1
                continue
            last, digits = card
            start, end = run.start() + groups[first].start(), run.start() + groups[last].end()
            masked = mask_pan(digits)
            findings.append(PiiFinding(PiiEntity.CREDIT_CARD, start, end, 1.0, masked, masked))
            first = last + 1
    return findings


def _longest_card_from(groups: list[re.Match[str]], first: int) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    digits = ""
    for last in range(first, len(groups)):
        digits += groups[last].group()
        if len(digits) > MAX_PAN_DIGITS:
            break
        if len(digits) >= MIN_PAN_DIGITS and _issuer_accepts(digits) and luhn_valid(digits):
            best = (last, digits)
    return best


def refuse_payment_cards(text: str) -> None:
    """Raise ``PaymentCardRefused`` if ``text`` holds a card number; call before storing or sending.

    The error names only the last four digits, so it can be logged and shown safely.
    """
    cards = find_payment_cards(text)
    if cards:
        endings = ", ".join(card.text[-4:] for card in cards)
        raise PaymentCardRefused(
            f"The text contains a payment card number (ending in {endings}). Card numbers are "
            "never stored or sent to a model; remove it and try again."
        )
