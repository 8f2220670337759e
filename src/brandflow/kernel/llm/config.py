"""Where model calls go: routes, fallback chains and their per-task choice.

A ``ModelRoute`` names one provider + model with its endpoint, key, timeout and retry budget;
a ``ModelChain`` is a primary route and the fallbacks tried after it. ``from_settings`` reads
the ``BRANDFLOW_LLM_*`` variables; with none set the chain is the offline composer alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

if TYPE_CHECKING:
    from brandflow.settings import Settings

Provider = Literal["offline", "openai", "anthropic", "google"]
Task = Literal["generate", "rewrite", "check"]

OFFLINE_MODEL = "offline-composer"
OFFLINE_LABEL = "offline composer"
PROVIDERS: tuple[Provider, ...] = ("offline", "openai", "anthropic", "google")
# Spellings people use for the OpenAI-compatible family; all of them speak /chat/completions.
_ALIASES: dict[str, Provider] = {
    "openai-compatible": "openai",
    "azure": "openai",
    "azure-openai": "openai",
    "vllm": "openai",
    "ollama": "openai",
    "openrouter": "openai",
    "gemini": "google",
    "vertex": "google",
}


class ModelRoute(BaseModel):
    """One provider + model. ``api_key`` is a SecretStr: it never appears in reprs or logs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: Provider = "offline"
    model: str = OFFLINE_MODEL
    base_url: str | None = None
    api_key: SecretStr | None = None
    timeout_seconds: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=10)
    # Google only: Vertex AI (Google Cloud credentials, GOOGLE_CLOUD_PROJECT/LOCATION) instead
    # of the Gemini API key.
    vertex: bool = False

    @field_validator("provider", mode="before")
    @classmethod
    def _alias(cls, value: object) -> object:
        if isinstance(value, str):
            lowered = value.strip().lower()
            return _ALIASES.get(lowered, lowered)
        return value

    @property
    def offline(self) -> bool:
        return self.provider == "offline"

    @property
    def label(self) -> str:
        """What the API and the UI show: always "offline composer" for the offline route."""
        return OFFLINE_LABEL if self.offline else f"{self.provider}:{self.model}"

    @cached_property
    def key(self) -> str:
        """Identity of the route for client reuse and circuit state; the key only as a digest."""
        secret = self.api_key.get_secret_value() if self.api_key else ""
        digest = hashlib.sha256(secret.encode()).hexdigest()[:16] if secret else "-"
        return "|".join((self.provider, self.model, self.base_url or "-", digest, str(self.vertex)))


OFFLINE_ROUTE = ModelRoute()


class ModelChain(BaseModel):
    """The primary route, then the fallbacks, tried in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    primary: ModelRoute = OFFLINE_ROUTE
    fallbacks: tuple[ModelRoute, ...] = ()

    @property
    def routes(self) -> tuple[ModelRoute, ...]:
        return (self.primary, *self.fallbacks)

    @classmethod
    def of(cls, *routes: ModelRoute) -> ModelChain:
        if not routes:
            return cls()
        return cls(primary=routes[0], fallbacks=tuple(routes[1:]))


class TaskRouting(BaseModel):
    """Per-task chains (generate, rewrite, check) over a default, e.g. one workspace's choice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    default: ModelChain = ModelChain()
    by_task: Mapping[Task, ModelChain] = Field(default_factory=dict)

    def for_task(self, task: Task) -> ModelChain:
        return self.by_task.get(task, self.default)


def from_settings(settings: Settings) -> ModelChain:
    """The deployment's chain from ``BRANDFLOW_LLM_*``; the offline composer when unset."""
    provider = (settings.llm_provider or "").strip()
    if not provider:
        primary = OFFLINE_ROUTE
    else:
        primary = ModelRoute.model_validate(
            {
                "provider": provider,
                "model": settings.llm_model or _default_model(provider),
                "base_url": settings.llm_base_url or None,
                "api_key": settings.llm_api_key,
                "timeout_seconds": settings.llm_timeout_seconds,
                "max_retries": settings.llm_max_retries,
            }
        )
    fallbacks = tuple(
        ModelRoute.model_validate(
            {
                "timeout_seconds": settings.llm_timeout_seconds,
                "max_retries": settings.llm_max_retries,
                **entry,
            }
        )
        for entry in settings.llm_fallbacks
    )
    return ModelChain(primary=primary, fallbacks=fallbacks)


def _default_model(provider: str) -> str:
    normalized = _ALIASES.get(provider.lower(), provider.lower())
    if normalized == "offline":
        return OFFLINE_MODEL
    raise ValueError(f"BRANDFLOW_LLM_MODEL must be set when BRANDFLOW_LLM_PROVIDER is {provider!r}")
