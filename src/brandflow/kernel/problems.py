"""Exception handlers: every error leaves as RFC 9457 problem+json, never as a stack trace."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from brandflow.kernel.errors import (
    AppError,
    FieldError,
    Unprocessable,
    problem_response,
)
from brandflow.kernel.telemetry import get_logger

log = get_logger(__name__)

_HTTP_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Permission denied"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


class _HTTPProblem(AppError):
    pass


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> Response:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            FieldError(
                loc=[p for p in e.get("loc", ()) if isinstance(p, str | int)],
                msg=str(e.get("msg", "")),
                type=str(e.get("type", "")),
            )
            for e in exc.errors()
        ]
        error = Unprocessable(
            "; ".join(f"{'.'.join(map(str, fe.loc))}: {fe.msg}" for fe in errors[:5]),
            errors=[fe.model_dump() for fe in errors],
        )
        return problem_response(error, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, title = _HTTP_TITLES.get(exc.status_code, ("http-error", "HTTP error"))
        error = _HTTPProblem(str(exc.detail) if exc.detail else title)
        error.status = exc.status_code  # type: ignore[misc]
        error.code = code  # type: ignore[misc]
        error.title = title  # type: ignore[misc]
        if exc.headers:
            error.headers.update(exc.headers)
        return problem_response(error, request.url.path)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled_error", path=request.url.path, exc_info=exc)
        return problem_response(
            AppError("An unexpected error occurred. Quote the X-Request-ID when reporting it."),
            request.url.path,
        )
