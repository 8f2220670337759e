"""What a model call costs: a configured price table first, then genai-prices, else unknown.

Order, first match wins:
1. the offline composer and the local embedder (providers ``offline`` and ``local``) are
   free, unless the table names them;
2. the configured table (``BRANDFLOW_LLM_PRICES``): an entry ``"provider:model"``, then an
   entry ``"model"`` for any provider;
3. genai-prices' bundled data (no network: we never turn its auto-update on), looked up by
   the endpoint's URL when one is given (OpenRouter, Azure, ...), else by provider id;
4. otherwise the price is unknown: the ledger keeps the row with a null cost, flagged.

The table's prices are USD per million tokens, like genai-prices'. Cache reads and writes
are parts of ``input_tokens``; without their own price they cost the input price.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

import genai_prices
from pydantic import TypeAdapter

from brandflow.contexts.finops.domain import (
    MILLION,
    ZERO,
    Price,
    PriceSource,
    TokenCounts,
    quantize_cost,
)
from brandflow.settings import LLMPrice, Settings, get_settings

FREE_PROVIDERS = frozenset({"offline", "local"})
# Our provider names -> genai-prices provider ids, where they differ.
_GENAI_PROVIDER_IDS: dict[str, str] = {"gemini": "google", "vertex": "google"}

# An entry of the table; its shape lives with the settings that read it.
ConfiguredPrice = LLMPrice


def configured_cost(entry: ConfiguredPrice, usage: TokenCounts) -> Decimal:
    """Exact cost of ``usage`` at a table entry's prices (cache tokens at the input price
    unless the entry prices them)."""
    cache_read = entry.cache_read_mtok if entry.cache_read_mtok is not None else entry.input_mtok
    cache_write = entry.cache_write_mtok if entry.cache_write_mtok is not None else entry.input_mtok
    uncached = usage.input_tokens - usage.cache_read_tokens - usage.cache_write_tokens
    total = (
        uncached * entry.input_mtok
        + usage.cache_read_tokens * cache_read
        + usage.cache_write_tokens * cache_write
        + usage.output_tokens * entry.output_mtok
    )
    return total / MILLION


_TABLE = TypeAdapter(dict[str, ConfiguredPrice])


class PriceTable:
    """Configured prices by ``"provider:model"`` or ``"model"`` (case-insensitive)."""

    def __init__(self, entries: Mapping[str, ConfiguredPrice] | None = None) -> None:
        self._entries = {key.strip().lower(): price for key, price in (entries or {}).items()}

    @classmethod
    def parse(cls, raw: Mapping[str, object]) -> PriceTable:
        """From JSON-like data, e.g. ``{"openai:gpt-4o": {"input_mtok": "2.5", ...}}``."""
        return cls(_TABLE.validate_python(raw))

    def lookup(self, provider: str, model: str) -> tuple[str, ConfiguredPrice] | None:
        for key in (f"{provider}:{model}".lower(), model.lower()):
            if key in self._entries:
                return key, self._entries[key]
        return None

    def __len__(self) -> int:
        return len(self._entries)


def price_table(settings: Settings | None = None) -> PriceTable:
    """The table of ``BRANDFLOW_LLM_PRICES`` (``settings`` None: this process's settings)."""
    return PriceTable((settings or get_settings()).llm_prices)


def _genai_price(
    provider: str, model: str, usage: TokenCounts, base_url: str | None, at: datetime | None
) -> Price | None:
    tokens = genai_prices.Usage(**usage.as_dict())
    provider_id = _GENAI_PROVIDER_IDS.get(provider, provider)
    for by_url in ([True] if base_url else []) + [False]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unknown-key warnings are not ours to show
                if by_url:
                    calc = genai_prices.calc_price(
                        tokens, model, provider_api_url=base_url, genai_request_timestamp=at
                    )
                else:
                    calc = genai_prices.calc_price(
                        tokens, model, provider_id=provider_id, genai_request_timestamp=at
                    )
        except (LookupError, ValueError):
            continue  # no such provider or model there, or usage it cannot price
        ref = f"genai-prices {genai_prices.__version__}: {calc.provider.id}/{calc.model.id}"
        return Price(quantize_cost(calc.total_price), PriceSource.GENAI_PRICES, ref)
    return None


def price_of(
    provider: str,
    model: str,
    usage: object,
    *,
    table: PriceTable | None = None,
    base_url: str | None = None,
    at: datetime | None = None,
) -> Price:
    """The cost of a call that used ``usage`` (a ``TokenCounts`` or the gateway's usage).

    ``table``: None reads ``BRANDFLOW_LLM_PRICES``. ``at`` is when the call happened
    (prices change over time); None: now. Never raises for an unknown model: the answer is
    then ``Price(None, UNKNOWN)``.
    """
    tokens = TokenCounts.of(usage)
    provider = provider.strip().lower()
    configured = (table if table is not None else price_table()).lookup(provider, model)
    if configured is not None:
        key, entry = configured
        return Price(
            quantize_cost(configured_cost(entry, tokens)), PriceSource.CONFIGURED, f"table: {key}"
        )
    if provider in FREE_PROVIDERS:
        return Price(ZERO, PriceSource.FREE, f"{provider}: free")
    found = _genai_price(provider, model, tokens, base_url, at)
    return found if found is not None else Price(None, PriceSource.UNKNOWN)


def estimate_cost(
    provider: str,
    model: str,
    *,
    input_tokens: int,
    max_output_tokens: int,
    table: PriceTable | None = None,
    base_url: str | None = None,
) -> Decimal | None:
    """What to reserve before a call: its price with every input token uncached and the full
    output allowance used, so the estimate bounds the real cost (None: price unknown)."""
    usage = TokenCounts(input_tokens=input_tokens, output_tokens=max_output_tokens)
    return price_of(provider, model, usage, table=table, base_url=base_url).cost
