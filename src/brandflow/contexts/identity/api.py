"""HTTP routes of the identity context: auth, the caller, workspaces, members, API keys."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response, status

from brandflow.contexts.identity import schemas
from brandflow.contexts.identity.cookies import (
    SESSION_COOKIE,
    check_origin,
    clear_session_cookie,
    session_csrf_token,
    set_session_cookie,
)
from brandflow.contexts.identity.deps import (
    Authorize,
    PrincipalDep,
    UserPrincipalDep,
    authenticate,
    bearer,
    cached_authenticator,
)
from brandflow.contexts.identity.domain import Principal, WorkspaceAccess
from brandflow.contexts.identity.permissions import Permission
from brandflow.contexts.identity.service import IdentityService
from brandflow.contexts.identity.sessions import Authenticator, BrowserSession, SessionService
from brandflow.kernel.errors import Unauthorized, problem_responses
from brandflow.kernel.http import UnitOfWorkDep, client_address
from brandflow.kernel.routing import CheckedRoute

auth_router = APIRouter(prefix="/auth", tags=["auth"], route_class=CheckedRoute)
router = APIRouter(route_class=CheckedRoute)

CanRead = Annotated[WorkspaceAccess, Depends(Authorize(Permission.WORKSPACE_READ))]
CanReadMembers = Annotated[WorkspaceAccess, Depends(Authorize(Permission.MEMBERS_READ))]
CanManageMembers = Annotated[WorkspaceAccess, Depends(Authorize(Permission.MEMBERS_MANAGE))]
CanManageKeys = Annotated[WorkspaceAccess, Depends(Authorize(Permission.API_KEYS_MANAGE))]

AUTH_ERRORS = problem_responses(401, 403, 404)


def _sessions(request: Request, uow: UnitOfWorkDep) -> SessionService:
    app = request.app
    return SessionService(uow, app.state.settings, app.state.login_limiter)


Sessions = Annotated[SessionService, Depends(_sessions)]


def _no_store(response: Response) -> None:
    """Answers holding a secret shown once: no cache keeps them, nor the idempotency store."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"


