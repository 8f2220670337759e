"""Sign-in, token rotation, sign-out, and turning a bearer credential into a Principal."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from brandflow.contexts.identity.access_cache import AccessCache
from brandflow.contexts.identity.domain import (
    Principal,
    SessionRevoked,
    UserSignedIn,
    WorkspaceAccess,
    effective_role,
    role_permissions,
)
from brandflow.contexts.identity.orm import RefreshToken, User
from brandflow.contexts.identity.permissions import Permission
from brandflow.contexts.identity.repository import IdentityRepository
from brandflow.kernel.auth.passwords import hash_password, verify_password
from brandflow.kernel.auth.tokens import (
    API_KEY_PREFIX,
    bearer_credential,
    decode_access_token,
    hash_secret,
    issue_access_token,
    new_secret,
    secrets_match,
    session_cookie,
)
from brandflow.kernel.cache import CachedAuthorizer
from brandflow.kernel.context import Actor, actor_var
from brandflow.kernel.db import new_id, utcnow
from brandflow.kernel.errors import NotFound, TooManyRequests, Unauthorized
from brandflow.kernel.ratelimit import FailureLimiter
from brandflow.kernel.uow import UnitOfWork
from brandflow.settings import Settings


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class BrowserSession:
    secret: str  # goes into the httpOnly cookie, nowhere else
    user_id: uuid.UUID
    email: str
    display_name: str
    expires_at: datetime


class SessionService:
    def __init__(self, uow: UnitOfWork, settings: Settings, limiter: FailureLimiter) -> None:
        self.uow = uow
        self.repo = IdentityRepository(uow.session)
        self.settings = settings
        self.limiter = limiter

    async def sign_in(self, email: str, password: str, client_address: str) -> TokenPair:
        user = await self.verify_credentials(email, password, client_address)
        return self._issue(user.id, family_id=new_id())

    async def start_browser_session(
        self, email: str, password: str, client_address: str
    ) -> BrowserSession:
        """Sign in for a session cookie: one non-rotating secret, stored only as its hash."""
        user = await self.verify_credentials(email, password, client_address)
        secret = new_secret()
        expires_at = utcnow() + timedelta(days=self.settings.refresh_token_days)
        self.uow.session.add(
            RefreshToken(
                family_id=new_id(),
                user_id=user.id,
                token_hash=hash_secret(secret),
                expires_at=expires_at,
                purpose="browser",
            )
        )
        return BrowserSession(secret, user.id, user.email, user.display_name, expires_at)

    async def verify_credentials(self, email: str, password: str, client_address: str) -> User:
        """The active user with these credentials, or 401; repeated failures answer 429."""
        email = email.strip().lower()
        keys = (f"login:account:{email}", f"login:address:{client_address}")
        if (wait := await self.limiter.retry_after(*keys)) is not None:
            raise TooManyRequests(
                "Too many failed sign-in attempts. Try again later.", retry_after=wait
            )
        user = await self.repo.user_by_email(email)
        valid, new_hash = verify_password(password, user.password_hash if user else None)
        if user is None or not valid or not user.is_active:
            await self.limiter.record_failure(*keys)
            raise Unauthorized("The email or password is not correct.")
        if new_hash:
            user.password_hash = new_hash
        await self.limiter.clear(keys[0])
        actor_var.set(Actor("user", str(user.id)))
        self.uow.record(UserSignedIn(workspace_id=None, subject_id=user.id))
        return user

    async def refresh(self, refresh_token: str) -> TokenPair:
        now = utcnow()
        row = await self.repo.refresh_token_by_hash(hash_secret(refresh_token))
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            raise Unauthorized("The refresh token is invalid or has expired.")
        if row.rotated_at is not None:
            # A rotated token came back: someone holds a copy. End the whole session.
            await self.repo.revoke_family(row.family_id, now)
            self.uow.record(
                SessionRevoked(workspace_id=None, subject_id=row.family_id, reason="reuse")
            )
            self.uow.keep_changes_on_error = True  # the revocation sticks although we answer 401
            raise Unauthorized("The refresh token was already used; the session is revoked.")
        user = await self.repo.user(row.user_id)
        if user is None or not user.is_active:
            # A deactivated account keeps no session: refreshing must not revive it.
            raise Unauthorized("The refresh token is invalid or has expired.")
        row.rotated_at = now
        return self._issue(row.user_id, family_id=row.family_id)

    async def sign_out(self, principal: Principal | None, refresh_token: str | None) -> None:
        now = utcnow()
        family_id: uuid.UUID | None = principal.session_id if principal else None
        if refresh_token is not None:
            row = await self.repo.refresh_token_by_hash(hash_secret(refresh_token))
            if row is None:
                raise Unauthorized("The refresh token is not known.")
            family_id = row.family_id
        if family_id is None:
            raise Unauthorized("Sign-out needs a user access token or a refresh token.")
        if await self.repo.revoke_family(family_id, now):  # signing out twice records once
            self.uow.record(
                SessionRevoked(workspace_id=None, subject_id=family_id, reason="logout")
            )

    def _issue(self, user_id: uuid.UUID, family_id: uuid.UUID) -> TokenPair:
        secret = new_secret()
        self.uow.session.add(
            RefreshToken(
                family_id=family_id,
                user_id=user_id,
                token_hash=hash_secret(secret),
                expires_at=utcnow() + timedelta(days=self.settings.refresh_token_days),
            )
        )
        access, _ = issue_access_token(
            user_id,
            family_id,
            secret=self.settings.secret_key.get_secret_value(),
            minutes=self.settings.access_token_minutes,
        )
        return TokenPair(access, secret, self.settings.access_token_minutes * 60)


class Authenticator:
    """Resolves `Authorization: Bearer` credentials and workspace access.

    With an ``AccessCache``, grants are reused for a few seconds (ADR 0008); a cache hit
    skips the API key's `last_used_at` touch, which is minute-grained anyway.
    """

    def __init__(
        self, uow: UnitOfWork, settings: Settings, cache: AccessCache | None = None
    ) -> None:
        self.repo = IdentityRepository(uow.session)
        self.settings = settings
        self.cache = cache if cache is not None and cache.enabled else None

    async def principal(self, credential: str) -> Principal:
        if credential.startswith(API_KEY_PREFIX):
            return await self._api_key_principal(credential)
        claims = decode_access_token(credential, secret=self.settings.secret_key.get_secret_value())
        return Principal(
            actor=Actor("user", str(claims.user_id)),
            user_id=claims.user_id,
            session_id=claims.session_id,
        )

    async def browser_principal(self, cookie: str) -> tuple[Principal, BrowserSession]:
        """The signed-in user behind a session cookie; 401 once it is revoked or expired."""
        secret_hash = hash_secret(cookie)
        generation = 0
        if self.cache is not None:
            if (cached := self.cache.browser_session(secret_hash)) is not None:
                return cached
            generation = self.cache.generation
        row = await self.repo.browser_session(secret_hash)
        if row is None:
            raise Unauthorized("The session has ended; sign in again.")
        principal = Principal(
            actor=Actor("user", str(row.user_id)), user_id=row.user_id, session_id=row.family_id
        )
        session = BrowserSession(cookie, row.user_id, row.email, row.display_name, row.expires_at)
        if self.cache is not None:
            self.cache.store_browser_session(secret_hash, (principal, session), generation)
        return principal, session

    async def _api_key_principal(self, credential: str) -> Principal:
        credential_hash = hash_secret(credential)
        generation = 0
        if self.cache is not None:
            if (cached := self.cache.api_key(credential_hash)) is not None:
                return cached
            generation = self.cache.generation
        prefix, _, _secret = credential.rpartition(".")
        key = await self.repo.api_key_by_prefix(prefix) if prefix else None
        if key is None or not secrets_match(key.secret_hash, credential_hash):
            raise Unauthorized("The API key is invalid or revoked.")
        await self.repo.touch_api_key(key.id, utcnow())
        principal = Principal(
            actor=Actor("api_key", str(key.id)),
            api_key_id=key.id,
            api_key_workspace_id=key.workspace_id,
            api_key_permissions=frozenset(Permission(p) for p in key.permissions),
        )
        if self.cache is not None:
            self.cache.store_api_key(credential_hash, principal, generation)
        return principal

    async def require_active_session(self, principal: Principal) -> None:
        if (
            principal.user_id is not None
            and principal.session_id is not None
            and not await self.repo.session_active(principal.user_id, principal.session_id)
        ):
            raise Unauthorized("The session has ended; sign in again.")

    async def workspace_access(
        self, principal: Principal, workspace_id: uuid.UUID
    ) -> WorkspaceAccess:
        """The caller's access to a workspace. Not a member means 404: no existence leak."""
        cache = self.cache
        generation = cache.generation if cache is not None else 0
        if principal.api_key_id is not None:
            if principal.api_key_workspace_id != workspace_id:
                raise NotFound("Workspace not found.")
            organization_id = (
                cache.key_workspace(principal.api_key_id, workspace_id) if cache else None
            )
            if organization_id is None:
                workspace = await self.repo.workspace(workspace_id)
                if workspace is None:
                    raise NotFound("Workspace not found.")
                organization_id = workspace.organization_id
                if cache is not None:
                    cache.store_key_workspace(
                        principal.api_key_id, workspace_id, organization_id, generation
                    )
            return WorkspaceAccess(
                principal,
                workspace_id,
                organization_id,
                None,
                principal.api_key_permissions,
            )
        assert principal.user_id is not None
        assert principal.session_id is not None
        if cache is not None and (
            hit := cache.workspace_access(principal.user_id, principal.session_id, workspace_id)
        ):
            return hit
        row = await self.repo.workspace_access(
            workspace_id, principal.user_id, principal.session_id
        )
        if row is not None and not row.session_active:
            raise Unauthorized("The session has ended; sign in again.")
        role = effective_role(row.workspace_role, row.organization_role) if row else None
        if row is None or role is None:
            raise NotFound("Workspace not found.")
        access = WorkspaceAccess(
            principal, workspace_id, row.organization_id, role, role_permissions(role)
        )
        if cache is not None:
            cache.store_workspace_access(access, generation)
        return access


