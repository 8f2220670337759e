"""FinOps settings, read from ``BRANDFLOW_*`` variables like the rest of the settings.

- ``BRANDFLOW_LLM_PRICES``: JSON price table that wins over genai-prices, USD per million
  tokens, e.g. ``{"openai:gpt-4o": {"input_mtok": "2.5", "output_mtok": "10",
  "cache_read_mtok": "1.25"}, "llama3.1:8b": {"input_mtok": 0}}``.
- ``BRANDFLOW_LLM_CACHE_TTL_SECONDS``: how long an exact response is reused (0: never).
- ``BRANDFLOW_BUDGET_RESERVATION_SECONDS``: after this long a reservation no worker settled
  or released (a crash) stops counting against the budget.
"""

from __future__ import annotations

from functools import cached_property, lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from brandflow.contexts.finops.pricing import ConfiguredPrice, PriceTable


class FinOpsConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRANDFLOW_", env_file=".env", extra="ignore")

    llm_prices: dict[str, ConfiguredPrice] = Field(default_factory=dict)
    llm_cache_ttl_seconds: int = Field(default=86_400, ge=0)
    budget_reservation_seconds: int = Field(default=900, ge=1)

    @cached_property
    def price_table(self) -> PriceTable:
        return PriceTable(self.llm_prices)


@lru_cache
def get_finops_config() -> FinOpsConfig:
    return FinOpsConfig()
