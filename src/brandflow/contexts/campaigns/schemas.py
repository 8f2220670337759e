"""API models of the campaigns context."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_extra_types.currency_code import ISO4217

from brandflow.contexts.campaigns.domain import CampaignStatus, Channel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
CENT = Decimal("0.01")
# A campaign starts planned or already running; completing and archiving come later.
InitialStatus = Literal[CampaignStatus.PLANNED, CampaignStatus.ACTIVE]
KeyMessage = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


def _to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT)


class Money(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Quantized so "1999.9" and "1999.90" are one amount (one ETag, no spurious change).
    amount: Annotated[
        Decimal, Field(ge=0, max_digits=14, decimal_places=2), AfterValidator(_to_cents)
    ] = Field(
        description="Decimal amount, serialised as a string to keep every cent exact",
        examples=["12500.00"],
    )
    currency: ISO4217 = Field(examples=["EUR"])


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    objective: LongText = ""
    audience: LongText = ""
    key_messages: list[KeyMessage] = Field(default_factory=list, max_length=20)
    channels: list[Channel] = Field(default_factory=list, max_length=len(Channel))
    start_date: date | None = None
    end_date: date | None = None
    budget: Money | None = None
    status: InitialStatus = CampaignStatus.PLANNED


class CampaignUpdate(BaseModel):
    """Only the fields sent change. Send `If-Match` with the ETag you read."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    objective: LongText | None = None
    audience: LongText | None = None
    key_messages: list[KeyMessage] | None = Field(default=None, max_length=20)
    channels: list[Channel] | None = Field(default=None, max_length=len(Channel))
    start_date: date | None = None
    end_date: date | None = None
    budget: Money | None = None
    status: CampaignStatus | None = None


class CampaignRead(BaseModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    objective: str
    audience: str
    key_messages: list[str]
    channels: list[Channel]
    start_date: date | None
    end_date: date | None
    budget: Money | None
    status: CampaignStatus
    revision: int
    created_at: datetime
    updated_at: datetime
