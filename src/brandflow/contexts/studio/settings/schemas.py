"""API models of studio settings. A provider key's secret is write-only: no read model has it."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr

from brandflow.contexts.studio.settings.domain import (
    AISettings,
    KeyName,
    KeyProvider,
    OptionalBaseUrl,
    ProviderForKey,
)

MAX_SECRET = 4096
_SECRET_CHARACTERS = re.compile(r"^[\x21-\x7e]+$")


def _key_text(value: Any) -> Any:
    """Checks the key as sent (trimmed); messages never quote it."""
    if not isinstance(value, str):
        return value  # SecretStr refuses it
    value = value.strip()
    if not value:
        raise ValueError("An API key is required")
    if len(value) > MAX_SECRET:
        raise ValueError(f"An API key has at most {MAX_SECRET} characters")
    if not _SECRET_CHARACTERS.match(value):
        raise ValueError("An API key is printable ASCII without spaces")
    return value


# The length constraints document the field; ``_key_text`` enforces them first.
Secret = Annotated[
    SecretStr, Field(min_length=1, max_length=MAX_SECRET), BeforeValidator(_key_text)
]


class _Write(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProviderKeyCreate(_Write):
    name: KeyName = Field(description="Unique in the organization", examples=["OpenAI production"])
    provider: ProviderForKey = Field(
        description="openai (any OpenAI-compatible API), anthropic or google; aliases such as "
        "azure, vllm, ollama, openrouter, gemini are accepted"
    )
    base_url: OptionalBaseUrl = Field(
        default=None, description="The endpoint; null: the provider's public API"
    )
    api_key: Secret = Field(description="Write-only: stored encrypted, never shown again")


class ProviderKeyUpdate(_Write):
    """Replaces name and base URL; `api_key` rotates the key (left out: the stored key stays).
    The provider cannot change: add a new key instead."""

    name: KeyName
    base_url: OptionalBaseUrl = None
    api_key: Secret | None = Field(default=None, description="A new key; null: keep the stored")


class ProviderKeyRead(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    provider: KeyProvider
    base_url: str | None
    key_hint: str | None = Field(
        description="The key's last 4 characters (null for short keys)", examples=["x9Qz"]
    )
    created_at: datetime
    updated_at: datetime
    rotated_at: datetime = Field(description="When the key itself last changed")


class UsableProviderKey(BaseModel):
    """A key of the workspace's organization that its routes may name by `id`."""

    id: uuid.UUID
    name: str
    provider: KeyProvider
    base_url: str | None


class AISettingsUpdate(AISettings):
    """The whole settings, replacing the current ones. Send `If-Match` with the ETag you read."""


class AISettingsAuthor(BaseModel):
    type: str = Field(examples=["user"], description="user, api_key or system")
    id: str


class AISettingsRead(AISettings):
    """A workspace's AI settings. Revision 0: the defaults, never saved."""

    workspace_id: uuid.UUID
    revision: int = Field(ge=0)
    etag: str = Field(description="Send it as If-Match to save")
    updated_at: datetime | None
    updated_by: AISettingsAuthor | None
