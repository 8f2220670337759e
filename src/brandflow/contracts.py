"""Contract documents generated from code: OpenAPI for HTTP, AsyncAPI for events."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from brandflow.kernel.errors import PROBLEM_MEDIA_TYPE, Problem
from brandflow.settings import Settings

REF_PREFIX = "#/components/schemas/"
PROBLEM_REF = REF_PREFIX + "Problem"
# FastAPI's own 422 body, which our handlers never send (they answer problem+json).
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def problem_contract(document: dict[str, Any]) -> dict[str, Any]:
    """Every 4xx/5xx response declares only ``application/problem+json`` with ``Problem``.

    FastAPI puts an additional response's ``model`` under the route's media type
    (``application/json``) and adds a default 422 with ``HTTPValidationError``; neither is
    what the API sends. Idempotent: rewriting an already rewritten document changes nothing.
    """
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for code, response in operation.get("responses", {}).items():
                if str(code)[:1] not in {"4", "5"}:
                    continue
                declared = response.get("content", {}).get(PROBLEM_MEDIA_TYPE, {})
                response["content"] = {
                    PROBLEM_MEDIA_TYPE: {**declared, "schema": {"$ref": PROBLEM_REF}}
                }
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    if "Problem" not in schemas:
        generated = Problem.model_json_schema(ref_template=REF_PREFIX + "{model}")
        schemas.update(generated.pop("$defs", {}))
        schemas["Problem"] = generated
    for name in _FASTAPI_VALIDATION_SCHEMAS:  # HTTPValidationError first: it refers to the other
        others = {k: v for k, v in schemas.items() if k != name}
        if name in schemas and f'"{REF_PREFIX}{name}"' not in json.dumps(
            [document["paths"], others]
        ):
            del schemas[name]
    return document


IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes a create safe to retry: the same key with the same body replays the first "
        "answer (`Idempotent-Replayed: true`) and creates nothing more; the same key with "
        "another body is refused. Keys live 24 hours, per caller."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}
# What the idempotency middleware itself may answer: a malformed key (400), the first request
# still running or its answer withheld (409), the key reused with another body (422).
IDEMPOTENCY_ERRORS = {
    "400": "Bad Request",
    "409": "Conflict",
    "422": "Unprocessable Content",
}


def idempotency_contract(document: dict[str, Any]) -> dict[str, Any]:
    """Declare the ``Idempotency-Key`` header on every POST that creates something: a resource
    (201) or a job (202). The middleware honours the key on every POST; these are the ones a
    client retries."""
    for item in document.get("paths", {}).values():
        operation = item.get("post")
        if not isinstance(operation, dict):
            continue
        if not {"201", "202"} & set(operation.get("responses", {})):
            continue
        parameters = operation.setdefault("parameters", [])
        if not any(p.get("name") == IDEMPOTENCY_HEADER["name"] for p in parameters):
            parameters.append(dict(IDEMPOTENCY_HEADER))
        responses = operation["responses"]
        for code, description in IDEMPOTENCY_ERRORS.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
                },
            )
    return document


def install_problem_contract(app: FastAPI) -> None:
    """Serve (and export) the OpenAPI document with the problem and idempotency contracts."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        return idempotency_contract(problem_contract(generate()))

    app.openapi = openapi  # type: ignore[method-assign]


def openapi_document() -> dict[str, Any]:
    from brandflow.app import create_app

    return create_app(Settings()).openapi()


def asyncapi_document() -> dict[str, Any]:
    from brandflow.kernel.asyncapi import build_asyncapi

    return build_asyncapi()
