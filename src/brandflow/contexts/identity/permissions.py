"""The one declarative table of who may do what. Every endpoint names one ``Permission``."""

from __future__ import annotations

from enum import StrEnum


class OrganizationRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class WorkspaceRole(StrEnum):
    MANAGER = "manager"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    CLIENT_APPROVER = "client_approver"
    VIEWER = "viewer"


class Permission(StrEnum):
    WORKSPACE_READ = "workspace:read"
    MEMBERS_READ = "members:read"
    MEMBERS_MANAGE = "members:manage"
    API_KEYS_MANAGE = "api_keys:manage"
    CAMPAIGNS_READ = "campaigns:read"
    CAMPAIGNS_WRITE = "campaigns:write"
    CONTENT_READ = "content:read"
    CONTENT_WRITE = "content:write"
    AUDIT_READ = "audit:read"
    BRAND_KIT_READ = "brand_kit:read"
    BRAND_KIT_WRITE = "brand_kit:write"
    KNOWLEDGE_READ = "knowledge:read"
    KNOWLEDGE_WRITE = "knowledge:write"
    USAGE_READ = "usage:read"
    BUDGETS_MANAGE = "budgets:manage"
    AI_GENERATE = "ai:generate"
    AI_SETTINGS_MANAGE = "ai_settings:manage"


P = Permission
_READ = frozenset(
    {P.WORKSPACE_READ, P.CAMPAIGNS_READ, P.CONTENT_READ, P.BRAND_KIT_READ, P.KNOWLEDGE_READ}
)

WORKSPACE_ROLE_PERMISSIONS: dict[WorkspaceRole, frozenset[Permission]] = {
    WorkspaceRole.MANAGER: frozenset(Permission),
    # Editors feed the knowledge base; the brand kit (the rules checks enforce) is managers'.
    # Money: agency staff see what model calls cost (editors spend it, reviewers check it);
    # only managers set budgets. Editors run the AI studio (and so spend); only managers change
    # its settings (prompt templates, model routing, the minimum check score). Client approvers and viewers see no costs: the agency
    # decides what it bills and shares (its reports, not our raw provider costs).
    WorkspaceRole.EDITOR: _READ
    | {
        P.MEMBERS_READ,
        P.CAMPAIGNS_WRITE,
        P.CONTENT_WRITE,
        P.KNOWLEDGE_WRITE,
        P.USAGE_READ,
        P.AI_GENERATE,
    },
    WorkspaceRole.REVIEWER: _READ | {P.MEMBERS_READ, P.USAGE_READ},
    WorkspaceRole.CLIENT_APPROVER: _READ,
    WorkspaceRole.VIEWER: _READ,
}

# Organization owners and admins act as managers in every workspace of their organization;
# plain organization members see only the workspaces they are members of.
ORGANIZATION_ROLE_WORKSPACE_ROLE: dict[OrganizationRole, WorkspaceRole | None] = {
    OrganizationRole.OWNER: WorkspaceRole.MANAGER,
    OrganizationRole.ADMIN: WorkspaceRole.MANAGER,
    OrganizationRole.MEMBER: None,
}

# What an API key may be granted: never member or key management.
API_KEY_GRANTABLE: frozenset[Permission] = frozenset(Permission) - {
    P.MEMBERS_MANAGE,
    P.API_KEYS_MANAGE,
}


def permissions_for(role: WorkspaceRole) -> frozenset[Permission]:
    return WORKSPACE_ROLE_PERMISSIONS[role]
