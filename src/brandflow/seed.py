"""Demo data: Northwind Agency, its two client workspaces, six accounts, campaigns, content."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from brandflow.contexts.campaigns import schemas as campaign_schemas
from brandflow.contexts.campaigns.domain import CampaignStatus, Channel
from brandflow.contexts.campaigns.service import CampaignService
from brandflow.contexts.identity.domain import Principal, WorkspaceAccess, role_permissions
from brandflow.contexts.identity.orm import (
    Organization,
    OrganizationMember,
    User,
    Workspace,
    WorkspaceMember,
)
from brandflow.contexts.identity.permissions import OrganizationRole, WorkspaceRole
from brandflow.kernel.auth.passwords import hash_password
from brandflow.kernel.context import Actor, actor_var
from brandflow.kernel.db import create_engine, create_sessionmaker
from brandflow.kernel.uow import UnitOfWork
from brandflow.settings import Settings

ORGANIZATION = ("Northwind Agency", "northwind")
WORKSPACES = {"acme-running": "Acme Running", "globex-coffee": "Globex Coffee"}
BOTH = tuple(WORKSPACES)
# email -> (display name, organization role or None, {workspace slug: role})
ACCOUNTS: dict[str, tuple[str, OrganizationRole | None, dict[str, WorkspaceRole]]] = {
    "owner@northwind.example": ("Olivia Owner", OrganizationRole.OWNER, {}),
    "strategist@northwind.example": (
        "Sam Strategist",
        OrganizationRole.MEMBER,
        dict.fromkeys(BOTH, WorkspaceRole.MANAGER),
    ),
    "writer@northwind.example": (
        "Wendy Writer",
        OrganizationRole.MEMBER,
        dict.fromkeys(BOTH, WorkspaceRole.EDITOR),
    ),
    "reviewer@northwind.example": (
        "Rafael Reviewer",
        OrganizationRole.MEMBER,
        dict.fromkeys(BOTH, WorkspaceRole.REVIEWER),
    ),
    "client@acme.example": ("Casey Acme", None, {"acme-running": WorkspaceRole.CLIENT_APPROVER}),
    "client@globex.example": (
        "Gina Globex",
        None,
        {"globex-coffee": WorkspaceRole.CLIENT_APPROVER},
    ),
}

CAMPAIGNS: dict[str, list[campaign_schemas.CampaignCreate]] = {
    "acme-running": [
        campaign_schemas.CampaignCreate(
            name="Spring Trail Launch",
            objective="Launch the TrailFlow 3 shoe to trail runners",
            audience="Trail runners aged 25-45 in the UK and Germany",
            key_messages=["Grip that holds on wet rock", "30% lighter than TrailFlow 2"],
            channels=[Channel.EMAIL, Channel.X, Channel.INSTAGRAM, Channel.SEARCH_AD],
            start_date=date(2027, 3, 1),
            end_date=date(2027, 4, 30),
            budget=campaign_schemas.Money(amount=Decimal("25000.00"), currency="EUR"),
            status=CampaignStatus.ACTIVE,
        ),
        campaign_schemas.CampaignCreate(
            name="City Marathon Partnership",
            objective="Sign up runners for the Acme training plan",
            audience="First-time marathon runners",
            key_messages=["Train with a plan that adapts to you"],
            channels=[Channel.LINKEDIN, Channel.BLOG_POST, Channel.LANDING_PAGE],
            start_date=date(2027, 5, 1),
            end_date=date(2027, 9, 30),
            budget=campaign_schemas.Money(amount=Decimal("12000.00"), currency="GBP"),
        ),
    ],
    "globex-coffee": [
        campaign_schemas.CampaignCreate(
            name="Autumn Roast Preview",
            objective="Pre-orders for the limited autumn roast",
            audience="Subscribers and home-brewing enthusiasts",
            key_messages=["Roasted in small batches", "Ships the day it is roasted"],
            channels=[Channel.EMAIL, Channel.INSTAGRAM, Channel.DISPLAY_AD],
            start_date=date(2027, 9, 1),
            end_date=date(2027, 10, 15),
            budget=campaign_schemas.Money(amount=Decimal("8000.00"), currency="USD"),
            status=CampaignStatus.ACTIVE,
        ),
        campaign_schemas.CampaignCreate(
            name="Office Coffee B2B",
            objective="Book demos of the office subscription",
            audience="Office managers at companies with 50-500 staff",
            key_messages=["Great coffee, zero admin"],
            channels=[Channel.LINKEDIN, Channel.SEARCH_AD, Channel.LANDING_PAGE],
            budget=campaign_schemas.Money(amount=Decimal("15000.00"), currency="USD"),
        ),
    ],
}


async def run_seed(settings: Settings, database_url: str) -> bool:
    """Create the demo data unless the organization exists. Returns True when created."""
    engine = create_engine(database_url, pool_size=2)
    try:
        async with create_sessionmaker(engine)() as session:
            if await session.scalar(
                select(Organization).where(Organization.slug == ORGANIZATION[1])
            ):
                return False
            actor_var.set(Actor.system("seed-demo"))
            uow = UnitOfWork(session)
            await _seed(uow, settings.demo_password.get_secret_value())
            await uow.commit()
            return True
    finally:
        await engine.dispose()


async def _seed(uow: UnitOfWork, password: str) -> None:
    session = uow.session
    org = Organization(name=ORGANIZATION[0], slug=ORGANIZATION[1])
    session.add(org)
    await session.flush()
    uow.organization_id = org.id
    workspaces = {
        slug: Workspace(organization_id=org.id, name=name, slug=slug)
        for slug, name in WORKSPACES.items()
    }
    session.add_all(workspaces.values())
    password_hash = hash_password(password)  # one Argon2 hash shared: seeding stays fast
    for email, (display_name, org_role, roles) in ACCOUNTS.items():
        user = User(email=email, display_name=display_name, password_hash=password_hash)
        session.add(user)
        await session.flush()
        if org_role is not None:
            session.add(OrganizationMember(organization_id=org.id, user_id=user.id, role=org_role))
        for slug, role in roles.items():
            session.add(
                WorkspaceMember(workspace_id=workspaces[slug].id, user_id=user.id, role=role)
            )
    await session.flush()

    system = Principal(actor=Actor.system("seed-demo"))
    for slug, briefs in CAMPAIGNS.items():
        workspace = workspaces[slug]
        access = WorkspaceAccess(
            system,
            workspace.id,
            org.id,
            WorkspaceRole.MANAGER,
            role_permissions(WorkspaceRole.MANAGER),
        )
        for brief in briefs:
            campaign = await CampaignService(uow).create(access, brief)
            await seed_content(uow, access, campaign.id)


async def seed_content(uow: UnitOfWork, access: WorkspaceAccess, campaign_id: object) -> None:
    """A few content items per campaign; filled in by the content context."""
    return None
