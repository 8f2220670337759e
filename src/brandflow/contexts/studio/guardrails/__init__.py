"""Guardrails before the model: PII redaction, card refusal, injection flags, quoted sources.

Everything here is pure (no I/O) and CPU-bound: run it in a worker thread from async code.
"""

from brandflow.contexts.studio.guardrails.cards import (
    PaymentCardRefused,
    find_payment_cards,
    refuse_payment_cards,
)
from brandflow.contexts.studio.guardrails.findings import PiiEntity, PiiFinding
from brandflow.contexts.studio.guardrails.injection import (
    InjectionFlag,
    InjectionKind,
    screen_for_injection,
)
from brandflow.contexts.studio.guardrails.phones import DEFAULT_PHONE_REGIONS
from brandflow.contexts.studio.guardrails.pii import find_pii, warm_up
from brandflow.contexts.studio.guardrails.quoting import QuotedSource, QuotedSources, quote_sources
from brandflow.contexts.studio.guardrails.redaction import (
    PlaceholderAudit,
    Redaction,
    StreamingRestorer,
    audit_placeholders,
    redact,
    restore,
)

__all__ = [
    "DEFAULT_PHONE_REGIONS",
    "InjectionFlag",
    "InjectionKind",
    "PaymentCardRefused",
    "PiiEntity",
    "PiiFinding",
    "PlaceholderAudit",
    "QuotedSource",
    "QuotedSources",
    "Redaction",
    "StreamingRestorer",
    "audit_placeholders",
    "find_payment_cards",
    "find_pii",
    "quote_sources",
    "redact",
    "refuse_payment_cards",
    "restore",
    "screen_for_injection",
    "warm_up",
]
