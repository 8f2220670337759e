"""FastAPI application factory: middleware, routers, error handlers, lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.routing import APIRoute

from brandflow.bootstrap import Container, build_container
from brandflow.contexts.audit.api import router as audit_router
from brandflow.contexts.brand_kit.api import router as brand_kit_router
from brandflow.contexts.campaigns.api import router as campaigns_router
from brandflow.contexts.content.api import router as content_router
from brandflow.contexts.finops.api import router as finops_router
from brandflow.contexts.identity.api import auth_router
from brandflow.contexts.identity.api import router as identity_router
from brandflow.contexts.knowledge.api import router as knowledge_router
from brandflow.contexts.knowledge.public import UPLOAD_PATH_PATTERN
from brandflow.contexts.studio.api import router as studio_router
from brandflow.contexts.studio.checking.api import router as studio_checking_router
from brandflow.contexts.studio.settings.api import router as studio_settings_router
from brandflow.contracts import install_problem_contract
from brandflow.kernel.cache import CachedGetMiddleware
from brandflow.kernel.idempotency import IdempotencyMiddleware
from brandflow.kernel.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from brandflow.kernel.observability import ObservabilityMiddleware
from brandflow.kernel.problems import install_problem_handlers
from brandflow.kernel.tracing import (
    NATIVE_TELEMETRY_OFF,
    configure_tracing,
    instrument_app,
    tracing_enabled,
)
from brandflow.ops.api import router as ops_router
from brandflow.settings import Settings, get_settings
from brandflow.webapp import mount_web_app

API_PREFIX = "/api/v1"


def _operation_id(route: APIRoute) -> str:
    return route.name  # overridden per route by explicit operation_id


def api_router() -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth_router)
    api.include_router(identity_router)
    api.include_router(campaigns_router)
    api.include_router(audit_router)
    api.include_router(content_router)
    api.include_router(brand_kit_router)
    api.include_router(knowledge_router)
    api.include_router(finops_router)
    api.include_router(studio_settings_router)
    api.include_router(studio_checking_router)
    api.include_router(studio_router)
    return api


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_tracing()  # no-op unless OTEL_* variables ask for an exporter

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = container is None
        c = container or await build_container(settings)
        c.attach(app)  # also instruments its engine for SQL spans
        await c.start_background()
        try:
            yield
        finally:
            await c.stop_background()
            if owned:
                await c.close()

    app = FastAPI(
        title="Brandflow API",
        version="1.0.0",
        summary="Campaigns, content and brand knowledge for agencies and their client brands.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        # Tracing off: FastAPI's own per-request telemetry checks are skipped too (ADR 0008).
        telemetry=None if tracing_enabled() else NATIVE_TELEMETRY_OFF,
    )
    install_problem_handlers(app)
    install_problem_contract(app)  # errors documented as problem+json only
    app.include_router(api_router())
    app.include_router(ops_router)
    mount_web_app(app, settings.web_dist_dir)  # answers what no route matches
    app.add_middleware(CachedGetMiddleware)  # innermost: cached GET pages (ADR 0008)
    app.add_middleware(IdempotencyMiddleware)  # runs after the body limit
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        # An upload may be as large as the file limit plus the multipart envelope.
        larger=[(UPLOAD_PATH_PATTERN, settings.knowledge_max_upload_bytes + 64 * 1024)],
    )
    app.add_middleware(ObservabilityMiddleware)  # access log, metrics, the 500 safety net
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # web assets and large JSON pages
    app.add_middleware(RequestContextMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "X-Request-ID",
                "X-CSRF-Token",
            ],
            expose_headers=[
                "ETag",
                "Location",
                "X-Request-ID",
                "Idempotent-Replayed",
                "Retry-After",
            ],
        )
    instrument_app(app)  # OpenTelemetry server spans, outermost
    return app
