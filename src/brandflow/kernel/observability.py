"""HTTP observability: one access-log line and the RED metrics per request, plus the last
line of defence that turns any unhandled exception into a problem+json 500.

Labels use the route *template* (``/api/v1/workspaces/{workspace_id}/campaigns``), read
from ``scope["route"]`` after routing, never the raw path: ids would explode the series.
"""

from __future__ import annotations

import os
import time
import weakref
from typing import Any

from fastapi.routing import iter_route_contexts
from opentelemetry import trace
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from brandflow.kernel.context import request_id_var
from brandflow.kernel.errors import AppError, problem_response
from brandflow.kernel.metrics import HTTP_DURATION, HTTP_REQUESTS
from brandflow.kernel.telemetry import get_logger

log = get_logger("brandflow.access")
error_log = get_logger("brandflow.errors")

UNMATCHED_ROUTE = "<unmatched>"
# Probes and scrapes log at debug level: they would drown everything else.
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST

_TEMPLATES: weakref.WeakKeyDictionary[Any, dict[int, str]] = weakref.WeakKeyDictionary()


def _templates(app: Any, *, refresh: bool = False) -> dict[int, str]:
    """Full path template of every route object, prefixes of included routers applied.

    Since FastAPI 0.137 ``scope["route"]`` is the route as declared in its own router
    (``/workspaces/{workspace_id}``); the template the client called includes the
    prefixes, which ``iter_route_contexts`` knows.
    """
    cached = _TEMPLATES.get(app)
    if cached is not None and not refresh:
        return cached
    templates: dict[int, str] = {}
    for context in iter_route_contexts(getattr(app, "routes", ())):
        if isinstance(path := context.path, str):
            templates.setdefault(id(context.original_route), path)
    _TEMPLATES[app] = templates
    return templates


def route_template(scope: Scope) -> str:
    """The template of the route that handled (or would handle) this request."""
    app = scope.get("app")
    route = scope.get("route")
    if route is not None and app is not None:
        templates = _templates(app)
        if id(route) not in templates:
            templates = _templates(app, refresh=True)
        if (path := templates.get(id(route))) is not None:
            return path
    if route is not None and isinstance(path := getattr(route, "path", None), str):
        return path
    # Answered before routing (e.g. 413 by Content-Length): find the route ourselves.
    partial: str | None = None
    for context in iter_route_contexts(getattr(app, "routes", ())):
        match, _ = context.matches(scope)
        if match is Match.FULL and isinstance(context.path, str):
            return context.path
        if match is Match.PARTIAL and partial is None and isinstance(context.path, str):
            partial = context.path
    return partial or UNMATCHED_ROUTE


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class ObservabilityMiddleware:
    """Pure ASGI: access log, ``HTTP_REQUESTS`` / ``HTTP_DURATION`` and the 500 safety net.

    Sits inside ``RequestContextMiddleware`` (so the request id, actor and workspace are
    still bound when the access line is written) and inside the OpenTelemetry middleware
    (so the line carries the trace id).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        response_started = False

        async def observed_send(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = int(message["status"])
                response_started = True
            await send(message)

        if (request_id := request_id_var.get()) is not None:
            trace.get_current_span().set_attribute("brandflow.request_id", request_id)
        try:
            await self.app(scope, receive, observed_send)
        except Exception as exc:
            error_log.error(
                "unhandled_error",
                method=scope.get("method"),
                route=route_template(scope),
                exc_info=exc,
            )
            if response_started:
                raise  # too late for a problem document: let the server drop the connection
            error = AppError(
                "An unexpected error occurred. Quote the X-Request-ID when reporting it."
            )
            await problem_response(error, scope.get("path"))(scope, receive, observed_send)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float) -> None:
        route = route_template(scope)
        method = str(scope.get("method", ""))
        HTTP_REQUESTS.labels(route=route, method=method, status=status_class(status)).inc()
        HTTP_DURATION.labels(route=route, method=method).observe(seconds)
        fields: dict[str, Any] = {
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        }
        if route in QUIET_ROUTES:
            log.debug("request", **fields)
        else:
            log.info("request", **fields)


def metrics_registry() -> CollectorRegistry:
    """This process's registry, or every worker's when ``PROMETHEUS_MULTIPROC_DIR`` is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def render_metrics() -> bytes:
    return generate_latest(metrics_registry())
