"""FastAPI dependencies that authenticate the caller and check one declared permission."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, OAuth2PasswordBearer

from brandflow.contexts.identity.cookies import SESSION_COOKIE, check_csrf
from brandflow.contexts.identity.domain import OrganizationAccess, Principal, WorkspaceAccess
from brandflow.contexts.identity.permissions import OrganizationRole, Permission
from brandflow.contexts.identity.repository import IdentityRepository
from brandflow.contexts.identity.sessions import Authenticator
from brandflow.kernel.context import actor_var, workspace_id_var
from brandflow.kernel.errors import Forbidden, NotFound, Unauthorized
from brandflow.kernel.http import UnitOfWorkDep
from brandflow.kernel.uow import UnitOfWork

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
# Declared so the contract shows the web app's credential; read below from the request.
session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    description="Set by `POST /api/v1/auth/session`; unsafe methods also need `X-CSRF-Token`.",
)


def cached_authenticator(request: Request, uow: UnitOfWork) -> Authenticator:
    state = request.app.state
    return Authenticator(uow, state.settings, getattr(state, "access_cache", None))


async def authenticate(request: Request, uow: UnitOfWork, token: str | None) -> Principal | None:
    """The caller of a bearer credential or, without one, of the browser session cookie."""
    authenticator = cached_authenticator(request, uow)
    if token:
        return await authenticator.principal(token)
    if cookie := request.cookies.get(SESSION_COOKIE):
        check_csrf(request, cookie, request.app.state.settings)
        principal, _session = await authenticator.browser_principal(cookie)
        return principal
    return None


async def _principal(
    request: Request,
    uow: UnitOfWorkDep,
    token: Annotated[str | None, Depends(bearer)],
    _cookie: Annotated[str | None, Depends(session_cookie)],
) -> Principal:
    principal = await authenticate(request, uow, token)
    if principal is None:
        raise Unauthorized("Sign in, or send `Authorization: Bearer <access token or API key>`.")
    actor_var.set(principal.actor)
    return principal


PrincipalDep = Annotated[Principal, Depends(_principal)]


async def _user_principal(
    request: Request, uow: UnitOfWorkDep, principal: PrincipalDep
) -> Principal:
    if principal.user_id is None:
        raise Forbidden("This endpoint needs a signed-in user, not an API key.")
    await Authenticator(uow, request.app.state.settings).require_active_session(principal)
    return principal


UserPrincipalDep = Annotated[Principal, Depends(_user_principal)]

ORGANIZATION_ADMINS = frozenset({OrganizationRole.OWNER, OrganizationRole.ADMIN})


async def _organization_admin(
    organization_id: uuid.UUID, uow: UnitOfWorkDep, principal: UserPrincipalDep
) -> OrganizationAccess:
    """The signed-in caller owns or administers the path's ``organization_id``.

    Not a member answers 404, as for a workspace (no existence leak); a plain member, 403.
    API keys belong to one workspace, so organization settings are refused to them (403).
    """
    assert principal.user_id is not None  # a user principal, by its dependency
    role = await IdentityRepository(uow.session).organization_role(
        organization_id, principal.user_id
    )
    if role is None:
        raise NotFound("Organization not found.")
    uow.organization_id = organization_id
    if role not in ORGANIZATION_ADMINS:
        raise Forbidden("Only owners and admins of the organization may do this.")
    return OrganizationAccess(principal, organization_id, role)


OrganizationAdminDep = Annotated[OrganizationAccess, Depends(_organization_admin)]


class Authorize:
    """Dependency: the caller holds ``permission`` in the path's ``workspace_id``.

    Routers declare it per endpoint; the tenant-isolation suite finds it on every route.
    """

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(
        self,
        request: Request,
        workspace_id: uuid.UUID,
        uow: UnitOfWorkDep,
        principal: PrincipalDep,
    ) -> WorkspaceAccess:
        access = await cached_authenticator(request, uow).workspace_access(principal, workspace_id)
        workspace_id_var.set(workspace_id)
        uow.organization_id = access.organization_id
        if not access.can(self.permission):
            raise Forbidden(f"Your role does not grant `{self.permission}` in this workspace.")
        return access
