"""API models of the brand kit context. The kit's own shape lives in ``domain.py``."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from brandflow.contexts.brand_kit.domain import BrandKit


class BrandKitUpdate(BrandKit):
    """The whole kit, replacing the current one. Send `If-Match` with the ETag you read."""


class BrandKitAuthor(BaseModel):
    type: str = Field(examples=["user"], description="user, api_key or system")
    id: str


class BrandKitRead(BrandKit):
    """The workspace's current kit. Version 0 is the empty kit of a workspace never saved."""

    workspace_id: uuid.UUID
    version: int = Field(ge=0, description="Current version; 0: never saved")
    etag: str = Field(description="Send it as If-Match to save the next version")
    updated_at: datetime | None = Field(description="When the current version was saved")
    updated_by: BrandKitAuthor | None = Field(description="Who saved the current version")


class BrandKitVersionRead(BrandKit):
    """One saved version of the kit. Versions never change."""

    workspace_id: uuid.UUID
    number: int = Field(ge=1)
    etag: str = Field(description="ETag of this version")
    created_at: datetime
    author: BrandKitAuthor
