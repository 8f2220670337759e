"""API models of the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AuditActor(BaseModel):
    type: str = Field(description="`user`, `api_key` or `system`", examples=["user"])
    id: str


class AuditEventRead(BaseModel):
    id: uuid.UUID
    event_id: uuid.UUID = Field(description="The domain event this row records")
    workspace_id: uuid.UUID | None
    action: str = Field(examples=["campaigns.campaign_updated"])
    object_type: str = Field(examples=["campaign"])
    object_id: uuid.UUID
    actor: AuditActor
    request_id: str | None = Field(description="`X-Request-ID` of the request that acted")
    changes: dict[str, Any] = Field(description="Before/after summary: field -> [before, after]")
    occurred_at: datetime
    recorded_at: datetime
