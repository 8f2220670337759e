"""What other contexts may import from campaigns."""

from brandflow.contexts.campaigns.domain import CampaignStatus, Channel
from brandflow.contexts.campaigns.repository import CampaignRepository

__all__ = ["CampaignRepository", "CampaignStatus", "Channel"]
