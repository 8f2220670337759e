"""Access for operators at the machine: commands such as `brandflow knowledge ingest`.

Whoever can run the command can already read the database it points at, so the command
acts as the system, with a manager's permissions in the workspace it names, and every
change it makes is audited under its own name (``system:<command>``).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.identity.domain import Principal, WorkspaceAccess
from brandflow.contexts.identity.permissions import WorkspaceRole, permissions_for
from brandflow.contexts.identity.repository import IdentityRepository
from brandflow.kernel.context import Actor


class WorkspaceNotFound(LookupError):
    """No workspace, or more than one, answers to the name given; the message says which."""


async def operator_access(
    session: AsyncSession, command: str, workspace_slug: str, organization_slug: str | None = None
) -> WorkspaceAccess:
    matches = await IdentityRepository(session).workspaces_by_slug(
        workspace_slug, organization_slug
    )
    if not matches:
        where = f" in organization `{organization_slug}`" if organization_slug else ""
        raise WorkspaceNotFound(f"No workspace `{workspace_slug}`{where}.")
    if len(matches) > 1:
        organizations = ", ".join(sorted(org for _, org in matches))
        raise WorkspaceNotFound(
            f"Several organizations have a workspace `{workspace_slug}` ({organizations}); "
            "name one with --organization."
        )
    workspace, _ = matches[0]
    return WorkspaceAccess(
        principal=Principal(actor=Actor.system(command)),
        workspace_id=workspace.id,
        organization_id=workspace.organization_id,
        role=WorkspaceRole.MANAGER,
        permissions=permissions_for(WorkspaceRole.MANAGER),
    )
