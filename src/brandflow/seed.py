"""Demo data: Northwind Agency, its two client workspaces, six accounts, campaigns, content
and brand kits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from brandflow.contexts.brand_kit.public import (
    BrandKit,
    BrandKitService,
    brand_kit_snapshot,
    kit_etag,
)
from brandflow.contexts.campaigns import schemas as campaign_schemas
from brandflow.contexts.campaigns.domain import CampaignStatus, Channel
from brandflow.contexts.campaigns.orm import Campaign
from brandflow.contexts.campaigns.service import CampaignService
from brandflow.contexts.content.public import (
    ContentCreate,
    ContentService,
    VersionCreate,
    content_etag,
    parse_body,
)
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
            actor_var.set(Actor.system("seed-demo"))
            uow = UnitOfWork(session)
            org = await session.scalar(
                select(Organization).where(Organization.slug == ORGANIZATION[1])
            )
            if org is not None:
                await _top_up(uow, org)
                await uow.commit()
                return False
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

    for slug, briefs in CAMPAIGNS.items():
        access = _seed_access(workspaces[slug])
        for brief in briefs:
            campaign = await CampaignService(uow).create(access, brief)
            await seed_content(uow, access, campaign)
        await seed_brand_kit(uow, access, slug)


def _seed_access(workspace: Workspace) -> WorkspaceAccess:
    """The seed acts as the system, with a manager's permissions in the workspace."""
    return WorkspaceAccess(
        Principal(actor=Actor.system("seed-demo")),
        workspace.id,
        workspace.organization_id,
        WorkspaceRole.MANAGER,
        role_permissions(WorkspaceRole.MANAGER),
    )


async def _top_up(uow: UnitOfWork, org: Organization) -> None:
    """Demo data seeded before a later feature gets that feature's demo data, once."""
    uow.organization_id = org.id
    workspaces = await uow.session.scalars(
        select(Workspace).where(
            Workspace.organization_id == org.id, Workspace.slug.in_(list(WORKSPACES))
        )
    )
    for workspace in workspaces.all():
        await seed_brand_kit(uow, _seed_access(workspace), workspace.slug)


