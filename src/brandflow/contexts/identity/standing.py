"""The access an actor holds now, without a request or a sign-in session.

For work that runs after the request that was authorized: a generation job re-checks that
whoever queued it may still do so when it runs. Resolved like a request's access
(``Authenticator.workspace_access``), never from the access cache: a user's workspace role,
or the manager role of an organization owner/admin, and none once the account is
deactivated; an API key's own grants while it is not revoked and belongs to the workspace.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.identity.domain import (
    Principal,
    WorkspaceAccess,
    effective_role,
    role_permissions,
)
from brandflow.contexts.identity.permissions import Permission
from brandflow.contexts.identity.repository import IdentityRepository
from brandflow.kernel.context import Actor
from brandflow.kernel.errors import NotFound

_PERMISSIONS = frozenset(p.value for p in Permission)


async def current_access(
    session: AsyncSession, actor: Actor, workspace_id: uuid.UUID
) -> WorkspaceAccess | None:
    """What ``actor`` may do in the workspace now (no role and no permissions: nothing).

    None for actors identity does not vouch for (the system and its commands): their callers
    decide. ``NotFound`` when the workspace no longer exists.
    """
    repo = IdentityRepository(session)
    ref = actor.as_uuid()
    if actor.type == "user":
        principal = Principal(actor=actor, user_id=ref)
        row = await repo.user_standing(workspace_id, ref) if ref else None
        if row is None:
            return await _nothing(repo, principal, workspace_id)
        role = effective_role(row.workspace_role, row.organization_role) if row.active else None
        return WorkspaceAccess(
            principal, workspace_id, row.organization_id, role, role_permissions(role)
        )
    if actor.type == "api_key":
        row = await repo.api_key_standing(workspace_id, ref) if ref else None
        if row is None:
            return await _nothing(repo, Principal(actor=actor, api_key_id=ref), workspace_id)
        # A stored grant this version no longer knows grants nothing (requests fail on it).
        permissions = frozenset(Permission(p) for p in row.permissions if p in _PERMISSIONS)
        principal = Principal(
            actor=actor,
            api_key_id=ref,
            api_key_workspace_id=workspace_id if row.active else None,
            api_key_permissions=permissions,
        )
        return WorkspaceAccess(principal, workspace_id, row.organization_id, None, permissions)
    return None


async def actor_name(session: AsyncSession, actor: Actor) -> str:
    """How to name the actor to people: a user's display name, an API key's name."""
    repo = IdentityRepository(session)
    ref = actor.as_uuid()
    if actor.type == "user":
        user = await repo.user(ref) if ref else None
        return user.display_name if user else "The person who asked"
    if actor.type == "api_key":
        name = await repo.api_key_name(ref) if ref else None
        return f"The API key “{name}”" if name else "The API key that asked"
    return actor.id


async def _nothing(
    repo: IdentityRepository, principal: Principal, workspace_id: uuid.UUID
) -> WorkspaceAccess:
    workspace = await repo.workspace(workspace_id)
    if workspace is None:
        raise NotFound("Workspace not found.")
    return WorkspaceAccess(principal, workspace_id, workspace.organization_id, None, frozenset())
