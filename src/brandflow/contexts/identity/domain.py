"""Identity facts: the events this context publishes and the access a caller holds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import Field

from brandflow.contexts.identity.permissions import (
    ORGANIZATION_ROLE_WORKSPACE_ROLE,
    OrganizationRole,
    Permission,
    WorkspaceRole,
    permissions_for,
)
from brandflow.kernel.context import Actor
from brandflow.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: a user (with a sign-in session) or a workspace API key."""

    actor: Actor
    user_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    api_key_workspace_id: uuid.UUID | None = None
    api_key_permissions: frozenset[Permission] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class WorkspaceAccess:
    """What the caller may do inside one workspace; every workspace-scoped service takes it."""

    principal: Principal
    workspace_id: uuid.UUID
    organization_id: uuid.UUID
    role: WorkspaceRole | None
    permissions: frozenset[Permission]

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


@dataclass(frozen=True, slots=True)
class OrganizationAccess:
    """A signed-in owner or admin of one organization (organization-wide settings)."""

    principal: Principal
    organization_id: uuid.UUID
    role: OrganizationRole


def effective_role(
    workspace_role: WorkspaceRole | None, organization_role: OrganizationRole | None
) -> WorkspaceRole | None:
    """Organization owners/admins act as managers everywhere in their organization."""
    implied = ORGANIZATION_ROLE_WORKSPACE_ROLE.get(organization_role) if organization_role else None
    return implied or workspace_role


def role_permissions(role: WorkspaceRole | None) -> frozenset[Permission]:
    return permissions_for(role) if role is not None else frozenset()


class MemberInvited(DomainEvent):
    name: ClassVar[str] = "identity.member_invited"
    subject_type: ClassVar[str] = "invitation"
    email: str
    role: WorkspaceRole


class InvitationRevoked(DomainEvent):
    name: ClassVar[str] = "identity.invitation_revoked"
    subject_type: ClassVar[str] = "invitation"
    email: str


class InvitationAccepted(DomainEvent):
    name: ClassVar[str] = "identity.invitation_accepted"
    subject_type: ClassVar[str] = "invitation"
    user_id: uuid.UUID
    role: WorkspaceRole
    new_account: bool = Field(description="The invitee's account was created on acceptance")


class MemberAdded(DomainEvent):
    name: ClassVar[str] = "identity.member_added"
    subject_type: ClassVar[str] = "workspace_member"
    role: WorkspaceRole
    invitation_id: uuid.UUID


class MemberRoleChanged(DomainEvent):
    name: ClassVar[str] = "identity.member_role_changed"
    subject_type: ClassVar[str] = "workspace_member"
    role: WorkspaceRole


class MemberRemoved(DomainEvent):
    name: ClassVar[str] = "identity.member_removed"
    subject_type: ClassVar[str] = "workspace_member"


class ApiKeyCreated(DomainEvent):
    name: ClassVar[str] = "identity.api_key_created"
    subject_type: ClassVar[str] = "api_key"
    key_name: str
    permissions: list[Permission]


class ApiKeyRevoked(DomainEvent):
    name: ClassVar[str] = "identity.api_key_revoked"
    subject_type: ClassVar[str] = "api_key"


class UserSignedIn(DomainEvent):
    name: ClassVar[str] = "identity.user_signed_in"
    subject_type: ClassVar[str] = "user"


class SessionRevoked(DomainEvent):
    name: ClassVar[str] = "identity.session_revoked"
    subject_type: ClassVar[str] = "session"
    reason: str
