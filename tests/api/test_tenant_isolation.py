"""Tenant isolation over every route the app has, discovered from the app itself.

* Every route declares a permission (``Authorize``), or at least authentication, or is on
  the short public allow-list: a route that declares nothing fails the suite by itself.
* A member of another workspace (a user or an API key) reaching Acme Running's workspace
  and REAL Acme objects gets 404 and not one Acme id or name.
* Each demo role lacking the route's permission gets 403; no credentials get 401.
* Lists never show another workspace's data.

Routes with a request body get a valid minimal body from ``EXAMPLE_BODIES``; a new route
with a body fails loudly until it gets one here.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from brandflow.contexts.identity.permissions import WORKSPACE_ROLE_PERMISSIONS, WorkspaceRole
from tests.api.conftest import ACME_ONLY_MEMBER, STRATEGIST, World, url_for
from tests.api.routes import PUBLIC_ROUTES, RouteInfo, openapi, operations, routes
from tests.conftest import login

PROBLEM_JSON = "application/problem+json"
OTHER_TENANT = "client@globex.example"  # client approver of Globex only
# The demo account holding each workspace role below manager, in both workspaces' sense.
ROLE_ACCOUNTS: dict[WorkspaceRole, str] = {
    WorkspaceRole.EDITOR: "writer@northwind.example",
    WorkspaceRole.REVIEWER: "reviewer@northwind.example",
    WorkspaceRole.CLIENT_APPROVER: ACME_ONLY_MEMBER,
}

# A valid minimal body per operationId. Auth must answer before the body matters, but a
# valid body makes sure a 422 can never hide a missing check.
EXAMPLE_BODIES: dict[str, dict[str, Any]] = {
    "members_invite": {"email": "new.person@example.com", "role": "viewer"},
    "members_update": {"role": "viewer"},
    "api_keys_create": {"name": "isolation probe", "permissions": ["campaigns:read"]},
    "campaigns_create": {"name": "Isolation probe"},
    "campaigns_update": {"name": "Isolation probe renamed"},
    "content_create": {"title": "Isolation probe", "body": {"channel": "x", "text": "Hi"}},
    "content_create_version": {"body": {"channel": "x", "text": "Hi again"}},
    "brand_kit_update": {"voice": {"tone": ["warm"]}},
    "knowledge_update_document": {"tags": ["probe"]},
    "knowledge_search": {"query": "trail running shoes"},
    "budgets_update": {"workspace": {"monthly_limit": "100.00"}},
    "ai_settings_update": {"min_check_score": 80},
    "provider_keys_create": {
        "name": "probe",
        "provider": "openai",
        "api_key": "sk-probe-0123456789",
    },
    "provider_keys_update": {"name": "probe renamed"},
    "checks_run": {"tone_judge": False},
    "studio_generation_create": {"variants": 1},
    "studio_template_update": {"template": "{{ sources }} {{ instructions }}"},
}
# Operations whose body is multipart/form-data: the files (and fields) to send instead.
EXAMPLE_FILES: dict[str, dict[str, tuple[str, bytes, str]]] = {
    "knowledge_upload_document": {"file": ("probe.txt", b"Isolation probe upload", "text/plain")},
}

ALL_ROUTES = routes()
SCOPED = [r for r in ALL_ROUTES if r.workspace_scoped]
AUTHENTICATED = [r for r in ALL_ROUTES if r.authenticated]
ROLE_CASES = [
    (route, role)
    for route in SCOPED
    for role in ROLE_ACCOUNTS
    if not route.permissions <= WORKSPACE_ROLE_PERMISSIONS[role]
]


# ---------------------------------------------------------------------------------------
# Static: every route declares who may call it.


def test_every_route_declares_a_permission_or_is_public() -> None:
    undeclared = [
        f"{r.method} {r.path}" for r in ALL_ROUTES if not r.authenticated and not r.public
    ]
    assert not undeclared, (
        "Routes without a declared permission: depend on "
        "`Authorize(Permission.X)` (workspace routes) or on `PrincipalDep`/`UserPrincipalDep`, "
        f"or add them to PUBLIC_ROUTES in tests/api/routes.py if truly public: {undeclared}"
    )


def test_public_allow_list_is_small_and_current() -> None:
    existing = {r.key for r in ALL_ROUTES}
    stale = sorted(PUBLIC_ROUTES - existing)
    assert not stale, f"PUBLIC_ROUTES names routes that no longer exist: {stale}"
    assert len(PUBLIC_ROUTES) <= 9, "The public allow-list should stay tiny"


def test_workspace_permission_reads_the_path_workspace() -> None:
    """`Authorize` reads `workspace_id`; outside the path it would come from the query."""
    wrong = [r.label for r in SCOPED if "workspace_id" not in r.path_params]
    assert not wrong, f"Routes using Authorize without {{workspace_id}} in the path: {wrong}"
    single = [r.label for r in SCOPED if len(r.permissions) != 1]
    assert not single, f"Routes must name exactly one permission: {single}"


def test_walk_finds_every_openapi_operation() -> None:
    """The dependency walk sees every documented operation, so none escapes the checks."""
    walked = {r.key for r in ALL_ROUTES if r.in_schema}
    documented = {(m, p) for m, p, _ in operations()}
    assert documented == walked, (
        f"documented but not walked: {sorted(documented - walked)}; "
        f"walked but not documented: {sorted(walked - documented)}"
    )


def test_every_operation_with_a_body_has_an_example_body() -> None:
    missing = [
        op.get("operationId")
        for m, p, op in operations()
        if "requestBody" in op
        and (m, p) not in PUBLIC_ROUTES
        and op.get("operationId") not in EXAMPLE_BODIES
        and op.get("operationId") not in EXAMPLE_FILES
    ]
    assert not missing, f"Add a valid minimal body to EXAMPLE_BODIES for: {missing}"


# ---------------------------------------------------------------------------------------
# Dynamic: the demo data, real Acme objects, and every principal.


def _required_query(op: dict[str, Any], op_id: str) -> dict[str, str]:
    query: dict[str, str] = {}
    for param in op.get("parameters", []):
        if param.get("in") != "query" or not param.get("required"):
            continue
        kind = param.get("schema", {}).get("type")
        if kind == "integer":
            query[param["name"]] = "1"
        elif kind == "string":
            query[param["name"]] = "x"
        else:
            pytest.fail(f"{op_id}: give required query parameter {param['name']} a value here")
    return query


async def call(
    client: httpx.AsyncClient,
    route: RouteInfo,
    values: dict[str, str],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    op = openapi()["paths"][route.path][route.method.lower()] if route.in_schema else {}
    op_id = route.label
    url = url_for(route.path, op_id, values)
    kwargs: dict[str, Any] = {"params": _required_query(op, op_id)}
    sent = dict(headers or {})
    if route.method not in {"GET", "HEAD", "OPTIONS"}:
        sent["Idempotency-Key"] = str(uuid.uuid4())
    if op_id in EXAMPLE_FILES:
        kwargs["files"] = EXAMPLE_FILES[op_id]
    elif "requestBody" in op:
        if op_id not in EXAMPLE_BODIES:
            pytest.fail(f"{op_id}: add a valid minimal body to EXAMPLE_BODIES")
        kwargs["json"] = EXAMPLE_BODIES[op_id]
    return await client.request(route.method, url, headers=sent, **kwargs)


def _leaks(response: httpx.Response, markers: set[str]) -> list[str]:
    try:
        body = response.json()
    except ValueError:
        text = response.text
    else:
        if isinstance(body, dict):
            body.pop("instance", None)  # echoes the caller's own request path
        text = json.dumps(body)
    return sorted(m for m in markers if m and m in text)


def _problem_failure(response: httpx.Response, status: int, what: str) -> str | None:
    if response.status_code != status:
        return f"{what}: expected {status}, got {response.status_code}: {response.text[:300]}"
    if not response.headers.get("content-type", "").startswith(PROBLEM_JSON):
        return f"{what}: expected {PROBLEM_JSON}, got {response.headers.get('content-type')}"
    return None


def _report(failures: list[str]) -> str:
    return f"{len(failures)} isolation failure(s):\n" + "\n".join(failures)


async def test_member_of_another_workspace_gets_404_and_no_data(
    app_client: httpx.AsyncClient, world: World
) -> None:
    assert SCOPED, "no workspace-scoped routes discovered"
    principals = {OTHER_TENANT: await login(app_client, OTHER_TENANT)}
    assert world.globex_key, "api_keys_create exists, so the Globex key must too"
    principals["a Globex API key"] = world.globex_key
    failures: list[str] = []
    for route in SCOPED:
        for who, headers in principals.items():
            response = await call(app_client, route, world.path_values, headers)
            what = f"{route.label} ({route.method} {route.path}) as {who} against Acme"
            if failure := _problem_failure(response, 404, what):
                failures.append(failure)
            if leaks := _leaks(response, world.markers):
                failures.append(f"{what} leaked Acme data {leaks}: {response.text[:300]}")
    assert not failures, _report(failures)


async def test_role_without_the_permission_gets_403(
    app_client: httpx.AsyncClient, world: World
) -> None:
    assert ROLE_CASES, "no (route, role) pair where the role lacks the permission"
    logins = {role: await login(app_client, email) for role, email in ROLE_ACCOUNTS.items()}
    failures: list[str] = []
    for route, role in ROLE_CASES:
        response = await call(app_client, route, world.path_values, logins[role])
        missing = ", ".join(sorted(route.permissions - WORKSPACE_ROLE_PERMISSIONS[role]))
        what = f"{route.label} ({route.method} {route.path}) as {role.value} (lacks {missing})"
        if failure := _problem_failure(response, 403, what):
            failures.append(failure)
    assert not failures, _report(failures)


async def test_no_credentials_get_401(app_client: httpx.AsyncClient, world: World) -> None:
    assert AUTHENTICATED, "no authenticated routes discovered"
    failures: list[str] = []
    for route in AUTHENTICATED:
        for who, headers in {
            "no credentials": {},
            "a made-up token": {"Authorization": "Bearer nonsense-token"},
        }.items():
            response = await call(app_client, route, world.path_values, headers)
            what = f"{route.label} ({route.method} {route.path}) with {who}"
            if failure := _problem_failure(response, 401, what):
                failures.append(failure)
    assert not failures, _report(failures)


LIST_ROUTES = [
    r
    for r in ALL_ROUTES
    if r.method == "GET" and r.authenticated and set(r.path_params) <= {"workspace_id"}
]


async def test_lists_never_show_another_workspace(
    app_client: httpx.AsyncClient, world: World
) -> None:
    assert LIST_ROUTES, "no list routes discovered"
    globex_client = await login(app_client, OTHER_TENANT)
    globex_values = {"workspace_id": str(world.globex)}
    callers = {f"{STRATEGIST} in Globex": world.strategist, OTHER_TENANT: globex_client}
    if world.globex_key:
        callers["Globex API key"] = world.globex_key
    for route in LIST_ROUTES:
        for who, headers in callers.items():
            if who.startswith(STRATEGIST) and not route.workspace_scoped:
                continue  # a member of both workspaces legitimately sees both here
            response = await call(app_client, route, globex_values, headers)
            what = f"GET {route.path} as {who}"
            assert response.status_code in {200, 403}, (
                f"{what}: {response.status_code} {response.text[:300]}"
            )
            leaks = _leaks(response, world.markers)
            assert not leaks, f"{what} shows Acme data {leaks}: {response.text[:500]}"


async def test_leak_detector_sees_acme_data_when_it_is_there(
    app_client: httpx.AsyncClient, world: World
) -> None:
    """Control: the same lists, read by Acme's manager in Acme, do contain the markers."""
    seen: set[str] = set()
    for route in LIST_ROUTES:
        if route.workspace_scoped:
            response = await call(app_client, route, world.path_values, world.strategist)
            assert response.status_code == 200, response.text
            seen |= set(_leaks(response, world.markers))
    assert world.path_values.get("campaign_id") in seen
    assert str(world.acme) in seen
