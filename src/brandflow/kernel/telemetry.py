"""Logs and trace-context propagation shared by the HTTP and worker processes.

Every log line is one JSON object on stderr: structlog's own loggers and the stdlib
loggers of uvicorn, SQLAlchemy and FastStream alike (through ``ProcessorFormatter``).
Each line carries the request id, trace and span ids, workspace and actor when known.
Secrets never reach a line: values under secret-looking keys are replaced, and bearer
tokens and JWTs inside free text are masked, whoever logs them.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any, TextIO

import structlog
from opentelemetry import propagate, trace

from brandflow.kernel.context import actor_var, request_id_var, workspace_id_var

# Keys whose values never reach a log line, whatever code logs them. A key matches when
# it contains one of these words (``refresh_token``, ``db_password``, ``X-Api-Key``...).
SECRET_KEY_PARTS = (
    "password",
    "passwd",
    "token",
    "secret",
    "authorization",
    "api_key",
    "apikey",
    "api-key",
    "cookie",
    "credential",
)
REDACTED = "[redacted]"

# Secrets hidden in free text: bearer credentials, JWTs, URL passwords.
_SECRET_TEXT = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]+):[^@/\s]+@"), r"\1:" + REDACTED + "@"),
    # key=value / key: value pairs whose key looks secret, e.g. "refresh_token=abc".
    (
        re.compile(
            r"(?i)\b([\w-]*(?:password|passwd|token|secret|api[_-]?key)[\w-]*)"
            r"(\s*[=:]\s*)([\"']?)(?!\[redacted\])[^\s\"',;&]+"
        ),
        r"\1\2\3" + REDACTED,
    ),
)

# Loggers of libraries whose records must go through our formatter, never their own.
_LIBRARY_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy", "faststream")
_HANDLER_MARK = "_brandflow_handler"


def current_trace_context() -> dict[str, str]:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def extract_trace_context(carrier: Mapping[str, str]) -> Any:
    return propagate.extract(dict(carrier))


def current_trace_id() -> str | None:
    span = trace.get_current_span().get_span_context()
    return format(span.trace_id, "032x") if span.is_valid else None


def _add_context(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    if (request_id := request_id_var.get()) is not None:
        event_dict.setdefault("request_id", request_id)
    if (workspace_id := workspace_id_var.get()) is not None:
        event_dict.setdefault("workspace_id", str(workspace_id))
    if (actor := actor_var.get()) is not None:
        event_dict.setdefault("actor", f"{actor.type}:{actor.id}")
    span = trace.get_current_span().get_span_context()
    if span.is_valid:
        event_dict.setdefault("trace_id", format(span.trace_id, "032x"))
        event_dict.setdefault("span_id", format(span.span_id, "016x"))
    return event_dict


def is_secret_key(key: object) -> bool:
    lowered = str(key).lower()
    return any(part in lowered for part in SECRET_KEY_PARTS)


def scrub_text(text: str) -> str:
    for pattern, replacement in _SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


def _redact(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: REDACTED if is_secret_key(k) else _redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def _redact_secrets(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # Keys structlog and the stdlib bridge use for their own bookkeeping stay untouched.
    return {
        k: v if k.startswith("_") else (REDACTED if is_secret_key(k) else _redact(v))
        for k, v in event_dict.items()
    }


def _scrub_rendered(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> Any:
    """After ``format_exc_info``: tracebacks are text too and may quote a secret."""
    for key in ("exception", "stack"):
        if isinstance(event_dict.get(key), str):
            event_dict[key] = scrub_text(event_dict[key])
    return event_dict


def _add_stdlib_logger_name(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Name stdlib records under the same key as our own loggers (``logger_name``)."""
    if (record := event_dict.get("_record")) is not None:
        event_dict["logger_name"] = record.name
    return event_dict


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_context,
        _redact_secrets,
    ]


def configure_logging(
    level: str = "INFO", *, json: bool = True, stream: TextIO | None = None
) -> None:
    """Configure structlog and route stdlib logging through the same renderer.

    Safe to call more than once (tests do, with ``stream`` set to capture the output).
    """
    stream = stream or sys.stderr
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    numeric_level = logging.getLevelName(level.upper())
    if not isinstance(numeric_level, int):
        numeric_level = logging.INFO
    structlog.configure(
        processors=[
            *_shared_processors(),
            structlog.processors.format_exc_info,
            _scrub_rendered,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )

    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[_add_stdlib_logger_name, *_shared_processors()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            _scrub_rendered,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric_level)
    for name in _LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
    # SQL statements and their parameters stay out of the logs (traces carry the SQL).
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    logging.getLogger("sqlalchemy.pool").setLevel(logging.WARNING)
    # Our access-log middleware replaces uvicorn's.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name, logger_name=name)  # type: ignore[no-any-return]
