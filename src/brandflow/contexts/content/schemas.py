"""API models of the content context. Channel bodies live in ``bodies.py``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.content.bodies import ChannelBody

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ContentCreate(BaseModel):
    """A new content item and its version 1. The item's channel is the body's `channel`."""

    model_config = ConfigDict(extra="forbid")

    title: Title = Field(description="Internal name of the item, at most 200 characters")
    body: ChannelBody


class VersionCreate(BaseModel):
    """The next version. Send `If-Match` with the ETag of the current version."""

    model_config = ConfigDict(extra="forbid")

    body: ChannelBody = Field(description="Must be a body of the item's channel")


class Author(BaseModel):
    type: str = Field(examples=["user"], description="user, api_key or system")
    id: str


class VersionRead(BaseModel):
    content_id: uuid.UUID
    number: int
    created_at: datetime
    author: Author
    etag: str = Field(description="ETag of this version; send it as If-Match to write the next")
    body: ChannelBody


class ContentRead(BaseModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    campaign_id: uuid.UUID
    channel: Channel
    title: str
    current_version: int
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class ContentDetail(ContentRead):
    current: VersionRead = Field(description="The current version, whose ETag the item carries")


class FieldChangeRead(BaseModel):
    field: str
    kind: Literal["added", "removed", "changed"]
    before: JsonValue = None
    after: JsonValue = None


class VersionDiff(BaseModel):
    """What changed from version `against` (before) to version `number` (after)."""

    content_id: uuid.UUID
    number: int = Field(description="The version diffed (after)")
    against: int = Field(description="The version it is compared with (before)")
    changes: list[FieldChangeRead] = Field(description="Top-level body fields that differ")
    unified: str = Field(description="Unified text diff of the two bodies (difflib)")
