"""Span capture for the event tests (the same in-memory exporter the ops tests use)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from brandflow.kernel.tracing import configure_tracing


@pytest.fixture(scope="session")
def event_span_exporter() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    assert configure_tracing("brandflow-test", exporter=exporter) is not None
    return exporter


@pytest.fixture
def event_spans(event_span_exporter: InMemorySpanExporter) -> Iterator[InMemorySpanExporter]:
    event_span_exporter.clear()
    yield event_span_exporter
    event_span_exporter.clear()
