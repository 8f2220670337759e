"""Traces: an HTTP server span and its SQL spans share one trace, and so do the logs."""

from __future__ import annotations

import uuid

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from brandflow.kernel.tracing import requested_exporters
from tests.conftest import login
from tests.ops.conftest import CapturedLogs

TEMPLATE = "/api/v1/workspaces/{workspace_id}/campaigns"


async def test_request_sql_and_logs_share_one_trace(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    spans: InMemorySpanExporter,
    captured_logs: CapturedLogs,
) -> None:
    headers = await login(app_client, "strategist@northwind.example")
    spans.clear()
    response = await app_client.get(
        f"/api/v1/workspaces/{demo['acme-running']}/campaigns",
        headers={**headers, "X-Request-ID": "trace-test-00001"},
    )
    assert response.status_code == 200, response.text

    finished = spans.get_finished_spans()
    servers = [s for s in finished if s.kind is SpanKind.SERVER]
    assert len(servers) == 1, [s.name for s in finished]
    server = servers[0]
    assert server.name == f"GET {TEMPLATE}"
    assert server.attributes is not None
    assert server.attributes.get("http.route") == TEMPLATE
    assert server.attributes.get("brandflow.request_id") == "trace-test-00001"
    trace_id = server.context.trace_id

    sql = [
        s
        for s in finished
        if s.kind is SpanKind.CLIENT
        and s.attributes
        and s.attributes.get("db.system") == "postgresql"
    ]
    assert sql, [s.name for s in finished]
    assert {s.context.trace_id for s in sql} == {trace_id}
    assert any("campaigns" in str((s.attributes or {}).get("db.statement", "")) for s in sql)

    lines = [x for x in captured_logs.lines() if x.get("request_id") == "trace-test-00001"]
    assert lines, captured_logs.text
    assert {line["trace_id"] for line in lines} == {format(trace_id, "032x")}


async def test_an_incoming_traceparent_is_continued(
    app_client: httpx.AsyncClient, spans: InMemorySpanExporter, captured_logs: CapturedLogs
) -> None:
    trace_id = uuid.uuid4().hex
    response = await app_client.get(
        "/api/v1/me",
        headers={
            "traceparent": f"00-{trace_id}-{'1' * 16}-01",
            "X-Request-ID": "trace-test-00002",
        },
    )
    assert response.status_code == 401
    server = next(s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER)
    assert format(server.context.trace_id, "032x") == trace_id
    line = next(x for x in captured_logs.lines() if x.get("request_id") == "trace-test-00002")
    assert line["trace_id"] == trace_id


async def test_probes_are_not_traced(
    app_client: httpx.AsyncClient, spans: InMemorySpanExporter
) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        assert (await app_client.get(path)).status_code == 200
    assert not [s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER]


def test_exporters_are_off_unless_the_environment_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "OTEL_SDK_DISABLED",
        "OTEL_TRACES_EXPORTER",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    ):
        monkeypatch.delenv(name, raising=False)
    assert requested_exporters() == []
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    assert requested_exporters() == ["otlp"]
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "console, otlp")
    assert requested_exporters() == ["console", "otlp"]
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    assert requested_exporters() == []
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert requested_exporters() == []
