"""The exact-response cache key: the same request to the same model is not paid twice.

The key is the SHA-256 of a canonical JSON document (sorted keys, no spaces, NFC text) of
provider, model, messages, parameters and output schema, so any difference in what would be
sent, down to one character or one parameter, is another key. Entries are scoped by
workspace (one tenant never reads another's answers).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from typing import Any

KEY_VERSION = "v1"  # bump when the canonical form changes: old entries stop matching


def _canonical(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        return {_canonical(str(k)): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    raise TypeError(f"cannot key a {type(value).__name__}: pass JSON data")


def cache_key(
    provider: str,
    model: str,
    messages: Any,
    params: Mapping[str, Any] | None = None,
    output_schema: Mapping[str, Any] | None = None,
) -> str:
    """Hex SHA-256 of the normalized request. ``messages`` and the rest must be JSON data."""
    document = {
        "v": KEY_VERSION,
        "provider": provider.strip().lower(),
        "model": model.strip(),
        "messages": _canonical(messages),
        "params": _canonical(dict(params or {})),
        "output_schema": _canonical(output_schema) if output_schema is not None else None,
    }
    encoded = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(encoded.encode()).hexdigest()
