"""The HTTP contract: OpenAPI 3.1 served, committed, named and with declared problems."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from brandflow.contracts import openapi_document
from tests.api.routes import PUBLIC_ROUTES, operations, routes

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "openapi" / "v1.json"
OPENAPI_URL = "/api/v1/openapi.json"
PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"
OPERATION_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


async def served(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get(OPENAPI_URL)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    document: dict[str, Any] = response.json()
    return document


def _differences(a: Any, b: Any, where: str = "$", limit: int = 10) -> list[str]:
    """Where two JSON values differ (first ``limit`` places), for a readable failure."""
    if type(a) is not type(b):
        return [f"{where}: {type(a).__name__} != {type(b).__name__}"]
    if isinstance(a, dict):
        out = [f"{where}.{k}: only in the code" for k in sorted(a.keys() - b.keys())]
        out += [f"{where}.{k}: only in openapi/v1.json" for k in sorted(b.keys() - a.keys())]
        for key in sorted(a.keys() & b.keys()):
            if len(out) >= limit:
                break
            out += _differences(a[key], b[key], f"{where}.{key}", limit - len(out))
        return out[:limit]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)} items"]
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += _differences(x, y, f"{where}[{i}]", limit - len(out))
            if len(out) >= limit:
                break
        return out
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


async def test_openapi_3_1_is_served(app_client: httpx.AsyncClient) -> None:
    document = await served(app_client)
    assert document["openapi"].startswith("3.1."), document["openapi"]
    assert document["paths"], "no operations documented"


async def test_committed_contract_matches_the_code(app_client: httpx.AsyncClient) -> None:
    assert COMMITTED.exists(), (
        "openapi/v1.json is missing: run `make contracts` and commit the file "
        "(the web client is generated from it)"
    )
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    document = await served(app_client)
    differences = _differences(document, committed)
    assert not differences, (
        "openapi/v1.json is stale: run `make contracts` and commit the result. "
        "First differences (code vs file):\n  " + "\n  ".join(differences)
    )


async def test_exported_contract_is_the_served_one(app_client: httpx.AsyncClient) -> None:
    """`make contracts` writes `openapi_document()`: it must be what the app serves."""
    differences = _differences(await served(app_client), openapi_document())
    assert not differences, "\n".join(differences)


def test_every_operation_has_an_explicit_unique_tagged_operation_id() -> None:
    problems: list[str] = []
    seen: dict[str, str] = {}
    for method, path, op in operations():
        where = f"{method} {path}"
        op_id = op.get("operationId")
        if not op_id:
            problems.append(f"{where}: no operationId")
            continue
        if op_id in seen:
            problems.append(f"{where}: operationId {op_id} also used by {seen[op_id]}")
        seen[op_id] = where
        if not OPERATION_ID.match(op_id):
            problems.append(f"{where}: operationId {op_id!r} is not snake_case <tag>_<name>")
        tags = [str(t).replace("-", "_") for t in op.get("tags", [])]
        if not tags:
            problems.append(f"{where}: no tag")
        elif not any(op_id.startswith(f"{tag}_") for tag in tags):
            problems.append(f"{where}: operationId {op_id!r} does not start with a tag {tags}")
    implicit = [
        f"{r.method} {r.path}" for r in routes() if r.in_schema and not r.explicit_operation_id
    ]
    problems += [f"{where}: operationId not passed explicitly" for where in implicit]
    assert not problems, "\n".join(problems)


def test_every_operation_declares_its_problem_responses() -> None:
    info = {r.key: r for r in routes()}
    problems: list[str] = []
    for method, path, op in operations():
        where = f"{op.get('operationId')} ({method} {path})"
        responses: dict[str, Any] = op.get("responses", {})
        errors = {code: r for code, r in responses.items() if code[0] in "45"}
        if not errors:
            problems.append(f"{where}: declares no error response")
        for code, response in errors.items():
            content = response.get("content", {})
            if list(content) != [PROBLEM_JSON]:
                problems.append(
                    f"{where}: {code} must be only {PROBLEM_JSON}, declares {sorted(content)}"
                )
            schema = content.get(PROBLEM_JSON, {}).get("schema", {})
            if schema.get("$ref") != PROBLEM_REF:
                problems.append(f"{where}: {code} {PROBLEM_JSON} schema is {schema}, not Problem")
        route = info.get((method, path))
        required = set()
        if route is not None and route.authenticated:
            required.add("401")
        if route is not None and route.workspace_scoped:
            required |= {"403", "404"}
        if op.get("parameters") or op.get("requestBody"):
            required.add("422")
        if (method, path) in PUBLIC_ROUTES:
            required.discard("401")
        missing = sorted(required - responses.keys())
        if missing:
            problems.append(f"{where}: does not declare {missing}")
    assert not problems, "\n".join(problems)


async def test_interactive_docs_are_served(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert OPENAPI_URL in response.text
