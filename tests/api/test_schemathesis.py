"""Property-based conformance of the whole API with schemathesis.

Every documented operation gets generated requests (positive data) sent as Acme Running's
manager, with ``workspace_id`` pinned to Acme and, half of the time, every other path id
pinned to a REAL Acme object (so the 2xx answers are exercised, not only 404s). Checks:
no 5xx, status code declared, content type declared, body matches the declared schema,
declared headers conform.

Requests go through the test's own ``httpx`` ASGI client on the test's event loop (the
``container`` fixture's engine lives there); Hypothesis runs in a worker thread and hands
each request to that loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import World, url_for
from tests.api.routes import PATH_PARAM, operation, operations

BASE_URL = "http://testserver"
MAX_EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
NUL = "\u0000"
OPERATIONS = [
    (method, path, op.get("operationId", f"{method} {path}")) for method, path, op in operations()
]


def _to_httpx(kwargs: dict[str, Any]) -> dict[str, Any]:
    """requests-style transport kwargs (what schemathesis serialises) -> httpx kwargs."""
    out: dict[str, Any] = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        "headers": kwargs.get("headers") or {},
        "params": kwargs.get("params"),
    }
    if kwargs.get("cookies"):
        out["cookies"] = kwargs["cookies"]
    if "json" in kwargs:
        out["json"] = kwargs["json"]
    data = kwargs.get("data")
    if isinstance(data, bytes | str):
        out["content"] = data
    elif data is not None:
        out["data"] = data
    if kwargs.get("files"):
        # Extra form fields may come as numbers; on the wire every part is text or bytes.
        out["files"] = [
            (name, (part[0], part[1] if isinstance(part[1], str | bytes) else str(part[1])))
            for name, part in kwargs["files"]
        ]
    unknown = set(kwargs) - {"method", "url", "headers", "params", "cookies", "json", "data"}
    unknown -= {"files"}
    assert not unknown, f"teach _to_httpx about {unknown}"
    return out


_SERVED: list[Any] = []


async def served_schema(client: httpx.AsyncClient) -> Any:
    """The served document, fetched and parsed once per run: generating it (pydantic JSON
    schemas of every route) and loading it into schemathesis took ~2 s per operation, and it
    is the same document for every test's app (same code, same settings)."""
    if not _SERVED:
        served = await client.get("/api/v1/openapi.json")
        assert served.status_code == 200
        _SERVED.append(schemathesis.openapi.from_dict(served.json()))
    return _SERVED[0]


@pytest.mark.parametrize(
    ("method", "path"), [(m, p) for m, p, _ in OPERATIONS], ids=[i for _, _, i in OPERATIONS]
)
async def test_operation_conforms_to_its_schema(
    app_client: httpx.AsyncClient, world: World, method: str, path: str
) -> None:
    operation = (await served_schema(app_client))[path][method]

    names = PATH_PARAM.findall(path)
    real = {n: world.path_values[n] for n in names if n in world.path_values}
    workspace = {n: v for n, v in real.items() if n == "workspace_id"}
    strategy = st.one_of(
        operation.as_strategy(path_parameters=workspace or None),
        operation.as_strategy(path_parameters=real or None),
    )
    loop = asyncio.get_running_loop()

    def send(case: Any) -> httpx.Response:
        kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=world.strategist)
        request = app_client.build_request(**_to_httpx(kwargs))
        request.read()  # a multipart body streams; schemathesis reads the request back
        return asyncio.run_coroutine_threadsafe(app_client.send(request), loop).result(timeout=60)

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def conforms(case: Any) -> None:
        response = send(case)
        case.validate_response(response, checks=CHECKS)

    await asyncio.to_thread(conforms)


async def test_nul_character_in_text_input_is_refused_with_422(
    app_client: httpx.AsyncClient, world: World
) -> None:
    found = operation("campaigns_create")
    assert found is not None
    url = url_for(found[1], "campaigns_create", world.path_values)
    response = await app_client.post(
        url, json={"name": "ok", "key_messages": [f"a{NUL}b"]}, headers=world.strategist
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "key_messages", 0]

    search = await app_client.get(url, params={"q": f"a{NUL}b"}, headers=world.strategist)
    assert search.status_code == 422, search.text
    assert search.json()["errors"][0]["loc"] == ["query", "q"]
