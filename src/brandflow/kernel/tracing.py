"""OpenTelemetry tracing: off by default, switched on by the standard ``OTEL_*`` variables.

- Nothing is exported unless ``OTEL_TRACES_EXPORTER`` (``otlp``, ``console``, a comma
  list, or ``none``) or ``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``..._TRACES_ENDPOINT`` is set.
  ``OTEL_SDK_DISABLED=true`` wins over everything. OTLP goes over HTTP/protobuf; the
  endpoint, headers, timeout, service name (``OTEL_SERVICE_NAME``), resource attributes
  and sampler (``OTEL_TRACES_SAMPLER``) are read by the SDK from their usual variables.
- HTTP server spans come from ``opentelemetry-instrumentation-fastapi`` (named by route
  template), SQL spans from ``opentelemetry-instrumentation-sqlalchemy`` on each engine.
  Both are installed only when tracing is on (an SDK tracer provider exists when the app
  is built): they cost a large share of a cheap request's CPU (ADR 0008). When tracing is
  off, ``TraceContextMiddleware`` still honours an incoming ``traceparent`` header, so log
  lines and event envelopes carry the caller's trace id.
- Event publish/consume spans are made by the messaging code with ``trace.get_tracer``.
"""

from __future__ import annotations

import os
import threading
import weakref
from typing import TYPE_CHECKING

from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from starlette.types import ASGIApp, Receive, Scope, Send

from brandflow.kernel.telemetry import get_logger

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.telemetry import TelemetryConfig
    from sqlalchemy.ext.asyncio import AsyncEngine

log = get_logger(__name__)

SERVICE_NAME = "brandflow"
# Probes and scrapes would drown the interesting traces.
EXCLUDED_URLS = r"/healthz$,/readyz$,/metrics$"

_lock = threading.Lock()
_provider: TracerProvider | None = None
_instrumented_engines: weakref.WeakSet[object] = weakref.WeakSet()


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def requested_exporters() -> list[str]:
    """Exporter names the environment asks for; empty means tracing stays off."""
    if _env_true("OTEL_SDK_DISABLED"):
        return []
    names = [
        n.strip().lower()
        for n in os.environ.get("OTEL_TRACES_EXPORTER", "").split(",")
        if n.strip()
    ]
    if not names and (
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    ):
        names = ["otlp"]
    return [n for n in names if n != "none"]


def _exporter(name: str) -> SpanExporter | None:
    if name == "otlp":
        protocol = os.environ.get(
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "")
        )
        if protocol and protocol != "http/protobuf":
            log.warning("otel_protocol_unsupported", protocol=protocol, using="http/protobuf")
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    if name == "console":
        return ConsoleSpanExporter()
    log.warning("otel_exporter_unknown", exporter=name)
    return None


def configure_tracing(
    service_name: str = SERVICE_NAME, *, exporter: SpanExporter | None = None
) -> TracerProvider | None:
    """Install the SDK tracer provider once per process, if the environment asks for one.

    ``exporter`` forces tracing on with that exporter, synchronously (tests use an
    in-memory exporter). Returns the provider, or ``None`` when tracing stays off.
    """
    global _provider
    with _lock:
        names = [] if exporter is not None else requested_exporters()
        if exporter is None and not names:
            return _provider
        provider = _provider
        if provider is None:
            current = trace.get_tracer_provider()
            if isinstance(current, TracerProvider):  # somebody (a test, a distro) set one
                provider = current
            else:
                # OTEL_SERVICE_NAME, when set, names the service instead.
                named = (
                    {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": service_name}
                )
                resource = Resource.create(named)
                provider = TracerProvider(resource=resource)
                trace.set_tracer_provider(provider)
            _provider = provider
            for name in names:
                if (span_exporter := _exporter(name)) is not None:
                    provider.add_span_processor(BatchSpanProcessor(span_exporter))
            if names:
                log.info("tracing_enabled", exporters=names)
        if exporter is not None:
            provider.add_span_processor(SimpleSpanProcessor(exporter))
        return provider


# FastAPI's native telemetry, when we export nothing: no per-request provider checks.
NATIVE_TELEMETRY_OFF: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def tracing_enabled() -> bool:
    """An SDK tracer provider is installed (ours, a test's, or a distro's)."""
    return _provider is not None or isinstance(trace.get_tracer_provider(), TracerProvider)


class TraceContextMiddleware:
    """Tracing off: continue the caller's ``traceparent`` (for logs and events), no spans."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"traceparent":
                    carrier = {"traceparent": value.decode("latin-1")}
                    for other, state in scope["headers"]:
                        if other == b"tracestate":
                            carrier["tracestate"] = state.decode("latin-1")
                    token = otel_context.attach(propagate.extract(carrier))
                    try:
                        await self.app(scope, receive, send)
                    finally:
                        otel_context.detach(token)
                    return
        await self.app(scope, receive, send)


def instrument_app(app: FastAPI) -> None:
    """HTTP server spans for every request, named ``METHOD /route/{template}``.

    Only when tracing is on; otherwise just the cheap ``traceparent`` continuation.
    """
    if not tracing_enabled():
        app.add_middleware(TraceContextMiddleware)
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    excluded = None if os.environ.get("OTEL_PYTHON_FASTAPI_EXCLUDED_URLS") else EXCLUDED_URLS
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=excluded, exclude_spans=["receive", "send"]
    )


def instrument_engine(engine: AsyncEngine) -> None:
    """SQL spans for every statement of ``engine`` (idempotent per engine), if tracing is on."""
    if not tracing_enabled():
        return
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    instrumentation_name = "opentelemetry.instrumentation.sqlalchemy"

    sync_engine = engine.sync_engine
    with _lock:
        if sync_engine in _instrumented_engines:
            return
        _instrumented_engines.add(sync_engine)
    tracer = trace.get_tracer(instrumentation_name)
    usage = metrics.get_meter(instrumentation_name).create_up_down_counter(
        name="db.client.connections.usage", unit="connections"
    )
    EngineTracer(tracer, sync_engine, usage)  # type: ignore[no-untyped-call]
