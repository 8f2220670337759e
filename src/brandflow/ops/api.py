"""Operational endpoints: liveness, readiness and Prometheus metrics (none in the OpenAPI)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from brandflow.kernel.observability import METRICS_CONTENT_TYPE, render_metrics
from brandflow.ops.metrics import refresh_gauges
from brandflow.ops.readiness import readiness

router = APIRouter(tags=["ops"])


@router.get("/healthz", operation_id="ops_healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    """The process is up. Touches nothing else on purpose."""
    return {"status": "ok"}


@router.get("/readyz", operation_id="ops_readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    """Ready to serve: database reachable, migrations current, broker reachable if configured."""
    checks = await readiness(request.app.state.container)
    ok = all(c["ok"] for c in checks.values())
    return JSONResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks},
        status_code=200 if ok else 503,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/metrics", operation_id="ops_metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus exposition format. Database-derived gauges are computed per scrape."""
    await refresh_gauges(request.app.state.container)
    return Response(render_metrics(), media_type=METRICS_CONTENT_TYPE)
