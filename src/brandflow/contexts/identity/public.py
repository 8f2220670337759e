"""What other contexts may import from identity."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.identity.access_cache import AccessCache
from brandflow.contexts.identity.deps import (
    Authorize,
    OrganizationAdminDep,
    PrincipalDep,
    UserPrincipalDep,
)
from brandflow.contexts.identity.domain import OrganizationAccess, Principal, WorkspaceAccess
from brandflow.contexts.identity.operator import WorkspaceNotFound, operator_access
from brandflow.contexts.identity.permissions import Permission, WorkspaceRole
from brandflow.contexts.identity.repository import IdentityRepository
from brandflow.contexts.identity.sessions import cached_authorizer
from brandflow.contexts.identity.standing import actor_name, current_access


async def organization_of(session: AsyncSession, workspace_id: uuid.UUID) -> uuid.UUID | None:
    """The organization a workspace belongs to (None: no such workspace)."""
    workspace = await IdentityRepository(session).workspace(workspace_id)
    return workspace.organization_id if workspace else None


__all__ = [
    "AccessCache",
    "Authorize",
    "OrganizationAccess",
    "OrganizationAdminDep",
    "Permission",
    "Principal",
    "PrincipalDep",
    "UserPrincipalDep",
    "WorkspaceAccess",
    "WorkspaceNotFound",
    "WorkspaceRole",
    "actor_name",
    "cached_authorizer",
    "current_access",
    "operator_access",
    "organization_of",
]
