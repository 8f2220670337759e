"""Studio settings, pure: what provider keys and a workspace's AI settings may hold, and
their events. No I/O. Nothing here ever holds a provider key's secret.

Routing names, per task, the routes tried in order; an empty list means the deployment's
chain (``BRANDFLOW_LLM_*``). A route may use a provider key of the workspace's organization
by ``credential_id``; it then goes to that key's endpoint: a workspace manager can point a
key at a model, never at another server (which would receive the key).
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
    model_validator,
)

from brandflow.contexts.studio.checks import DEFAULT_MIN_SCORE
from brandflow.kernel.etag import make_etag
from brandflow.kernel.events import DomainEvent
from brandflow.kernel.llm import OFFLINE_LABEL, ModelRoute, Task

KeyProvider = Literal["openai", "anthropic", "google"]
RouteProvider = Literal["offline", "openai", "anthropic", "google"]
TASKS: tuple[Task, ...] = ("generate", "rewrite", "check")
MAX_ROUTES = 5
MAX_TIMEOUT_SECONDS = 600
MAX_URL = 2048
# A hint of the key's end only when the key is long enough that 4 characters reveal little.
HINT_CHARS = 4
HINT_MIN_KEY_LENGTH = 16


def _canonical_provider(value: object) -> object:
    """The spellings the gateway accepts (``azure``, ``ollama``, ``gemini``...), as it reads
    them; anything else is left for the literal type to refuse."""
    if not isinstance(value, str):
        return value
    try:
        return ModelRoute.model_validate({"provider": value}).provider
    except ValidationError:
        return value


def _trimmed(value: Any) -> Any:
    """NFC, without surrounding whitespace (before the length limits are checked)."""
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _no_control_characters(text: str) -> str:
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise ValueError("Text must not contain control or format characters")
    return text


def _http_url(text: str) -> str:
    """An http(s) endpoint with a host; no credentials in it (they would be stored and shown
    in clear) and no fragment."""
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in text):
        raise ValueError("A URL must not contain spaces or control characters")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError as exc:
        raise ValueError(f"Not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("Must be an http:// or https:// URL with a host")
    if parts.username is not None or parts.password is not None:
        raise ValueError("Put no credentials in the URL; store the key as api_key")
    if parts.fragment:
        raise ValueError("A base URL has no #fragment")
    return text


ProviderForKey = Annotated[KeyProvider, BeforeValidator(_canonical_provider)]
ProviderForRoute = Annotated[RouteProvider, BeforeValidator(_canonical_provider)]
KeyName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100),
    AfterValidator(_no_control_characters),
    BeforeValidator(_trimmed),
]
BaseUrl = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_URL),
    AfterValidator(_http_url),
    BeforeValidator(_trimmed),
]
OptionalBaseUrl = Annotated[BaseUrl | None, BeforeValidator(_blank_to_none)]
ModelName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[^\s\x00-\x1f\x7f]+$"),
    BeforeValidator(_trimmed),
]


def key_hint(secret: str) -> str | None:
    """The last characters of a key, shown so people can tell keys apart; None when short."""
    return secret[-HINT_CHARS:] if len(secret) >= HINT_MIN_KEY_LENGTH else None


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RouteSpec(_Value):
    """One model a task may call, as a workspace configures it."""

    provider: ProviderForRoute = Field(
        description="offline, openai (any OpenAI-compatible API), anthropic or google; "
        "aliases such as azure, vllm, ollama, openrouter, gemini are accepted"
    )
    model: ModelName = Field(examples=["gpt-4o-mini"])
    base_url: OptionalBaseUrl = Field(
        default=None,
        description="Endpoint of a route without a stored key (e.g. a local vLLM or Ollama)",
    )
    credential_id: uuid.UUID | None = Field(
        default=None,
        description="A provider key of the organization; the route then uses its endpoint",
    )
    timeout_seconds: StrictFloat | None = Field(
        default=None, gt=0, le=MAX_TIMEOUT_SECONDS, description="Default: the deployment's"
    )
    max_retries: StrictInt | None = Field(
        default=None, ge=0, le=10, description="Default: the deployment's"
    )

    @model_validator(mode="after")
    def _endpoint_is_unambiguous(self) -> RouteSpec:
        if self.provider == "offline" and (self.base_url or self.credential_id):
            raise ValueError("The offline composer takes neither base_url nor credential_id")
        if self.credential_id is not None and self.base_url is not None:
            raise ValueError(
                "A route using a stored provider key goes to that key's base_url; "
                "leave base_url out"
            )
        return self

    @property
    def label(self) -> str:
        return OFFLINE_LABEL if self.provider == "offline" else f"{self.provider}:{self.model}"


Routes = Annotated[list[RouteSpec], Field(max_length=MAX_ROUTES)]


class Routing(_Value):
    """Per task, the routes in fallback order; empty: the deployment's chain."""

    generate: Routes = Field(default_factory=list)
    rewrite: Routes = Field(default_factory=list)
    check: Routes = Field(default_factory=list)

    def for_task(self, task: Task) -> list[RouteSpec]:
        return {"generate": self.generate, "rewrite": self.rewrite, "check": self.check}[task]


