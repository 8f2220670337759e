"""Identity queries. Workspace-owned rows are always read through a workspace id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Label, and_, bindparam, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.identity.orm import (
    ApiKey,
    Invitation,
    Organization,
    OrganizationMember,
    RefreshToken,
    User,
    Workspace,
    WorkspaceMember,
)
from brandflow.contexts.identity.permissions import OrganizationRole, WorkspaceRole

_ONE_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class AccessRow:
    workspace_id: uuid.UUID
    organization_id: uuid.UUID
    workspace_role: WorkspaceRole | None
    organization_role: OrganizationRole | None
    session_active: bool


@dataclass(frozen=True, slots=True)
class StandingRow:
    """A workspace and what one user or API key holds in it now (no session involved)."""

    organization_id: uuid.UUID
    workspace_role: WorkspaceRole | None
    organization_role: OrganizationRole | None
    active: bool  # the user is active; the API key is this workspace's and not revoked
    permissions: tuple[str, ...]  # an API key's grants (users: from their role)


@dataclass(frozen=True, slots=True)
class BrowserSessionRow:
    user_id: uuid.UUID
    family_id: uuid.UUID
    expires_at: datetime
    email: str
    display_name: str


class IdentityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- users and sessions ---------------------------------------------------------
    async def user_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email.lower()))

    async def user(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def refresh_token_by_hash(
        self, token_hash: str, purpose: str = "refresh"
    ) -> RefreshToken | None:
        return await self.session.scalar(
            select(RefreshToken)
            .where(RefreshToken.token_hash == token_hash, RefreshToken.purpose == purpose)
            .with_for_update()
        )

    async def browser_session(self, token_hash: str) -> BrowserSessionRow | None:
        """The live browser session of a cookie's secret, with its user, in one round trip."""
        row = (await self.session.execute(_BROWSER_SESSION, {"token_hash": token_hash})).first()
        return BrowserSessionRow(*row) if row else None

    async def revoke_family(self, family_id: uuid.UUID, at: datetime) -> int:
        """Revoke the session's live tokens; returns how many were live."""
        revoked = await self.session.scalars(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)
            .returning(RefreshToken.id)
        )
        return len(revoked.all())

    async def session_active(self, user_id: uuid.UUID, family_id: uuid.UUID) -> bool:
        return bool(
            await self.session.scalar(_SESSION_ACTIVE, {"user_id": user_id, "family_id": family_id})
        )

    # --- access ---------------------------------------------------------------------
    async def workspace_access(
        self, workspace_id: uuid.UUID, user_id: uuid.UUID, family_id: uuid.UUID
    ) -> AccessRow | None:
        """Workspace, the user's roles in it and the session state, in one round trip."""
        params = {"workspace_id": workspace_id, "user_id": user_id, "family_id": family_id}
        row = (await self.session.execute(_WORKSPACE_ACCESS, params)).one_or_none()
        if row is None:
            return None
        return AccessRow(row[0], row[1], row[2], row[3], bool(row[4]))

    async def user_standing(
        self, workspace_id: uuid.UUID, user_id: uuid.UUID
    ) -> StandingRow | None:
        """The user's roles in the workspace and whether the account is active, in one round
        trip; None when there is no such workspace."""
        row = (
            await self.session.execute(
                select(
                    Workspace.organization_id,
                    WorkspaceMember.role,
                    OrganizationMember.role,
                    User.is_active,
                )
                .select_from(Workspace)
                .outerjoin(
                    WorkspaceMember,
                    and_(
                        WorkspaceMember.workspace_id == Workspace.id,
                        WorkspaceMember.user_id == user_id,
                    ),
                )
                .outerjoin(
                    OrganizationMember,
                    and_(
                        OrganizationMember.organization_id == Workspace.organization_id,
                        OrganizationMember.user_id == user_id,
                    ),
                )
                .outerjoin(User, User.id == user_id)
                .where(Workspace.id == workspace_id)
            )
        ).one_or_none()
        if row is None:
            return None
        organization_id, workspace_role, organization_role, is_active = row
        return StandingRow(organization_id, workspace_role, organization_role, bool(is_active), ())

    async def api_key_standing(
        self, workspace_id: uuid.UUID, key_id: uuid.UUID
    ) -> StandingRow | None:
        """The key's grants in the workspace (inactive: revoked, or another workspace's);
        None when there is no such workspace."""
        row = (
            await self.session.execute(
                select(
                    Workspace.organization_id,
                    ApiKey.id,
                    ApiKey.revoked_at,
                    ApiKey.permissions,
                )
                .select_from(Workspace)
                .outerjoin(ApiKey, and_(ApiKey.workspace_id == Workspace.id, ApiKey.id == key_id))
                .where(Workspace.id == workspace_id)
            )
        ).one_or_none()
        if row is None:
            return None
        organization_id, found, revoked_at, permissions = row
        active = found is not None and revoked_at is None
        return StandingRow(
            organization_id, None, None, active, tuple(permissions or ()) if active else ()
        )

    async def api_key_name(self, key_id: uuid.UUID) -> str | None:
        return await self.session.scalar(select(ApiKey.name).where(ApiKey.id == key_id))

    async def workspace(self, workspace_id: uuid.UUID) -> Workspace | None:
        return await self.session.get(Workspace, workspace_id)

    async def workspaces_by_slug(
        self, slug: str, organization_slug: str | None = None
    ) -> list[tuple[Workspace, str]]:
        """Workspaces called ``slug`` (one per organization), with their organization's slug."""
        query = (
            select(Workspace, Organization.slug)
            .join(Organization, Organization.id == Workspace.organization_id)
            .where(Workspace.slug == slug)
        )
        if organization_slug is not None:
            query = query.where(Organization.slug == organization_slug)
        return [(w, o) for w, o in (await self.session.execute(query)).all()]

    async def workspaces_for_user(
        self, user_id: uuid.UUID
    ) -> list[tuple[Workspace, WorkspaceRole | None, OrganizationRole | None]]:
        """Workspaces the user belongs to, directly or as organization owner/admin."""
        managing_orgs = select(OrganizationMember.organization_id).where(
            OrganizationMember.user_id == user_id,
            OrganizationMember.role.in_([OrganizationRole.OWNER, OrganizationRole.ADMIN]),
        )
        rows = await self.session.execute(
            select(Workspace, WorkspaceMember.role, OrganizationMember.role)
            .outerjoin(
                WorkspaceMember,
                and_(
                    WorkspaceMember.workspace_id == Workspace.id, WorkspaceMember.user_id == user_id
                ),
            )
            .outerjoin(
                OrganizationMember,
                and_(
                    OrganizationMember.organization_id == Workspace.organization_id,
                    OrganizationMember.user_id == user_id,
                ),
            )
            .where(
                or_(
                    WorkspaceMember.user_id.is_not(None),
                    Workspace.organization_id.in_(managing_orgs),
                )
            )
            .order_by(Workspace.name, Workspace.id)
        )
        return [(w, wr, orole) for w, wr, orole in rows]

    async def organization_memberships(
        self, user_id: uuid.UUID
    ) -> list[tuple[Organization, OrganizationRole]]:
        rows = await self.session.execute(
            select(Organization, OrganizationMember.role)
            .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
            .where(OrganizationMember.user_id == user_id)
            .order_by(Organization.name)
        )
        return [(o, r) for o, r in rows]

    async def organization_role(
        self, organization_id: uuid.UUID, user_id: uuid.UUID
    ) -> OrganizationRole | None:
        return await self.session.scalar(
            select(OrganizationMember.role).where(
                OrganizationMember.organization_id == organization_id,
                OrganizationMember.user_id == user_id,
            )
        )

    # --- members --------------------------------------------------------------------
    async def members(self, workspace_id: uuid.UUID) -> list[tuple[WorkspaceMember, User]]:
        rows = await self.session.execute(
            select(WorkspaceMember, User)
            .join(User, User.id == WorkspaceMember.user_id)
            .where(WorkspaceMember.workspace_id == workspace_id)
            .order_by(User.email)
        )
        return [(m, u) for m, u in rows]

    async def member(self, workspace_id: uuid.UUID, user_id: uuid.UUID) -> WorkspaceMember | None:
        return await self.session.scalar(
            select(WorkspaceMember)
            .where(WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.user_id == user_id)
            .with_for_update()
        )

    async def lock_managers(self, workspace_id: uuid.UUID) -> int:
        """Lock the workspace's manager rows (in a fixed order) and return how many there are.

        Every change that could remove a manager takes this lock first, so two concurrent
        demotions are serialised and the second sees the first one's result.
        """
        rows = await self.session.scalars(
            select(WorkspaceMember.user_id)
            .where(
                WorkspaceMember.workspace_id == workspace_id,
                WorkspaceMember.role == WorkspaceRole.MANAGER,
            )
            .order_by(WorkspaceMember.user_id)
            .with_for_update()
        )
        return len(list(rows))

    async def lock_workspace(self, workspace_id: uuid.UUID) -> None:
        """Serialize membership changes of one workspace (check-then-insert stays correct)."""
        await self.session.execute(
            select(Workspace.id).where(Workspace.id == workspace_id).with_for_update()
        )

    async def pending_invitation(
        self, workspace_id: uuid.UUID, email: str, now: datetime
    ) -> Invitation | None:
        """An open invitation (not accepted, revoked nor expired) of this email here."""
        return await self.session.scalar(
            select(Invitation)
            .where(
                Invitation.workspace_id == workspace_id,
                Invitation.email == email.lower(),
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .limit(1)
        )

    async def invitation(
        self, workspace_id: uuid.UUID, invitation_id: uuid.UUID
    ) -> Invitation | None:
        """One invitation of the workspace, locked: revocation and acceptance serialise."""
        return await self.session.scalar(
            select(Invitation)
            .where(Invitation.workspace_id == workspace_id, Invitation.id == invitation_id)
            .with_for_update()
        )

    async def invitation_by_token_hash(self, token_hash: str) -> Invitation | None:
        """The invitation holding this token, locked (``FOR UPDATE``) for the rest of the
        transaction: a concurrent acceptance of the same token waits, then sees it accepted."""
        return await self.session.scalar(
            select(Invitation).where(Invitation.token_hash == token_hash).with_for_update()
        )

    async def invitations(self, workspace_id: uuid.UUID) -> list[Invitation]:
        rows = await self.session.scalars(
            select(Invitation)
            .where(Invitation.workspace_id == workspace_id)
            .order_by(Invitation.created_at.desc())
        )
        return list(rows)

    # --- API keys -------------------------------------------------------------------
    async def api_keys(self, workspace_id: uuid.UUID) -> list[ApiKey]:
        rows = await self.session.scalars(
            select(ApiKey).where(ApiKey.workspace_id == workspace_id).order_by(ApiKey.created_at)
        )
        return list(rows)

    async def api_key(
        self, workspace_id: uuid.UUID, key_id: uuid.UUID, *, for_update: bool = False
    ) -> ApiKey | None:
        query = select(ApiKey).where(ApiKey.workspace_id == workspace_id, ApiKey.id == key_id)
        return await self.session.scalar(query.with_for_update() if for_update else query)

    async def api_key_by_prefix(self, prefix: str) -> ApiKey | None:
        return await self.session.scalar(
            select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
        )

    async def touch_api_key(self, key_id: uuid.UUID, at: datetime) -> None:
        # Minute granularity keeps hot keys from rewriting their row on every call.
        await self.session.execute(
            update(ApiKey)
            .where(
                ApiKey.id == key_id,
                or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < at - _ONE_MINUTE),
            )
            .values(last_used_at=at)
        )


