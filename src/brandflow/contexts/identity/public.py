"""What other contexts may import from identity."""

from brandflow.contexts.identity.deps import Authorize, PrincipalDep, UserPrincipalDep
from brandflow.contexts.identity.domain import Principal, WorkspaceAccess
from brandflow.contexts.identity.permissions import Permission, WorkspaceRole

__all__ = [
    "Authorize",
    "Permission",
    "Principal",
    "PrincipalDep",
    "UserPrincipalDep",
    "WorkspaceAccess",
    "WorkspaceRole",
]
