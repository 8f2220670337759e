"""HTTP and transport failures as pydantic-ai's exceptions: ``ModelHTTPError`` by category,
``ModelConnectionError`` and ``ModelTimeoutError``, built with the helpers ``OpenAIChatModel``
uses, so ``failures.judge`` sees the same types and verdicts whichever transport ran.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from pydantic_ai import _model_errors
from pydantic_ai.exceptions import ModelAPIError, ModelHTTPError


def transport_error(model_name: str, exc: httpx.TransportError) -> ModelAPIError:
    message = str(exc) or type(exc).__name__
    timeout = isinstance(exc, httpx.TimeoutException)
    return _model_errors.connection_error(model_name, message, exc, timeout=timeout)


def status_error(model_name: str, status: int, response: httpx.Response) -> ModelHTTPError:
    """As OpenAIChatModel reports it: the ``error`` object as the body, categorised by its
    code and type as well as the status."""
    body: Any
    try:
        parsed = json.loads(response.content) if response.content else None
    except ValueError:
        parsed = response.text
    body = parsed.get("error", parsed) if isinstance(parsed, dict) else parsed
    code = error_type = None
    message: Any = body
    if isinstance(body, dict):
        raw_code, raw_type = body.get("code"), body.get("type")
        code = str(raw_code) if isinstance(raw_code, str | int) else None
        error_type = raw_type if isinstance(raw_type, str) else None
        message = body.get("message")
    category = _model_errors.openai_compatible_category(status, code, error_type, message)
    return ModelHTTPError.for_category(
        category,
        status_code=status,
        model_name=model_name,
        body=body,
        headers=dict(response.headers),
        provider_error_code=code,
        provider_error_type=error_type,
    )


def error_message(error: Any) -> str:
    if isinstance(error, dict) and isinstance(message := error.get("message"), str):
        return message
    return str(error)
