"""Campaign rules and events. Pure: no I/O."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from brandflow.kernel.errors import Conflict, Unprocessable
from brandflow.kernel.events import DomainEvent


class Channel(StrEnum):
    EMAIL = "email"
    LINKEDIN = "linkedin"
    X = "x"
    INSTAGRAM = "instagram"
    SEARCH_AD = "search_ad"
    DISPLAY_AD = "display_ad"
    BLOG_POST = "blog_post"
    LANDING_PAGE = "landing_page"


class CampaignStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    ARCHIVED = "archived"


# Which status may follow which; archiving goes through its own command.
ALLOWED_TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    CampaignStatus.PLANNED: frozenset({CampaignStatus.ACTIVE}),
    CampaignStatus.ACTIVE: frozenset({CampaignStatus.COMPLETED, CampaignStatus.PLANNED}),
    CampaignStatus.COMPLETED: frozenset({CampaignStatus.ACTIVE}),
    CampaignStatus.ARCHIVED: frozenset(),
}


def check_transition(current: CampaignStatus, target: CampaignStatus) -> None:
    if current == target:
        return
    if current == CampaignStatus.ARCHIVED:
        raise Conflict("An archived campaign cannot change.")
    if target == CampaignStatus.ARCHIVED:
        raise Unprocessable("Archive a campaign with its archive action, not by PATCH.")
    if target not in ALLOWED_TRANSITIONS[current]:
        raise Conflict(f"A {current} campaign cannot become {target}.")


def check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise Unprocessable("The end date is before the start date.")


class CampaignCreated(DomainEvent):
    name: ClassVar[str] = "campaigns.campaign_created"
    subject_type: ClassVar[str] = "campaign"
    campaign_name: str
    status: CampaignStatus


class CampaignUpdated(DomainEvent):
    name: ClassVar[str] = "campaigns.campaign_updated"
    subject_type: ClassVar[str] = "campaign"


class CampaignArchived(DomainEvent):
    name: ClassVar[str] = "campaigns.campaign_archived"
    subject_type: ClassVar[str] = "campaign"
