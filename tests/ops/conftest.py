"""Fixtures capturing the process's log output and its spans."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from brandflow.kernel.telemetry import configure_logging
from brandflow.kernel.tracing import configure_tracing


class CapturedLogs:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


@pytest.fixture
def captured_logs() -> Iterator[CapturedLogs]:
    """Logs as the running process writes them (JSON, DEBUG and up), structlog and stdlib."""
    captured = CapturedLogs()
    configure_logging("DEBUG", json=True, stream=captured.stream)
    try:
        yield captured
    finally:
        structlog.reset_defaults()
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_brandflow_handler", False)]:
            root.removeHandler(handler)
        root.setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def span_exporter() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = configure_tracing("brandflow-test", exporter=exporter)
    assert provider is not None
    return exporter


@pytest.fixture
def spans(span_exporter: InMemorySpanExporter) -> Iterator[InMemorySpanExporter]:
    span_exporter.clear()
    yield span_exporter
    span_exporter.clear()
