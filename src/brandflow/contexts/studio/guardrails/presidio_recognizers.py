"""presidio's pattern recognizers, with no NLP engine, no spaCy model and no network.

We call each recognizer's ``analyze`` directly instead of going through ``AnalyzerEngine``:
the engine insists on an NLP engine, and its default loads a spaCy model. Importing
presidio still imports the spaCy *library* (about 4 s), so ``pii.py`` imports this module
on first use only.
"""

from __future__ import annotations

from collections.abc import Sequence

import tldextract
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import (
    CryptoRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    MacAddressRecognizer,
    UkNinoRecognizer,
    UsSsnRecognizer,
)

# presidio validates an email's domain with tldextract's module-level extractor, which
# downloads the public suffix list on first use. Ours reads the list bundled in the wheel,
# and also accepts the reserved example/test domains (RFC 2606) that demo data uses.
_DOMAINS = tldextract.TLDExtract(
    suffix_list_urls=(),
    cache_dir=None,
    fallback_to_snapshot=True,
    extra_suffixes=("example", "test", "invalid", "localhost"),
)


class OfflineEmailRecognizer(EmailRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return _DOMAINS(pattern_text).fqdn != ""


def _url_credentials_recognizer() -> PatternRecognizer:
    """``scheme://user:password@host``: a secret in a link, taken whole with its host."""
    pattern = Pattern(
        "URL with user and password",
        r"\b[a-z][a-z0-9+.\-]*://[^\s/?#@:]+:[^\s/?#@]+@[^\s/?#:]+",
        0.8,
    )
    return PatternRecognizer(supported_entity="URL_CREDENTIALS", patterns=[pattern])


def build() -> tuple[PatternRecognizer, ...]:
    """One instance of each; they compile their patterns on first use and are reusable."""
    return (
        OfflineEmailRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        MacAddressRecognizer(),
        CryptoRecognizer(),
        UsSsnRecognizer(),
        UkNinoRecognizer(),
        _url_credentials_recognizer(),
    )


def analyze(recognizers: Sequence[PatternRecognizer], text: str) -> list[RecognizerResult]:
    results: list[RecognizerResult] = []
    for recognizer in recognizers:
        results.extend(recognizer.analyze(text, recognizer.supported_entities))
    return results
