"""Runtime settings, read once from ``BRANDFLOW_*`` environment variables."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from brandflow.kernel.crypto import parse_keyring

DEV_SECRET_KEY = "dev-only-change-me-brandflow-secret-key-0123456789"  # noqa: S105
# Environments where a guessable signing key would let anyone mint access tokens.
PROTECTED_ENVIRONMENTS = frozenset({"production", "staging"})

PerMillionTokens = Annotated[Decimal, Field(ge=0, le=1_000_000, description="USD per 1M tokens")]


class LLMPrice(BaseModel):
    """One entry of ``BRANDFLOW_LLM_PRICES``. Cache reads and writes are parts of the input;
    without a price of their own they cost the input price."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input_mtok: PerMillionTokens
    output_mtok: PerMillionTokens = Decimal(0)
    cache_read_mtok: PerMillionTokens | None = None
    cache_write_mtok: PerMillionTokens | None = None


class Settings(BaseSettings):
    # An invalid value must not echo the environment (keys, passwords) into the error.
    model_config = SettingsConfigDict(
        env_prefix="BRANDFLOW_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    # Unset means: start the embedded PostgreSQL + pgvector in ``data_dir``.
    database_url: str | None = None
    # Unset means: deliver events in-process. ``amqp://...`` means RabbitMQ via FastStream.
    broker_url: str | None = None
    # Prefix of every RabbitMQ exchange and queue name (`<namespace>.events`, ...).
    broker_namespace: str = "brandflow"
    data_dir: Path = Path(".brandflow")

    host: str = "127.0.0.1"
    port: int = 8000
    environment: str = "development"

    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    access_token_minutes: int = 15
    refresh_token_days: int = 14

    # Force `Secure` on the session cookie (it is set anyway when the request came over https,
    # as uvicorn sees it behind a proxy with `--proxy-headers`).
    session_cookie_secure: bool = False

    # The built web app served at `/`; absent (not built) means API only.
    web_dist_dir: Path = Path("web/dist")

    demo_password: SecretStr = SecretStr("brandflow-demo")

    max_body_bytes: int = 1_048_576
    db_pool_size: int = 10

    # Failed-login slow-down: attempts per window before each further try is refused.
    login_max_failures: int = 5
    login_failure_window_seconds: int = 300

    # Event delivery: retries with exponential backoff, then the dead-letter store.
    event_max_attempts: int = 5
    event_retry_base_seconds: float = 0.5
    relay_poll_seconds: float = 0.5
    relay_batch_size: int = 100

    log_level: str = "INFO"
    log_json: bool = True

    idempotency_ttl_hours: int = 24

    # Read caches (ADR 0008). Access decisions are reused this many seconds at most (changes
    # that take access away invalidate at once); 0 disables. List pages are served from
    # memory while their collection is unchanged, at most this many seconds; 0 disables.
    access_cache_seconds: float = 5.0
    list_cache_seconds: float = 30.0

    # Unset: rate limits live in process memory. `redis://...`: shared by every process.
    redis_url: str | None = None

    # Knowledge files (ADR 0011). Unset: a local directory under ``data_dir``. Otherwise an
    # object-store URL read by obstore: ``s3://bucket/prefix``, ``gs://bucket/prefix``,
    # ``file:///abs/path``, ``memory://``; credentials come from the provider's usual env vars
    # (AWS_*, GOOGLE_*), or an S3-compatible endpoint from AWS_ENDPOINT_URL.
    storage_url: str | None = None
    knowledge_max_upload_bytes: int = 25 * 1024 * 1024

    # Embeddings (ADR 0010): ``local`` runs all-MiniLM-L6-v2 in-process; ``openai`` calls an
    # OpenAI-compatible /embeddings API. Changing model or dimension re-embeds in the background.
    embedding_provider: str = "local"
    embedding_base_url: str | None = None
    embedding_api_key: SecretStr | None = None
    embedding_model: str | None = None
    embedding_dimension: int | None = None
    embedding_timeout_seconds: float = 30.0
    # A search query's vector is reused this many seconds by the same workspace (the same
    # words searched again skip the model); 0 disables.
    query_vector_cache_seconds: float = 600.0

    # Language model gateway (kernel/llm, docs/tad/ai-gateway.md). Unset provider: the offline
    # composer (deterministic, labelled). ``openai`` means any OpenAI-compatible API (OpenAI,
    # Azure OpenAI, vLLM, Ollama, OpenRouter) at ``llm_base_url``; also ``anthropic``, ``google``.
    # ``llm_fallbacks``: JSON list of further routes tried in order, e.g.
    # ``[{"provider": "anthropic", "model": "claude-haiku-4-5", "api_key": "..."}]``.
    llm_provider: str | None = None
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_seconds: float = 60.0
    llm_max_retries: int = 2
    llm_fallbacks: list[dict[str, object]] = Field(default_factory=list)

    # AI spend (docs/tad/cost-model-ai.md). ``llm_prices``: JSON price table by "provider:model"
    # or "model", ahead of genai-prices, e.g. ``{"openai:gpt-4o": {"input_mtok": "2.5",
    # "output_mtok": "10", "cache_read_mtok": "1.25"}}``. Exact responses are reused for
    # ``llm_cache_ttl_seconds`` (0: no cache). A budget reservation nobody settled (a crashed
    # worker) stops counting after ``budget_reservation_seconds``.
    llm_prices: dict[str, LLMPrice] = Field(default_factory=dict)
    llm_cache_ttl_seconds: int = Field(default=86_400, ge=0)
    budget_reservation_seconds: int = Field(default=900, ge=1)

    # Provider keys at rest (ADR 0014): base64 of 32 random bytes, or `kid:key,kid:key,...`
    # where the first encrypts and all decrypt (rotation). Unset: derived from the secret key,
    # in development and tests only; production and staging refuse to start without it.
    encryption_key: SecretStr | None = None

    # Origins allowed to call the API from a browser; empty: same origin only (no CORS).
    cors_origins: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _refuse_weak_secret(self) -> Settings:
        secret = self.secret_key.get_secret_value()
        if self.environment in PROTECTED_ENVIRONMENTS and (
            secret == DEV_SECRET_KEY or len(secret) < 32
        ):
            raise ValueError(
                "BRANDFLOW_SECRET_KEY must be set to a random value of 32+ characters in "
                f"{self.environment}; generate one with `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`."
            )
        return self

    @model_validator(mode="after")
    def _require_encryption_key(self) -> Settings:
        configured = self.encryption_key.get_secret_value().strip() if self.encryption_key else ""
        if configured:
            parse_keyring(configured)  # a malformed keyring stops the start, not a later read
        elif self.environment in PROTECTED_ENVIRONMENTS:
            raise ValueError(
                f"BRANDFLOW_ENCRYPTION_KEY must be set in {self.environment}: provider keys "
                "are encrypted with it. Generate one with `python -c 'import base64, os; "
                "print(base64.b64encode(os.urandom(32)).decode())'`."
            )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