# Demo copy per campaign name: (title, [body of version 1, body of version 2, ...]).
# Only items whose channel the campaign uses are created.
DEMO_CONTENT: dict[str, list[tuple[str, list[dict[str, Any]]]]] = {
    "Spring Trail Launch": [
        (
            "Launch email",
            [
                {
                    "channel": "email",
                    "subject": "Meet TrailFlow 3: grip that holds on wet rock",
                    "preheader": "30% lighter than TrailFlow 2. Out 1 March.",
                    "body": "Hi {first_name},\n\nTrailFlow 3 is here. A new lug pattern grips wet "
                    "rock and loose gravel, and the shoe is 30% lighter than TrailFlow 2.\n\n"
                    "Be first on the trail: pre-order today and get free returns for 60 days.",
                },
                {
                    "channel": "email",
                    "subject": "TrailFlow 3 is here: 30% lighter, grips wet rock 🏔️",
                    "preheader": "Pre-order now, free returns for 60 days.",
                    "body": "Hi {first_name},\n\nTrailFlow 3 is here. A new lug pattern grips wet "
                    "rock and loose gravel, and the shoe is 30% lighter than TrailFlow 2.\n\n"
                    "Pre-order today: free returns for 60 days, so you can test it on your "
                    "own trails.",
                },
            ],
        ),
        (
            "Launch day post",
            [
                {
                    "channel": "x",
                    "text": "Wet rock, loose gravel, steep descents. TrailFlow 3 holds on. "
                    "30% lighter than TrailFlow 2 and out today 🏃 #TrailRunning",
                }
            ],
        ),
        (
            "Brand search ad",
            [
                {
                    "channel": "search_ad",
                    "headlines": [
                        "Acme TrailFlow 3",
                        "Grip That Holds on Wet Rock",
                        "30% Lighter Trail Shoe",
                        "Free 60-Day Returns",
                    ],
                    "descriptions": [
                        "The new TrailFlow 3: a lug pattern built for wet rock and gravel.",
                        "Pre-order now and test it on your own trails. Free returns.",
                    ],
                    "final_url": "https://acme-running.example/trailflow-3",
                    "path1": "trail",
                    "path2": "trailflow-3",
                }
            ],
        ),
    ],
    "City Marathon Partnership": [
        (
            "Partnership announcement",
            [
                {
                    "channel": "linkedin",
                    "text": "We are proud to be the official running partner of the City "
                    "Marathon. First-time marathoners get the Acme training plan: 16 weeks "
                    "that adapt to how your runs actually go.",
                }
            ],
        ),
        (
            "Your first marathon: a 16-week plan",
            [
                {
                    "channel": "blog_post",
                    "title": "Your first marathon: a 16-week plan that adapts to you",
                    "body_markdown": "## Start where you are\n\nMost plans assume a perfect "
                    "week. Ours moves your long run when life gets in the way.\n\n## Build "
                    "slowly\n\nAdd no more than 10% a week, and keep one easy day after "
                    "every hard one.",
                    "meta_description": "A 16-week first-marathon plan that adapts to your "
                    "weeks, from the City Marathon's running partner.",
                }
            ],
        ),
        (
            "Training plan sign-up page",
            [
                {
                    "channel": "landing_page",
                    "title": "Acme Marathon Training Plan",
                    "hero_headline": "Train with a plan that adapts to you",
                    "sections": [
                        {
                            "heading": "Built for first-timers",
                            "body_markdown": "16 weeks, four runs a week, no jargon.",
                        },
                        {
                            "heading": "Adapts every week",
                            "body_markdown": "Missed a run? The plan moves, you don't restart.",
                        },
                    ],
                    "meta_description": "Sign up for the free Acme training plan for the "
                    "City Marathon.",
                }
            ],
        ),
    ],
    "Autumn Roast Preview": [
        (
            "Pre-order email",
            [
                {
                    "channel": "email",
                    "subject": "The autumn roast is coming",
                    "preheader": "Small batches, shipped the day they are roasted.",
                    "body": "Our limited autumn roast: notes of baked apple, hazelnut and "
                    "dark chocolate. Roasted in small batches and shipped the day it is "
                    "roasted.\n\nPre-order now.",
                },
                {
                    "channel": "email",
                    "subject": "Pre-order the autumn roast ☕ before it sells out",
                    "preheader": "Small batches, shipped the day they are roasted.",
                    "body": "Our limited autumn roast: notes of baked apple, hazelnut and "
                    "dark chocolate. Roasted in small batches and shipped the day it is "
                    "roasted.\n\nSubscribers pre-order first, until 15 September.",
                },
            ],
        ),
        (
            "Roast day reel caption",
            [
                {
                    "channel": "instagram",
                    "caption": "Roast day ☕ The autumn roast leaves the drum this morning "
                    "and your door tomorrow. Link in bio to pre-order.",
                    "hashtags": ["#coffee", "#specialtycoffee", "#autumnroast", "#homebrew"],
                }
            ],
        ),
        (
            "Autumn roast banner",
            [
                {
                    "channel": "display_ad",
                    "headline": "Autumn Roast: Pre-order Now",
                    "description": "Small-batch, shipped the day it is roasted. Limited run.",
                    "call_to_action": "Pre-order",
                    "final_url": "https://globex-coffee.example/autumn",
                }
            ],
        ),
    ],
    "Office Coffee B2B": [
        (
            "Office managers post",
            [
                {
                    "channel": "linkedin",
                    "text": "Great coffee, zero admin. Globex Office delivers freshly "
                    "roasted beans on a schedule that matches your headcount, and the "
                    "machine service is included.",
                }
            ],
        ),
        (
            "Office coffee search ad",
            [
                {
                    "channel": "search_ad",
                    "headlines": [
                        "Office Coffee, Zero Admin",
                        "Fresh Beans Every Week",
                        "Book a Free Tasting",
                    ],
                    "descriptions": [
                        "Freshly roasted coffee delivered to your office on schedule.",
                        "Machine service included. Plans for 50 to 500 staff.",
                    ],
                    "final_url": "https://globex-coffee.example/office",
                }
            ],
        ),
    ],
}


async def seed_content(uow: UnitOfWork, access: WorkspaceAccess, campaign: Campaign) -> None:
    """A few content items per campaign, through the content service (events included)."""
    campaign_id = campaign.id
    service = ContentService(uow)
    for title, bodies in DEMO_CONTENT.get(campaign.name, []):
        first, *later = (parse_body(b) for b in bodies)
        if first.channel not in campaign.channels:
            continue
        item, _ = await service.create(access, campaign_id, ContentCreate(title=title, body=first))
        for body in later:
            await service.add_version(
                access,
                campaign_id,
                item.id,
                VersionCreate(body=body),
                content_etag(item),
            )