class NearLimitRoute(_Value):
    """Once this share of a monthly budget is committed, these routes replace the task's."""

    threshold_percent: StrictInt = Field(ge=1, le=100, examples=[90])
    routes: list[RouteSpec] = Field(min_length=1, max_length=MAX_ROUTES)


class AISettings(_Value):
    """A workspace's AI settings, replaced as a whole."""

    min_check_score: StrictInt = Field(
        default=DEFAULT_MIN_SCORE,
        ge=0,
        le=100,
        description="The compliance score a version needs to be submitted for review",
    )
    tone_judge: StrictBool = Field(
        default=False, description="Also ask a model to judge the tone against the brand voice"
    )
    routing: Routing = Field(default_factory=Routing)
    near_limit: NearLimitRoute | None = Field(
        default=None, description="A cheaper route near the budget limit; null: none"
    )

    def routes(self) -> Iterator[tuple[tuple[str | int, ...], RouteSpec]]:
        """Every route with where it sits in the body (for field errors)."""
        for task in TASKS:
            for index, route in enumerate(self.routing.for_task(task)):
                yield ("routing", task, index), route
        if self.near_limit is not None:
            for index, route in enumerate(self.near_limit.routes):
                yield ("near_limit", "routes", index), route


def _fields(settings: AISettings) -> dict[str, Any]:
    return {
        "min_check_score": settings.min_check_score,
        "tone_judge": settings.tone_judge,
        **{f"routing.{task}": settings.routing.for_task(task) for task in TASKS},
        "near_limit": settings.near_limit,
    }


def _summary(value: Any) -> Any:
    """A readable, secret-free rendering for the audit log: routes by their labels."""
    if isinstance(value, list):
        return [route.label for route in value]
    if isinstance(value, NearLimitRoute):
        return f"at {value.threshold_percent}%: " + ", ".join(r.label for r in value.routes)
    return value


def settings_changes(before: AISettings, after: AISettings) -> dict[str, list[Any]]:
    """Field -> [before, after] of what differs, in declared order."""
    old, new = _fields(before), _fields(after)
    return {k: [_summary(old[k]), _summary(new[k])] for k in old if old[k] != new[k]}


def settings_etag(workspace_id: uuid.UUID, revision: int) -> str:
    """Revision 0: the defaults of a workspace that never saved its settings."""
    return make_etag(uuid.uuid5(workspace_id, "ai_settings"), revision)


# --- events ---------------------------------------------------------------------------
# Provider key events belong to an organization (``workspace_id`` is null; the envelope
# carries the organization). None carries the key, nor any part of it.


class ProviderKeyCreated(DomainEvent):
    name: ClassVar[str] = "studio.provider_key_created"
    subject_type: ClassVar[str] = "provider_key"
    key_name: str
    provider: KeyProvider


class ProviderKeyUpdated(DomainEvent):
    name: ClassVar[str] = "studio.provider_key_updated"
    subject_type: ClassVar[str] = "provider_key"
    key_name: str
    provider: KeyProvider
    secret_rotated: bool = Field(description="A new key replaced the stored one")


class ProviderKeyDeleted(DomainEvent):
    name: ClassVar[str] = "studio.provider_key_deleted"
    subject_type: ClassVar[str] = "provider_key"
    key_name: str
    provider: KeyProvider


class AISettingsChanged(DomainEvent):
    """A workspace saved new AI settings; ``subject_id`` is the workspace."""

    name: ClassVar[str] = "studio.ai_settings_changed"
    subject_type: ClassVar[str] = "ai_settings"
    revision: int = Field(description="The new revision (its ETag's)")
    changed_fields: list[str] = Field(
        description="min_check_score, tone_judge, routing.<task>, near_limit"
    )