def cached_authorizer(cache: AccessCache, settings: Settings) -> CachedAuthorizer:
    """``Authorize`` from the caches alone, for ``CachedGetMiddleware`` (ADR 0008).

    Returns the caller's actor when the cached access for this exact credential grants
    ``permission`` in the workspace; None whenever the caches cannot vouch (no or unknown
    credential, nothing cached, another workspace, permission missing): the request then
    takes the full path, which decides (and refuses) as always.
    """
    secret = settings.secret_key.get_secret_value()

    def authorize(
        headers: Sequence[tuple[bytes, bytes]], workspace_id: uuid.UUID, permission: object
    ) -> Actor | None:
        credential = bearer_credential(headers)
        if credential is None:
            return _cookie_actor(cache, headers, workspace_id, permission)
        if credential.startswith(API_KEY_PREFIX):
            principal = cache.api_key(hash_secret(credential))
            if (
                principal is None
                or principal.api_key_id is None
                or principal.api_key_workspace_id != workspace_id
                or cache.key_workspace(principal.api_key_id, workspace_id) is None
            ):
                return None
            permissions = principal.api_key_permissions
            actor = principal.actor
        else:
            try:
                claims = decode_access_token(credential, secret=secret)
            except Unauthorized:
                return None
            access = cache.workspace_access(claims.user_id, claims.session_id, workspace_id)
            if access is None:
                return None
            permissions = access.permissions
            actor = access.principal.actor
        return actor if permission in permissions else None

    return authorize


def _cookie_actor(
    cache: AccessCache,
    headers: Sequence[tuple[bytes, bytes]],
    workspace_id: uuid.UUID,
    permission: object,
) -> Actor | None:
    """The cached grant of a browser session cookie (never CSRF-checked: reads only)."""
    cookie = session_cookie(headers)
    browser = cache.browser_session(hash_secret(cookie)) if cookie else None
    if browser is None:
        return None
    user_id, session_id = browser[0].user_id, browser[0].session_id
    if user_id is None or session_id is None:
        return None
    access = cache.workspace_access(user_id, session_id, workspace_id)
    if access is None or permission not in access.permissions:
        return None
    return access.principal.actor


def new_api_key_secret() -> tuple[str, str]:
    """(prefix, full secret). The prefix is public and indexable; the rest is never stored."""
    prefix = API_KEY_PREFIX + new_secret(6).replace("-", "x").replace("_", "x")
    return prefix, f"{prefix}.{new_secret(32)}"


__all__ = [
    "Authenticator",
    "BrowserSession",
    "SessionService",
    "TokenPair",
    "cached_authorizer",
    "hash_password",
    "new_api_key_secret",
]
