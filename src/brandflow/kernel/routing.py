"""The route class every API router uses: input checks that no schema can express alone."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Coroutine, Iterator
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

NUL = "\x00"
_NUL_MESSAGE = "Text must not contain the NUL character (U+0000)."


def _nul_locations(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if NUL in value:
            yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield (*loc, str(key))
            yield from _nul_locations(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_locations(item, (*loc, index))


async def _nul_errors(request: Request) -> list[dict[str, Any]]:
    """PostgreSQL text cannot hold NUL; refuse it at the edge as a field error, not a 500."""
    locations: list[tuple[str | int, ...]] = [
        ("query", key)
        for key, value in request.query_params.multi_items()
        if NUL in key or NUL in value
    ]
    if request.method in {"POST", "PUT", "PATCH"}:
        content_type = request.headers.get("content-type", "")
        if "multipart/form-data" in content_type:
            # Parsed once (Starlette caches it for FastAPI); files are spooled, not read here.
            form = await request.form()
            locations.extend(
                ("body", key)
                for key, value in form.multi_items()
                if NUL in key or (isinstance(value, str) and NUL in value)
            )
            for key, value in form.multi_items():
                if isinstance(value, str) and value.lstrip().startswith("{"):
                    with contextlib.suppress(ValueError):  # a JSON field such as metadata
                        locations.extend(_nul_locations(json.loads(value), ("body", key)))
            return _nul_field_errors(locations)
        body = await request.body()  # cached by Starlette; FastAPI reads it again for free
        if b"\\u0000" in body and "json" in content_type:
            with contextlib.suppress(ValueError):  # malformed JSON: FastAPI answers that
                locations.extend(_nul_locations(json.loads(body), ("body",)))
        elif b"%00" in body and "form-urlencoded" in content_type:
            pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
            locations.extend(("body", k) for k, v in pairs if NUL in k or NUL in v)
    return _nul_field_errors(locations)


def _nul_field_errors(locations: list[tuple[str | int, ...]]) -> list[dict[str, Any]]:
    return [{"loc": loc, "msg": _NUL_MESSAGE, "type": "string_nul_character"} for loc in locations]


class CheckedRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            if errors := await _nul_errors(request):
                raise RequestValidationError(errors)
            return await handler(request)

        return checked