# A brand kit per demo workspace: the voice prompts follow, the rules checks enforce.
DEMO_BRAND_KITS: dict[str, dict[str, Any]] = {
    "acme-running": {
        "voice": {
            "summary": "The knowledgeable friend at the trailhead: practical, encouraging and "
            "honest about what a shoe can and cannot do.",
            "tone": ["encouraging", "practical", "energetic", "honest"],
            "audience": "Trail and road runners aged 25-45 in the UK and Germany, from "
            "first-time marathoners to weekly trail regulars.",
            "do_examples": [
                "Grip that holds on wet rock.",
                "Train with a plan that adapts to you.",
                "Test it on your own trails: free returns for 60 days.",
            ],
            "dont_examples": [
                "The best running shoe ever made.",
                "Never get injured again.",
                "Crush everyone at your next race.",
            ],
        },
        "rules": {
            "banned_terms": [
                {
                    "term": "injury-proof",
                    "replacement": "supportive",
                    "reason": "A medical claim we cannot back",
                },
                {"term": "guaranteed", "reason": "Implies a warranty we do not offer"},
                {"term": "cheap", "replacement": "great value"},
                {"term": "best in the world", "reason": "A superlative without proof"},
            ],
            "disclaimers": [
                {
                    "key": "weight-comparison",
                    "text": "Weight compared with TrailFlow 2, men's UK size 9.",
                    "triggers": ["lighter", "30%"],
                },
                {
                    "key": "free-returns",
                    "text": "Free returns within 60 days of delivery. "
                    "Terms: acme-running.example/returns.",
                    "channels": ["email", "landing_page", "search_ad"],
                    "triggers": ["free returns"],
                },
                {
                    "key": "training-health",
                    "text": "Talk to your doctor before starting a new training programme.",
                    "channels": ["blog_post", "landing_page"],
                    "triggers": ["training plan", "16-week"],
                },
            ],
            "approved_claims": [
                {
                    "claim": "30% lighter than TrailFlow 2",
                    "source": "Acme lab weight test, men's UK 9, January 2027",
                },
                {
                    "claim": "Grip that holds on wet rock",
                    "source": "Wet-rock traction test report TR-114",
                },
                {"claim": "Free returns for 60 days", "source": "Acme returns policy"},
            ],
            "competitors": [
                {"name": "Summit Stride", "aliases": ["SummitStride"]},
                {"name": "Peakline"},
                {"name": "Trailhawk Footwear", "aliases": ["Trailhawk"]},
            ],
        },
        "channel_overrides": {
            "x": {
                "tone": ["punchy", "energetic"],
                "notes": "Lead with the benefit; at most one hashtag.",
            },
            "email": {"notes": "Greet runners by first name; one call to action per email."},
            "search_ad": {
                "extra_banned_terms": [
                    {"term": "#1", "reason": "Ad platforms refuse unproven rankings"}
                ],
            },
        },
    },
    "globex-coffee": {
        "voice": {
            "summary": "The neighbourhood roaster that ships: warm, sensory and precise about "
            "where every coffee comes from.",
            "tone": ["warm", "sensory", "precise", "unhurried"],
            "audience": "Home-brewing enthusiasts and subscribers; office managers at "
            "companies with 50-500 staff.",
            "do_examples": [
                "Notes of baked apple, hazelnut and dark chocolate.",
                "Roasted in small batches and shipped the day it is roasted.",
            ],
            "dont_examples": [
                "The strongest coffee you will ever drink!!!",
                "Coffee that melts the pounds away.",
            ],
        },
        "rules": {
            "banned_terms": [
                {"term": "burns fat", "reason": "A health claim"},
                {"term": "boosts metabolism", "reason": "A health claim"},
                {
                    "term": "instant",
                    "replacement": "ready in minutes",
                    "reason": "We sell no instant coffee",
                },
                {
                    "term": "fair trade",
                    "replacement": "directly traded",
                    "reason": "We are not Fairtrade certified",
                },
            ],
            "disclaimers": [
                {
                    "key": "caffeine",
                    "text": "Contains caffeine. Not recommended for children or people "
                    "sensitive to caffeine.",
                    "triggers": ["energy", "caffeine"],
                },
                {
                    "key": "subscription-terms",
                    "text": "Subscriptions renew automatically; cancel any time before "
                    "your next roast date.",
                    "channels": ["email", "landing_page", "search_ad"],
                    "triggers": ["subscription", "subscribe", "subscribers"],
                },
            ],
            "approved_claims": [
                {"claim": "Roasted in small batches", "source": "Roastery production log"},
                {"claim": "Ships the day it is roasted", "source": "Fulfilment SLA 2027"},
                {"claim": "Machine service included", "source": "Globex Office terms"},
            ],
            "competitors": [
                {"name": "Initech Beans", "aliases": ["Initech"]},
                {"name": "Hooli Coffee"},
            ],
        },
        "channel_overrides": {
            "linkedin": {
                "tone": ["professional", "warm", "precise"],
                "notes": "Speak to office managers: time saved, zero admin.",
            },
            "instagram": {"notes": "Lead with a sensory detail; at most five hashtags."},
        },
    },
}


async def seed_brand_kit(uow: UnitOfWork, access: WorkspaceAccess, slug: str) -> None:
    """The workspace's demo kit as its version 1, unless it has a kit already."""
    data = DEMO_BRAND_KITS.get(slug)
    current = await brand_kit_snapshot(uow.session, access.workspace_id)
    if data is None or current.version > 0:
        return
    await BrandKitService(uow).save(
        access, BrandKit.model_validate(data), kit_etag(access.workspace_id, 0)
    )
