"""Personal data in marketing copy, found by the guardrails' ``find_pii``.

A payment card number is a blocker (it must never be stored: PCI-DSS) and its fix removes it.
Bank, national-id, network and wallet identifiers are major, also with a removal fix.
Emails and phone numbers are minor and have no fix: they are often the brand's own contact
details, which belong in the copy; a reviewer decides. Messages never quote the value.

All text fields are scanned in one call (joined by blank lines, which no PII pattern spans),
then each finding is mapped back to its field.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from brandflow.contexts.studio.checks.findings import (
    Finding,
    FindingKind,
    RuleRef,
    Section,
    Severity,
    TextFix,
)
from brandflow.contexts.studio.checks.scan import removal_span
from brandflow.contexts.studio.checks.text_fields import TextField
from brandflow.contexts.studio.guardrails import PiiEntity, PiiFinding, find_pii

_JOIN = "\n\n"
_NAMES: dict[PiiEntity, str] = {
    PiiEntity.EMAIL_ADDRESS: "An email address",
    PiiEntity.PHONE_NUMBER: "A phone number",
    PiiEntity.IBAN_CODE: "A bank account number (IBAN)",
    PiiEntity.IP_ADDRESS: "An IP address",
    PiiEntity.MAC_ADDRESS: "A network device address (MAC)",
    PiiEntity.CREDIT_CARD: "A payment card number",
    PiiEntity.CRYPTO: "A crypto wallet address",
    PiiEntity.US_SSN: "A US Social Security number",
    PiiEntity.UK_NINO: "A UK National Insurance number",
    PiiEntity.URL_CREDENTIALS: "A web address with a user name and password",
}
_CONTACT = frozenset({PiiEntity.EMAIL_ADDRESS, PiiEntity.PHONE_NUMBER})


def find_personal_data(texts: Sequence[TextField], regions: Sequence[str] = ()) -> list[Finding]:
    starts: list[int] = []
    offset = 0
    for text_field in texts:
        starts.append(offset)
        offset += len(text_field.text) + len(_JOIN)
    joined = _JOIN.join(f.text for f in texts)
    findings: list[Finding] = []
    for pii in find_pii(joined, regions=regions):
        index = bisect.bisect_right(starts, pii.start) - 1
        text_field = texts[index]
        start, end = pii.start - starts[index], pii.end - starts[index]
        if end <= len(text_field.text):
            findings.append(_finding(pii, text_field, start, end))
    return findings


def _finding(pii: PiiFinding, text_field: TextField, start: int, end: int) -> Finding:
    what = _NAMES.get(pii.entity, "Personal data")
    rule = RuleRef(section=Section.PII, name=pii.entity.value)
    if pii.entity is PiiEntity.CREDIT_CARD:
        severity = Severity.BLOCKER
        message = (
            f"{what} (ending in {pii.text[-4:]}) is in the text. Card numbers must never be "
            "stored or published."
        )
        suggestion = "Remove the card number."
    elif pii.entity in _CONTACT:
        severity = Severity.MINOR
        message = f"{what} is in the text: a customer's or employee's personal data must not be."
        suggestion = "Remove it, unless it is the brand's own public contact."
    else:
        severity = Severity.MAJOR
        message = f"{what} is in the text: personal data does not belong in marketing copy."
        suggestion = "Remove it."
    fix = None
    if severity is not Severity.MINOR:
        cut_start, cut_end = removal_span(text_field.text, start, end)
        fix = TextFix(field=text_field.path, start=cut_start, end=cut_end, replacement="")
    return Finding(
        kind=FindingKind.PII,
        severity=severity,
        message=message,
        field=text_field.path,
        start=start,
        end=end,
        rule=rule,
        suggestion=suggestion,
        fix=fix,
    )
