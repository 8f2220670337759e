"""Route discovery shared by the API suites: every operation, found from the app itself.

Nothing here lists paths by hand. Routes come from walking ``app.routes`` (through included
routers) and are cross-checked against ``app.openapi()``; a route's declared permission is
read from its dependency tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from brandflow.app import create_app
from brandflow.contexts.identity.deps import Authorize, _principal, _user_principal
from brandflow.contexts.identity.permissions import Permission
from brandflow.settings import Settings

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")

# Public on purpose: sign-in, token rotation and sign-out (which itself checks the bearer or
# the refresh token it is given), plus the orchestrator's probes and the Prometheus scrape
# (labels are route templates and consumer names only: no tenant data).
PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/api/v1/auth/token"),
        ("POST", "/api/v1/auth/refresh"),
        ("POST", "/api/v1/auth/logout"),
        # Web-app sign-in, and reading the cookie's own session (401 without one).
        ("POST", "/api/v1/auth/session"),
        ("GET", "/api/v1/auth/session"),
        # Accepting an invitation: the token is the credential. A new invitee has no account
        # yet; an existing one is checked against their own bearer token inside the route.
        ("POST", "/api/v1/invitations/accept"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/metrics"),
    }
)


@dataclass(frozen=True)
class RouteInfo:
    method: str
    path: str
    operation_id: str | None
    explicit_operation_id: bool
    in_schema: bool
    permissions: frozenset[Permission]
    authenticated: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def label(self) -> str:
        return self.operation_id or f"{self.method} {self.path}"

    @property
    def workspace_scoped(self) -> bool:
        return bool(self.permissions)

    @property
    def public(self) -> bool:
        return self.key in PUBLIC_ROUTES

    @property
    def path_params(self) -> list[str]:
        return PATH_PARAM.findall(self.path)


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _route_contexts(app: FastAPI) -> Iterator[tuple[APIRoute, str, Dependant]]:
    """(route, full path, effective dependant) of every APIRoute, through included routers."""
    try:
        from fastapi.routing import iter_route_contexts  # FastAPI >= 0.165: lazy includes
    except ImportError:  # older FastAPI copies included routes into app.routes
        for route in app.routes:
            if isinstance(route, APIRoute):
                yield route, route.path, route.dependant
        return
    for context in iter_route_contexts(app.routes):
        original = context.original_route
        if isinstance(original, APIRoute):
            yield original, str(context.path), context.dependant


def discover(app: FastAPI) -> list[RouteInfo]:
    found: list[RouteInfo] = []
    for route, path, dependant in _route_contexts(app):
        calls = list(_calls(dependant))
        permissions = frozenset(c.permission for c in calls if isinstance(c, Authorize))
        authenticated = bool(permissions) or any(
            c is _principal or c is _user_principal for c in calls
        )
        for method in sorted(route.methods or ()):
            found.append(
                RouteInfo(
                    method=method,
                    path=path,
                    operation_id=route.operation_id or route.unique_id,
                    explicit_operation_id=route.operation_id is not None,
                    in_schema=route.include_in_schema,
                    permissions=permissions,
                    authenticated=authenticated,
                )
            )
    return found


@cache
def app_for_inspection() -> FastAPI:
    """An app built only to read its routes and OpenAPI document; it never serves."""
    return create_app(Settings())


@cache
def openapi() -> dict[str, Any]:
    return app_for_inspection().openapi()


@cache
def routes() -> tuple[RouteInfo, ...]:
    return tuple(discover(app_for_inspection()))


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) of every operation in the OpenAPI document."""
    for path, item in openapi()["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method.upper(), path, operation


def operation(operation_id: str) -> tuple[str, str, dict[str, Any]] | None:
    for method, path, op in operations():
        if op.get("operationId") == operation_id:
            return method, path, op
    return None
