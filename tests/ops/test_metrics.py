"""Prometheus /metrics: route templates, never raw ids; outbox, dead letters and the pool."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from brandflow.bootstrap import Container
from brandflow.kernel.db import utcnow
from brandflow.kernel.messaging.retries import DeliveryFailure
from brandflow.kernel.outbox import OutboxMessage
from tests.conftest import login

CAMPAIGNS_TEMPLATE = "/api/v1/workspaces/{workspace_id}/campaigns"


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one series in the exposition text, or None when absent."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        series, _, value = line.rpartition(" ")
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', series))
        if series.split("{")[0] == name and all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return None


async def test_metrics_label_requests_by_route_template(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]
) -> None:
    headers = await login(app_client, "strategist@northwind.example")
    url = f"/api/v1/workspaces/{demo['acme-running']}/campaigns"
    before = (await app_client.get("/metrics")).text
    for _ in range(3):
        assert (await app_client.get(url, headers=headers)).status_code == 200
    assert (await app_client.get(url)).status_code == 401
    assert (
        await app_client.get(f"/api/v1/workspaces/{uuid.uuid4()}/nothing-here")
    ).status_code == 404

    response = await app_client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text

    def grew(name: str, by: float, **labels: str) -> None:
        old = sample(before, name, **labels) or 0.0
        new = sample(text, name, **labels)
        assert new is not None, f"{name} {labels} missing"
        assert new - old == by, (name, labels, old, new)

    labels = {"route": CAMPAIGNS_TEMPLATE, "method": "GET"}
    grew("brandflow_http_requests_total", 3, **labels, status="2xx")
    grew("brandflow_http_requests_total", 1, **labels, status="4xx")
    grew("brandflow_http_request_duration_seconds_count", 4, **labels)
    grew("brandflow_http_requests_total", 1, route="<unmatched>", method="GET", status="4xx")
    # Raw ids never become label values.
    assert str(demo["acme-running"]) not in text
    assert "nothing-here" not in text


async def test_metrics_are_not_in_the_openapi_document(app_client: httpx.AsyncClient) -> None:
    paths = (await app_client.get("/api/v1/openapi.json")).json()["paths"]
    assert not {"/metrics", "/healthz", "/readyz"} & set(paths)


async def test_outbox_and_dead_letter_gauges_are_read_at_scrape_time(
    app_client: httpx.AsyncClient, container: Container, demo: dict[str, uuid.UUID]
) -> None:
    # The seed recorded events; the relay is off in tests, so they wait in the outbox.
    async with container.sessionmaker() as session, session.begin():
        await session.execute(
            update(OutboxMessage).values(
                published_at=None, created_at=utcnow() - timedelta(minutes=10)
            )
        )
    async with container.sessionmaker() as session:
        pending = await session.scalar(select(OutboxMessage.id).limit(1))
    assert pending is not None, "the seed should have written outbox rows"

    text = (await app_client.get("/metrics")).text
    backlog = sample(text, "brandflow_outbox_backlog")
    assert backlog is not None
    assert backlog > 0
    age = sample(text, "brandflow_outbox_oldest_age_seconds")
    assert age is not None
    assert age >= 600
    assert sample(text, "brandflow_database_up") == 1.0
    assert sample(text, "brandflow_db_pool_size") == container.settings.db_pool_size
    assert sample(text, "brandflow_db_pool_checked_out") is not None

    # Park one event for a consumer: the dead-letter gauge counts it.
    async with container.sessionmaker() as session, session.begin():
        session.add(
            DeliveryFailure(
                consumer="test.consumer",
                event_id=uuid.uuid4(),
                event_type="test.happened",
                envelope={},
                attempts=5,
                last_error="boom",
                dead_at=utcnow(),
            )
        )
        await session.execute(update(OutboxMessage).values(published_at=utcnow()))
    text = (await app_client.get("/metrics")).text
    assert sample(text, "brandflow_dead_letters", consumer="test.consumer") == 1.0
    assert sample(text, "brandflow_outbox_backlog") == 0.0
    assert sample(text, "brandflow_outbox_oldest_age_seconds") == 0.0
    for counter in ("brandflow_events_delivered_total", "brandflow_events_failed_total"):
        assert f"# TYPE {counter} counter" in text
