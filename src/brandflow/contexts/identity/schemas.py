"""API models of the identity context."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, SecretStr, StringConstraints

from brandflow.contexts.identity.permissions import OrganizationRole, Permission, WorkspaceRole


class WriteModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str


class RefreshRequest(WriteModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class LogoutRequest(WriteModel):
    refresh_token: str | None = Field(default=None, min_length=10, max_length=200)


class BrowserSignIn(WriteModel):
    email: str = Field(min_length=3, max_length=320, examples=["writer@northwind.example"])
    password: SecretStr = Field(min_length=1, max_length=1024)


class OrganizationMembershipRead(BaseModel):
    organization_id: uuid.UUID
    organization_name: str
    role: OrganizationRole


class WorkspaceMembershipRead(BaseModel):
    workspace_id: uuid.UUID
    workspace_name: str
    organization_id: uuid.UUID
    role: WorkspaceRole


class UserRead(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str


class MeRead(BaseModel):
    user: UserRead
    organizations: list[OrganizationMembershipRead]
    workspaces: list[WorkspaceMembershipRead]


class BrowserSessionRead(BaseModel):
    user: UserRead
    csrf_token: str = Field(description="Send as `X-CSRF-Token` with unsafe requests")
    expires_at: datetime


class WorkspaceRead(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    slug: str
    role: WorkspaceRole | None = Field(description="The caller's effective role here")
    permissions: list[Permission]
    created_at: datetime


class MemberRead(BaseModel):
    user_id: uuid.UUID
    email: str
    display_name: str
    role: WorkspaceRole
    joined_at: datetime


class InvitationCreate(WriteModel):
    email: EmailStr
    role: WorkspaceRole


class InvitationRead(BaseModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    email: str
    role: WorkspaceRole
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class InvitationCreated(InvitationRead):
    token: str = Field(description="Shown once; the invitee accepts with it")


class InvitationAccept(BaseModel):
    """Accept an invitation. An invitee without an account names it and picks a password;
    one with an account signs in first and sends only the token (other fields are ignored)."""

    # No global whitespace stripping: a password is kept exactly as typed, as sign-in reads it.
    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, StringConstraints(strip_whitespace=True)] = Field(
        min_length=10, max_length=200, description="The invitation's token"
    )
    display_name: Annotated[str, StringConstraints(strip_whitespace=True)] | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Required when the invited email has no account yet",
    )
    password: str | None = Field(
        default=None,
        min_length=12,
        max_length=1024,
        description="Required when the invited email has no account yet",
    )


class InvitationAcceptedRead(BaseModel):
    """The membership the invitation granted."""

    workspace_id: uuid.UUID
    workspace_name: str
    organization_id: uuid.UUID
    role: WorkspaceRole
    user_id: uuid.UUID
    email: str
    new_account: bool = Field(description="True when the account was created by this call")


class MemberUpdate(WriteModel):
    role: WorkspaceRole


class ApiKeyCreate(WriteModel):
    name: str = Field(min_length=1, max_length=120)
    permissions: list[Permission] = Field(min_length=1, max_length=len(Permission))


class ApiKeyRead(BaseModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    prefix: str
    permissions: list[Permission]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    secret: str = Field(description="Shown once. Send as `Authorization: Bearer <secret>`")
