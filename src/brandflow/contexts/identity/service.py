"""Identity use cases: profile, workspaces, members, invitations and API keys."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import ClassVar

from sqlalchemy.exc import IntegrityError

from brandflow.contexts.identity import schemas
from brandflow.contexts.identity.domain import (
    ApiKeyCreated,
    ApiKeyRevoked,
    InvitationAccepted,
    InvitationRevoked,
    MemberAdded,
    MemberInvited,
    MemberRemoved,
    MemberRoleChanged,
    Principal,
    WorkspaceAccess,
    effective_role,
    role_permissions,
)
from brandflow.contexts.identity.orm import ApiKey, Invitation, User, WorkspaceMember
from brandflow.contexts.identity.permissions import API_KEY_GRANTABLE, Permission, WorkspaceRole
from brandflow.contexts.identity.repository import IdentityRepository
from brandflow.contexts.identity.sessions import new_api_key_secret
from brandflow.kernel.auth.passwords import hash_password
from brandflow.kernel.auth.tokens import hash_secret, new_secret
from brandflow.kernel.context import Actor, actor_var, workspace_id_var
from brandflow.kernel.db import utcnow
from brandflow.kernel.errors import (
    AppError,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    Unprocessable,
)
from brandflow.kernel.uow import UnitOfWork

INVITATION_DAYS = 7

# Resolves the caller's bearer credential, when one was sent (None otherwise). Only asked
# when the invitation is for an existing account: a new invitee needs no credential.
CallerResolver = Callable[[], Awaitable[Principal | None]]


class InvitationGone(AppError):
    """The token is real but can no longer be used (accepted, revoked or expired)."""

    status: ClassVar[int] = 410
    code: ClassVar[str] = "invitation-gone"
    title: ClassVar[str] = "Invitation no longer valid"


class IdentityService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = IdentityRepository(uow.session)

    # --- the caller -------------------------------------------------------------------
    async def me(self, principal: Principal) -> schemas.MeRead:
        assert principal.user_id is not None
        user = await self.repo.user(principal.user_id)
        if user is None:
            raise NotFound("User not found.")
        orgs = await self.repo.organization_memberships(user.id)
        workspaces = await self.repo.workspaces_for_user(user.id)
        return schemas.MeRead(
            user=schemas.UserRead(id=user.id, email=user.email, display_name=user.display_name),
            organizations=[
                schemas.OrganizationMembershipRead(
                    organization_id=o.id, organization_name=o.name, role=r
                )
                for o, r in orgs
            ],
            workspaces=[
                schemas.WorkspaceMembershipRead(
                    workspace_id=w.id,
                    workspace_name=w.name,
                    organization_id=w.organization_id,
                    role=role,
                )
                for w, wr, orole in workspaces
                if (role := effective_role(wr, orole)) is not None
            ],
        )

    async def workspaces(self, principal: Principal) -> list[schemas.WorkspaceRead]:
        if principal.api_key_workspace_id is not None:
            workspace = await self.repo.workspace(principal.api_key_workspace_id)
            if workspace is None:
                return []
            return [
                schemas.WorkspaceRead(
                    id=workspace.id,
                    organization_id=workspace.organization_id,
                    name=workspace.name,
                    slug=workspace.slug,
                    role=None,
                    permissions=sorted(principal.api_key_permissions),
                    created_at=workspace.created_at,
                )
            ]
        assert principal.user_id is not None
        result = []
        for w, wr, orole in await self.repo.workspaces_for_user(principal.user_id):
            role = effective_role(wr, orole)
            result.append(
                schemas.WorkspaceRead(
                    id=w.id,
                    organization_id=w.organization_id,
                    name=w.name,
                    slug=w.slug,
                    role=role,
                    permissions=sorted(role_permissions(role)),
                    created_at=w.created_at,
                )
            )
        return result

    async def workspace(self, access: WorkspaceAccess) -> schemas.WorkspaceRead:
        workspace = await self.repo.workspace(access.workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found.")
        return schemas.WorkspaceRead(
            id=workspace.id,
            organization_id=workspace.organization_id,
            name=workspace.name,
            slug=workspace.slug,
            role=access.role,
            permissions=sorted(access.permissions),
            created_at=workspace.created_at,
        )

    # --- members ----------------------------------------------------------------------
    async def members(self, access: WorkspaceAccess) -> list[schemas.MemberRead]:
        return [_member_read(m, u) for m, u in await self.repo.members(access.workspace_id)]

    async def invite(
        self, access: WorkspaceAccess, data: schemas.InvitationCreate
    ) -> schemas.InvitationCreated:
        email = str(data.email).lower()
        await self.repo.lock_workspace(access.workspace_id)  # two invites race otherwise
        existing = await self.repo.user_by_email(email)
        if existing and await self.repo.member(access.workspace_id, existing.id):
            raise Conflict(f"{email} is already a member of this workspace.")
        if await self.repo.pending_invitation(access.workspace_id, email, utcnow()):
            raise Conflict(f"{email} already has a pending invitation to this workspace.")
        token = new_secret()
        invitation = Invitation(
            workspace_id=access.workspace_id,
            email=email,
            role=data.role,
            token_hash=hash_secret(token),
            invited_by=access.principal.user_id,
            expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
        )
        self.uow.session.add(invitation)
        await self.uow.session.flush()
        self.uow.record(
            MemberInvited(
                workspace_id=access.workspace_id,
                subject_id=invitation.id,
                email=email,
                role=data.role,
                changes={"role": [None, data.role.value]},
            )
        )
        return schemas.InvitationCreated(**_invitation_read(invitation).model_dump(), token=token)

    async def invitations(self, access: WorkspaceAccess) -> list[schemas.InvitationRead]:
        return [_invitation_read(i) for i in await self.repo.invitations(access.workspace_id)]

    async def revoke_invitation(self, access: WorkspaceAccess, invitation_id: uuid.UUID) -> None:
        """Withdraw an open invitation. Revoking twice (or an expired one) is harmless."""
        invitation = await self.repo.invitation(access.workspace_id, invitation_id)
        if invitation is None:
            raise NotFound("Invitation not found.")
        if invitation.accepted_at is not None:
            raise Conflict("The invitation was already accepted; remove the member instead.")
        if invitation.revoked_at is not None:
            return
        invitation.revoked_at = utcnow()
        self.uow.record(
            InvitationRevoked(
                workspace_id=access.workspace_id,
                subject_id=invitation.id,
                email=invitation.email,
                changes={"status": ["pending", "revoked"]},
            )
        )

    async def accept_invitation(
        self, data: schemas.InvitationAccept, caller: CallerResolver
    ) -> schemas.InvitationAcceptedRead:
        """Join the invitation's workspace with the invited role.

        * Unknown token: 404. Accepted, revoked or expired token: 410 with the reason.
        * No account with the invited email: one is created (``display_name`` and
          ``password`` required, else 422) and joins the workspace.
        * An existing account: the caller must be signed in as that user with a bearer
          access token (none: 401; an API key or another user: 403); already a member: 409.

        The invitation row is locked first (``FOR UPDATE``), so concurrent acceptances of one
        token are serialised and only the first succeeds.
        """
        # Why 410 and 404 apart, not one 404 for all: tokens are 256-bit random secrets, so
        # the answer is no oracle to someone who lacks the token (they cannot find one), and
        # the one who holds it (the invitee) learns whether to ask for a new invitation.
        invitation = await self.repo.invitation_by_token_hash(hash_secret(data.token))
        if invitation is None:
            raise NotFound("No invitation has this token.")
        now = utcnow()
        _check_open(invitation, now)
        workspace = await self.repo.workspace(invitation.workspace_id)
        if workspace is None:
            raise NotFound("No invitation has this token.")
        self.uow.organization_id = workspace.organization_id
        workspace_id_var.set(workspace.id)

        user = await self.repo.user_by_email(invitation.email)
        new_account = user is None
        if user is None:
            user = await self._create_invited_user(invitation, data)
        else:
            await self._require_signed_in_as(user, caller)
            if await self.repo.member(workspace.id, user.id) is not None:
                raise Conflict("You are already a member of this workspace.")
        actor_var.set(Actor("user", str(user.id)))

        self.uow.session.add(
            WorkspaceMember(workspace_id=workspace.id, user_id=user.id, role=invitation.role)
        )
        invitation.accepted_at = now
        try:
            await self.uow.session.flush()
        except IntegrityError as exc:  # the same person joined in a concurrent request
            raise Conflict("You are already a member of this workspace.") from exc
        self.uow.record(
            InvitationAccepted(
                workspace_id=workspace.id,
                subject_id=invitation.id,
                user_id=user.id,
                role=invitation.role,
                new_account=new_account,
                changes={"status": ["pending", "accepted"]},
            ),
            MemberAdded(
                workspace_id=workspace.id,
                subject_id=user.id,
                role=invitation.role,
                invitation_id=invitation.id,
                changes={"role": [None, invitation.role.value]},
            ),
        )
        return schemas.InvitationAcceptedRead(
            workspace_id=workspace.id,
            workspace_name=workspace.name,
            organization_id=workspace.organization_id,
            role=invitation.role,
            user_id=user.id,
            email=user.email,
            new_account=new_account,
        )

    async def _create_invited_user(
        self, invitation: Invitation, data: schemas.InvitationAccept
    ) -> User:
        display_name, password = data.display_name, data.password
        if display_name is None or password is None:
            missing = [f for f in ("display_name", "password") if getattr(data, f) is None]
            raise Unprocessable(
                f"{invitation.email} has no account yet: send "
                + " and ".join(f"`{f}`" for f in missing)
                + " to create it."
            )
        email = invitation.email  # read now: after a failed flush the row cannot be loaded
        user = User(
            email=email,
            display_name=display_name,
            password_hash=hash_password(password),
        )
        self.uow.session.add(user)
        try:
            await self.uow.session.flush()  # the membership row needs the user's id
        except IntegrityError as exc:  # the same email signed up in a concurrent request
            raise Conflict(
                f"An account for {email} was just created; sign in and try again."
            ) from exc
        return user

    async def _require_signed_in_as(self, user: User, caller: CallerResolver) -> None:
        principal = await caller()
        if principal is None:
            raise Unauthorized(
                "This invitation is for an existing account: sign in as its invitee and send "
                "`Authorization: Bearer <access token>`."
            )
        if principal.user_id is None:
            raise Forbidden("Accepting an invitation needs a signed-in user, not an API key.")
        if principal.user_id != user.id:
            raise Forbidden("This invitation is for another account; sign in as its invitee.")

    async def change_role(
        self, access: WorkspaceAccess, user_id: uuid.UUID, data: schemas.MemberUpdate
    ) -> schemas.MemberRead:
        managers = await self.repo.lock_managers(access.workspace_id)  # before the member row
        member = await self._member(access, user_id)
        before = member.role
        if before != data.role:
            if before == WorkspaceRole.MANAGER:
                _keep_a_manager(managers)
            member.role = data.role
            self.uow.record(
                MemberRoleChanged(
                    workspace_id=access.workspace_id,
                    subject_id=user_id,
                    role=data.role,
                    changes={"role": [before.value, data.role.value]},
                )
            )
            await self.uow.session.flush()
        user = await self.repo.user(user_id)
        if user is None:  # the membership references it; only a concurrent erasure gets here
            raise NotFound("Member not found.")
        return _member_read(member, user)

    async def remove(self, access: WorkspaceAccess, user_id: uuid.UUID) -> None:
        managers = await self.repo.lock_managers(access.workspace_id)  # before the member row
        member = await self._member(access, user_id)
        if member.role == WorkspaceRole.MANAGER:
            _keep_a_manager(managers)
        await self.uow.session.delete(member)
        self.uow.record(
            MemberRemoved(
                workspace_id=access.workspace_id,
                subject_id=user_id,
                changes={"role": [member.role.value, None]},
            )
        )

    async def _member(self, access: WorkspaceAccess, user_id: uuid.UUID) -> WorkspaceMember:
        member = await self.repo.member(access.workspace_id, user_id)
        if member is None:
            raise NotFound("Member not found.")
        return member

    # --- API keys ---------------------------------------------------------------------
    async def api_keys(self, access: WorkspaceAccess) -> list[schemas.ApiKeyRead]:
        return [_api_key_read(k) for k in await self.repo.api_keys(access.workspace_id)]

    async def create_api_key(
        self, access: WorkspaceAccess, data: schemas.ApiKeyCreate
    ) -> schemas.ApiKeyCreated:
        requested = set(data.permissions)
        if not requested <= API_KEY_GRANTABLE:
            raise Unprocessable(
                "API keys cannot manage members or keys: "
                + ", ".join(sorted(requested - API_KEY_GRANTABLE))
            )
        if not requested <= access.permissions:
            raise Unprocessable("An API key cannot hold permissions its creator lacks.")
        prefix, secret = new_api_key_secret()
        key = ApiKey(
            workspace_id=access.workspace_id,
            name=data.name,
            prefix=prefix,
            secret_hash=hash_secret(secret),
            permissions=sorted(requested),
            created_by=access.principal.user_id,
        )
        self.uow.session.add(key)
        try:
            await self.uow.session.flush()
        except IntegrityError as exc:  # a prefix collision: astronomically rare, still safe
            raise Conflict("Could not create the key; try again.") from exc
        self.uow.record(
            ApiKeyCreated(
                workspace_id=access.workspace_id,
                subject_id=key.id,
                key_name=key.name,
                permissions=sorted(requested),
            )
        )
        return schemas.ApiKeyCreated(**_api_key_read(key).model_dump(), secret=secret)

    async def revoke_api_key(self, access: WorkspaceAccess, key_id: uuid.UUID) -> None:
        key = await self.repo.api_key(access.workspace_id, key_id, for_update=True)
        if key is None:
            raise NotFound("API key not found.")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            self.uow.record(ApiKeyRevoked(workspace_id=access.workspace_id, subject_id=key.id))


def _check_open(invitation: Invitation, now: datetime) -> None:
    if invitation.accepted_at is not None:
        raise InvitationGone("This invitation was already accepted.")
    if invitation.revoked_at is not None:
        raise InvitationGone("This invitation was revoked; ask for a new one.")
    if invitation.expires_at <= now:
        raise InvitationGone("This invitation has expired; ask for a new one.")


def _keep_a_manager(managers: int) -> None:
    if managers <= 1:
        raise Conflict("A workspace keeps at least one manager; appoint another first.")


def _member_read(member: WorkspaceMember, user: User) -> schemas.MemberRead:
    return schemas.MemberRead(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=member.role,
        joined_at=member.created_at,
    )


def _invitation_read(i: Invitation) -> schemas.InvitationRead:
    return schemas.InvitationRead.model_validate(i, from_attributes=True)


def _api_key_read(k: ApiKey) -> schemas.ApiKeyRead:
    return schemas.ApiKeyRead(
        id=k.id,
        workspace_id=k.workspace_id,
        name=k.name,
        prefix=k.prefix,
        permissions=sorted(Permission(p) for p in k.permissions),
        created_at=k.created_at,
        last_used_at=k.last_used_at,
        revoked_at=k.revoked_at,
    )