@auth_router.post(
    "/token",
    operation_id="auth_token",
    response_model=schemas.TokenResponse,
    responses=problem_responses(401, 422, 429),
)
async def token(
    request: Request,
    response: Response,
    sessions: Sessions,
    username: Annotated[str, Form(max_length=320, description="The account's email")],
    password: Annotated[str, Form(max_length=1024)],
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> schemas.TokenResponse:
    """OAuth2 password grant: trade email and password for an access and a refresh token."""
    pair = await sessions.sign_in(username, password, client_address(request))
    _no_store(response)
    return schemas.TokenResponse(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@auth_router.post(
    "/refresh",
    operation_id="auth_refresh",
    response_model=schemas.TokenResponse,
    responses=problem_responses(401, 422),
)
async def refresh(
    body: schemas.RefreshRequest, sessions: Sessions, response: Response
) -> schemas.TokenResponse:
    """Rotate a refresh token. Presenting an already-rotated token revokes its whole session."""
    pair = await sessions.refresh(body.refresh_token)
    _no_store(response)
    return schemas.TokenResponse(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@auth_router.post(
    "/logout",
    operation_id="auth_logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 422),
)
async def logout(
    request: Request,
    uow: UnitOfWorkDep,
    sessions: Sessions,
    token: Annotated[str | None, Depends(bearer)],
    body: schemas.LogoutRequest | None = None,
) -> Response:
    """End the sign-in session of the bearer access token or of the given refresh token."""
    principal = None
    if token and (body is None or body.refresh_token is None):
        principal = await Authenticator(uow, request.app.state.settings).principal(token)
    await sessions.sign_out(principal, body.refresh_token if body else None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _session_read(session: BrowserSession, request: Request) -> schemas.BrowserSessionRead:
    settings = request.app.state.settings
    return schemas.BrowserSessionRead(
        user=schemas.UserRead(
            id=session.user_id, email=session.email, display_name=session.display_name
        ),
        csrf_token=session_csrf_token(session.secret, settings),
        expires_at=session.expires_at,
    )


@auth_router.post(
    "/session",
    operation_id="auth_session_create",
    response_model=schemas.BrowserSessionRead,
    responses=problem_responses(401, 403, 422, 429),
)
async def create_browser_session(
    request: Request, response: Response, sessions: Sessions, body: schemas.BrowserSignIn
) -> schemas.BrowserSessionRead:
    """Sign in from the web app: sets the httpOnly session cookie; no token is returned.

    The answer carries the session's CSRF token: send it as `X-CSRF-Token` with every
    unsafe request made with the cookie. API clients use `POST /auth/token` instead.
    """
    settings = request.app.state.settings
    check_origin(request, settings)  # no signing a victim into an attacker's account
    session = await sessions.start_browser_session(
        body.email, body.password.get_secret_value(), client_address(request)
    )
    max_age = settings.refresh_token_days * 86_400
    set_session_cookie(response, request, settings, session.secret, max_age)
    _no_store(response)
    return _session_read(session, request)


@auth_router.get(
    "/session",
    operation_id="auth_session_get",
    response_model=schemas.BrowserSessionRead,
    responses=problem_responses(401),
)
async def get_browser_session(
    request: Request, response: Response, uow: UnitOfWorkDep
) -> schemas.BrowserSessionRead:
    """The session of the cookie, with its CSRF token; 401 when there is none or it ended."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise Unauthorized("Not signed in.")
    _principal, session = await cached_authenticator(request, uow).browser_principal(cookie)
    _no_store(response)
    return _session_read(session, request)


@auth_router.delete(
    "/session",
    operation_id="auth_session_delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403),
)
async def delete_browser_session(
    request: Request, principal: UserPrincipalDep, sessions: Sessions
) -> Response:
    """Sign out of the web app: ends the session on the server and clears the cookie."""
    await sessions.sign_out(principal, None)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, request, request.app.state.settings)
    return response


@router.get(
    "/me", operation_id="me_get", tags=["me"], response_model=schemas.MeRead, responses=AUTH_ERRORS
)
async def me(uow: UnitOfWorkDep, principal: UserPrincipalDep) -> schemas.MeRead:
    """The signed-in user with their organization and workspace memberships."""
    return await IdentityService(uow).me(principal)


@router.get(
    "/workspaces",
    operation_id="workspaces_list",
    tags=["workspaces"],
    response_model=list[schemas.WorkspaceRead],
    responses=AUTH_ERRORS,
)
async def list_workspaces(
    request: Request, uow: UnitOfWorkDep, principal: PrincipalDep
) -> list[schemas.WorkspaceRead]:
    """Workspaces the caller can enter; nothing else of the organization."""
    await Authenticator(uow, request.app.state.settings).require_active_session(principal)
    return await IdentityService(uow).workspaces(principal)


@router.get(
    "/workspaces/{workspace_id}",
    operation_id="workspaces_get",
    tags=["workspaces"],
    response_model=schemas.WorkspaceRead,
    responses=AUTH_ERRORS,
)
async def get_workspace(uow: UnitOfWorkDep, access: CanRead) -> schemas.WorkspaceRead:
    return await IdentityService(uow).workspace(access)


@router.get(
    "/workspaces/{workspace_id}/members",
    operation_id="members_list",
    tags=["members"],
    response_model=list[schemas.MemberRead],
    responses=AUTH_ERRORS,
)
async def list_members(uow: UnitOfWorkDep, access: CanReadMembers) -> list[schemas.MemberRead]:
    return await IdentityService(uow).members(access)


@router.post(
    "/workspaces/{workspace_id}/invitations",
    operation_id="members_invite",
    tags=["members"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.InvitationCreated,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def invite_member(
    uow: UnitOfWorkDep, access: CanManageMembers, body: schemas.InvitationCreate, response: Response
) -> schemas.InvitationCreated:
    """Invite someone by email. The token is returned once; email delivery comes later."""
    _no_store(response)
    return await IdentityService(uow).invite(access, body)


@router.get(
    "/workspaces/{workspace_id}/invitations",
    operation_id="members_list_invitations",
    tags=["members"],
    response_model=list[schemas.InvitationRead],
    responses=AUTH_ERRORS,
)
async def list_invitations(
    uow: UnitOfWorkDep, access: CanManageMembers
) -> list[schemas.InvitationRead]:
    return await IdentityService(uow).invitations(access)


@router.delete(
    "/workspaces/{workspace_id}/invitations/{invitation_id}",
    operation_id="members_revoke_invitation",
    tags=["members"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409),
)
async def revoke_invitation(
    uow: UnitOfWorkDep, access: CanManageMembers, invitation_id: uuid.UUID
) -> Response:
    """Withdraw an open invitation; its token stops working. Already accepted: 409."""
    await IdentityService(uow).revoke_invitation(access, invitation_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/invitations/accept",
    operation_id="invitations_accept",
    tags=["invitations"],
    response_model=schemas.InvitationAcceptedRead,
    responses=problem_responses(401, 403, 404, 409, 410, 422),
)
async def accept_invitation(
    request: Request,
    uow: UnitOfWorkDep,
    body: schemas.InvitationAccept,
    token: Annotated[str | None, Depends(bearer)],
) -> schemas.InvitationAcceptedRead:
    """Join a workspace with an invitation's token.

    Public or signed in: an invitee without an account sends `display_name` and `password`
    and the account is created; an invitee with an account must send their own bearer
    access token or session cookie (401 without it, 403 for an API key or another user). An unknown token
    answers 404; an accepted, revoked or expired one 410.
    """

    async def caller() -> Principal | None:
        principal = await authenticate(request, uow, token)
        if principal is not None:
            await Authenticator(uow, request.app.state.settings).require_active_session(principal)
        return principal

    return await IdentityService(uow).accept_invitation(body, caller)


@router.patch(
    "/workspaces/{workspace_id}/members/{user_id}",
    operation_id="members_update",
    tags=["members"],
    response_model=schemas.MemberRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def change_member_role(
    uow: UnitOfWorkDep, access: CanManageMembers, user_id: uuid.UUID, body: schemas.MemberUpdate
) -> schemas.MemberRead:
    return await IdentityService(uow).change_role(access, user_id, body)


@router.delete(
    "/workspaces/{workspace_id}/members/{user_id}",
    operation_id="members_remove",
    tags=["members"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409),
)
async def remove_member(
    uow: UnitOfWorkDep, access: CanManageMembers, user_id: uuid.UUID
) -> Response:
    await IdentityService(uow).remove(access, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/workspaces/{workspace_id}/api-keys",
    operation_id="api_keys_list",
    tags=["api-keys"],
    response_model=list[schemas.ApiKeyRead],
    responses=AUTH_ERRORS,
)
async def list_api_keys(uow: UnitOfWorkDep, access: CanManageKeys) -> list[schemas.ApiKeyRead]:
    return await IdentityService(uow).api_keys(access)


@router.post(
    "/workspaces/{workspace_id}/api-keys",
    operation_id="api_keys_create",
    tags=["api-keys"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ApiKeyCreated,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_api_key(
    uow: UnitOfWorkDep, access: CanManageKeys, body: schemas.ApiKeyCreate, response: Response
) -> schemas.ApiKeyCreated:
    """Create a key limited to the chosen permissions. The secret is shown only in this answer."""
    _no_store(response)
    return await IdentityService(uow).create_api_key(access, body)


@router.delete(
    "/workspaces/{workspace_id}/api-keys/{key_id}",
    operation_id="api_keys_revoke",
    tags=["api-keys"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=AUTH_ERRORS,
)
async def revoke_api_key(uow: UnitOfWorkDep, access: CanManageKeys, key_id: uuid.UUID) -> Response:
    await IdentityService(uow).revoke_api_key(access, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