def _session_active_clause(
    user_id: ColumnElement[uuid.UUID], family_id: ColumnElement[uuid.UUID]
) -> Label[bool]:
    """True while the user is active and the sign-in session (token family) is not revoked."""
    return and_(
        exists().where(User.id == user_id, User.is_active.is_(True)),
        exists().where(
            RefreshToken.family_id == family_id,
            RefreshToken.user_id == user_id,
            RefreshToken.revoked_at.is_(None),
        ),
    ).label("session_active")


# Statements of the per-request access check, built once with bind parameters: SQLAlchemy
# neither rebuilds them nor recomputes their cache key on every request.
_USER_ID = bindparam("user_id", type_=User.__table__.c.id.type)
_FAMILY_ID = bindparam("family_id", type_=RefreshToken.__table__.c.family_id.type)
_SESSION_ACTIVE = select(_session_active_clause(_USER_ID, _FAMILY_ID))
_ws = Workspace.__table__.c
_wm = WorkspaceMember.__table__.c
_om = OrganizationMember.__table__.c
_WORKSPACE_ACCESS = (
    select(
        _ws.id,
        _ws.organization_id,
        _wm.role,
        _om.role,
        _session_active_clause(_USER_ID, _FAMILY_ID),
    )
    .select_from(Workspace.__table__)
    .outerjoin(WorkspaceMember.__table__, and_(_wm.workspace_id == _ws.id, _wm.user_id == _USER_ID))
    .outerjoin(
        OrganizationMember.__table__,
        and_(_om.organization_id == _ws.organization_id, _om.user_id == _USER_ID),
    )
    .where(_ws.id == bindparam("workspace_id", type_=_ws.id.type))
)

_rt = RefreshToken.__table__.c
_users = User.__table__.c
_BROWSER_SESSION = (
    select(_rt.user_id, _rt.family_id, _rt.expires_at, _users.email, _users.display_name)
    .join(User.__table__, _users.id == _rt.user_id)
    .where(
        _rt.token_hash == bindparam("token_hash", type_=_rt.token_hash.type),
        _rt.purpose == "browser",
        _rt.revoked_at.is_(None),
        _rt.expires_at > func.now(),
        _users.is_active.is_(True),
    )
)
