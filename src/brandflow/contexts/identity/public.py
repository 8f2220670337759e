"""What other contexts may import from identity."""

from brandflow.contexts.identity.access_cache import AccessCache
from brandflow.contexts.identity.deps import Authorize, PrincipalDep, UserPrincipalDep
from brandflow.contexts.identity.domain import Principal, WorkspaceAccess
from brandflow.contexts.identity.operator import WorkspaceNotFound, operator_access
from brandflow.contexts.identity.permissions import Permission, WorkspaceRole
from brandflow.contexts.identity.sessions import cached_authorizer

__all__ = [
    "AccessCache",
    "Authorize",
    "Permission",
    "Principal",
    "PrincipalDep",
    "UserPrincipalDep",
    "WorkspaceAccess",
    "WorkspaceNotFound",
    "WorkspaceRole",
    "cached_authorizer",
    "operator_access",
]
