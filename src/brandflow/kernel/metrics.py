"""Prometheus metrics. Defined once here; recorded where the work happens."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter(
    "brandflow_http_requests_total",
    "HTTP requests by route template, method and status class",
    ["route", "method", "status"],
)
HTTP_DURATION = Histogram(
    "brandflow_http_request_duration_seconds",
    "HTTP request duration by route template",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
EVENTS_PUBLISHED = Counter(
    "brandflow_events_published_total", "Events the relay handed to the transport", ["type"]
)
EVENTS_DELIVERED = Counter(
    "brandflow_events_delivered_total", "Events a consumer processed successfully", ["consumer"]
)
EVENTS_FAILED = Counter(
    "brandflow_events_failed_total", "Failed consumer attempts (each retry counts)", ["consumer"]
)
EVENTS_DEAD_LETTERED = Counter(
    "brandflow_events_dead_lettered_total", "Events parked after the last retry", ["consumer"]
)
