"""Prometheus metrics. Defined once here; recorded where the work happens.

Values live in the memory of each process. Run several uvicorn workers with
``PROMETHEUS_MULTIPROC_DIR`` set (an empty, writable directory per deployment) and
``/metrics`` aggregates every worker's files; the gauges below say how (``multiprocess_mode``).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

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

# Read from the database at scrape time by GET /metrics (the same figure in every process).
OUTBOX_BACKLOG = Gauge(
    "brandflow_outbox_backlog",
    "Outbox events not yet published",
    multiprocess_mode="mostrecent",
)
OUTBOX_OLDEST_AGE = Gauge(
    "brandflow_outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox event (0 when the outbox is empty)",
    multiprocess_mode="mostrecent",
)
DEAD_LETTERS = Gauge(
    "brandflow_dead_letters",
    "Events parked in the dead-letter store, by consumer",
    ["consumer"],
    multiprocess_mode="mostrecent",
)
DATABASE_UP = Gauge(
    "brandflow_database_up",
    "1 when the last scrape could query the database, else 0",
    multiprocess_mode="mostrecent",
)
# The connection pool of this process (summed over live processes in multiprocess mode).
DB_POOL_SIZE = Gauge(
    "brandflow_db_pool_size", "Configured connection pool size", multiprocess_mode="livesum"
)
DB_POOL_CHECKED_OUT = Gauge(
    "brandflow_db_pool_checked_out",
    "Database connections in use",
    multiprocess_mode="livesum",
)
DB_POOL_OVERFLOW = Gauge(
    "brandflow_db_pool_overflow",
    "Connections opened beyond the pool size (negative: pool not yet full)",
    multiprocess_mode="livesum",
)
KNOWLEDGE_INGEST_SECONDS = Histogram(
    "brandflow_knowledge_ingest_seconds",
    "Time to read, parse, chunk, embed and index one knowledge document, by outcome",
    ["outcome"],
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600),
)
KNOWLEDGE_CHUNKS_EMBEDDED = Counter(
    "brandflow_knowledge_chunks_embedded_total",
    "Chunks embedded by ingestion or re-embedding, by model",
    ["model"],
)
