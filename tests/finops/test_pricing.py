"""Prices, budget rules, routing and cache keys: pure code, no database.

Costs are checked against usage x price computed here by hand, from genai-prices' own
price data (the per-million prices of the model), not through its ``calc_price``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from genai_prices.data_snapshot import get_snapshot

from brandflow.contexts.finops.public import (
    BudgetRule,
    BudgetState,
    CheaperRoute,
    PriceSource,
    PriceTable,
    TokenCounts,
    cache_key,
    choose_route,
    estimate_cost,
    price_of,
    price_table,
)
from brandflow.settings import Settings

MILLION = Decimal(1_000_000)


def list_price(provider: str, model: str, key: str) -> Decimal:
    """A per-million price straight from genai-prices' data."""
    _, info = get_snapshot().find_provider_model(model, None, provider, None)
    value = getattr(info.get_prices(datetime.now(UTC)), key)
    assert isinstance(value, Decimal), f"{provider}/{model} has no plain {key}"
    return value


@pytest.mark.parametrize(
    ("provider", "model", "usage"),
    [
        ("openai", "gpt-4o", TokenCounts(1234, 567, cache_read_tokens=200)),
        ("openai", "gpt-4o-mini", TokenCounts(7, 3)),  # tiny: 2.85 micro-dollars, not rounded
        ("anthropic", "claude-haiku-4-5", TokenCounts(5000, 800, 1000, 300)),
        ("google", "gemini-2.5-flash", TokenCounts(90_001, 4_321, cache_read_tokens=1)),
        ("openai", "text-embedding-3-small", TokenCounts(3_333)),
    ],
)
def test_genai_prices_cost_is_exactly_usage_times_price(
    provider: str, model: str, usage: TokenCounts
) -> None:
    def p(key: str) -> Decimal:
        return list_price(provider, model, key)

    uncached = usage.input_tokens - usage.cache_read_tokens - usage.cache_write_tokens
    expected = uncached * p("input_mtok") + usage.output_tokens * (
        p("output_mtok") if usage.output_tokens else 0
    )
    if usage.cache_read_tokens:
        expected += usage.cache_read_tokens * p("cache_read_mtok")
    if usage.cache_write_tokens:
        expected += usage.cache_write_tokens * p("cache_write_mtok")
    expected /= MILLION

    price = price_of(provider, model, usage)
    assert price.source is PriceSource.GENAI_PRICES
    assert price.cost == expected  # Decimal equality: exact, no tolerance
    assert price.ref is not None
    assert model in price.ref


def test_the_smallest_costs_survive_storage_precision() -> None:
    price = price_of("openai", "gpt-4o-mini", TokenCounts(1, 0))
    assert price.cost == Decimal("0.00000015")  # $0.15 per million, one token
    assert price.cost == price.cost.quantize(Decimal("1e-12"))


def test_the_configured_table_wins_over_genai_prices() -> None:
    table = PriceTable.parse(
        {
            "openai:gpt-4o": {"input_mtok": "2", "output_mtok": "8", "cache_read_mtok": "0.5"},
            "llama3.1:8b": {"input_mtok": 0},
        }
    )
    usage = TokenCounts(1_000, 100, cache_read_tokens=400)
    price = price_of("OpenAI", "GPT-4o", usage, table=table)
    assert price.source is PriceSource.CONFIGURED
    assert price.cost == (600 * Decimal(2) + 400 * Decimal("0.5") + 100 * Decimal(8)) / MILLION
    # An entry without a provider matches any provider; cache reads default to the input price.
    free = price_of("openai", "llama3.1:8b", TokenCounts(10_000, 5_000), table=table)
    assert (free.cost, free.source) == (Decimal(0), PriceSource.CONFIGURED)
    # Another model still comes from genai-prices.
    assert price_of("openai", "gpt-4o-mini", usage, table=table).source is PriceSource.GENAI_PRICES


def test_offline_composer_and_local_embedder_are_free() -> None:
    for provider, model in (("offline", "offline-composer"), ("local", "all-MiniLM-L6-v2")):
        price = price_of(provider, model, TokenCounts(900, 300))
        assert (price.cost, price.source) == (Decimal(0), PriceSource.FREE)


def test_an_unknown_model_has_an_unknown_price_and_no_error() -> None:
    for provider in ("openai", "no-such-provider"):
        price = price_of(provider, "brandflow-unreleased-model", TokenCounts(10, 10))
        assert price.cost is None
        assert price.unknown
        assert price.source is PriceSource.UNKNOWN
    assert (
        estimate_cost("openai", "brandflow-unreleased-model", input_tokens=10, max_output_tokens=10)
        is None
    )


def test_the_endpoint_url_picks_the_provider() -> None:
    usage = TokenCounts(1_000, 1_000)
    routed = price_of("openai", "openai/gpt-4o", usage, base_url="https://openrouter.ai/api/v1")
    assert routed.ref is not None
    assert "openrouter/" in routed.ref
    # A self-hosted endpoint genai-prices does not know: the provider id decides.
    local = price_of("openai", "gpt-4o", usage, base_url="http://127.0.0.1:8080/v1")
    assert local.cost == price_of("openai", "gpt-4o", usage).cost


def test_an_estimate_bounds_the_cost_of_any_call_within_its_allowance() -> None:
    estimate = estimate_cost("openai", "gpt-4o", input_tokens=2_000, max_output_tokens=500)
    assert estimate is not None
    for usage in (TokenCounts(2_000, 500), TokenCounts(2_000, 10, 1_500), TokenCounts(1, 1)):
        cost = price_of("openai", "gpt-4o", usage).cost
        assert cost is not None
        assert cost <= estimate
    assert price_of("openai", "gpt-4o", TokenCounts(2_000, 500)).cost == estimate


def test_token_counts_refuse_inconsistent_usage() -> None:
    with pytest.raises(ValueError, match="exceed"):
        TokenCounts(10, 0, cache_read_tokens=8, cache_write_tokens=3)
    with pytest.raises(ValueError, match="non-negative"):
        TokenCounts(-1, 0)


# --- budget rules ---------------------------------------------------------------------


def rule(limit: str, *, hard: bool = True, soft: int = 80) -> BudgetRule:
    return BudgetRule(None, Decimal(limit), soft, hard)


def test_admission_counts_spent_reserved_and_the_estimate() -> None:
    budget = rule("10.00")
    assert budget.admits(Decimal(6), Decimal(3), Decimal(1))  # exactly at the limit: fits
    assert not budget.admits(Decimal(6), Decimal(3), Decimal("1.000000000001"))
    assert budget.admits(Decimal(20), Decimal(0), Decimal(0))  # free calls spend nothing
    assert budget.admits(Decimal(9), Decimal(0), None)  # unknown price: while anything is left
    assert not budget.admits(Decimal(9), Decimal(1), None)
    assert rule("10", hard=False).admits(Decimal(50), Decimal(0), Decimal(5))  # warn only


def test_budget_state_reports_what_the_banner_needs() -> None:
    state = BudgetState(rule("200.00", soft=75), Decimal("150"), Decimal("40"))
    assert state.remaining == Decimal(10)
    assert state.percent_used == Decimal("75.00")
    assert state.soft_reached
    assert not state.hard_blocked
    full = BudgetState(rule("200.00"), Decimal("150"), Decimal("50"))
    assert full.hard_blocked
    assert full.remaining == 0
    none = BudgetState(None, Decimal(3), Decimal(0))
    assert none.remaining is None
    assert not none.soft_reached
    assert not none.hard_blocked


def test_choose_route_switches_to_the_cheaper_chain_at_the_threshold() -> None:
    routes = ["gpt-4o", "claude-sonnet-4-5"]
    cheaper = CheaperRoute(Decimal(90), ("gpt-4o-mini",))
    below = BudgetState(rule("100"), Decimal(80), Decimal(9))
    at = BudgetState(rule("100"), Decimal(80), Decimal(10))
    assert choose_route([below], routes, cheaper).routes == tuple(routes)
    choice = choose_route([below, at], routes, cheaper)  # the fullest budget decides
    assert choice.routes == ("gpt-4o-mini",)
    assert choice.downgraded
    assert choice.reason is not None
    assert "90" in choice.reason
    assert choose_route([at], routes, None).routes == tuple(routes)  # not configured
    assert not choose_route(
        [BudgetState(None, Decimal(999), Decimal(0))], routes, cheaper
    ).downgraded


# --- cache keys -----------------------------------------------------------------------


def test_cache_keys_change_with_anything_sent_and_nothing_else() -> None:
    messages = [{"role": "user", "content": "Caf\u00e9 copy, please"}]
    base = cache_key("openai", "gpt-4o", messages, {"temperature": 0.2, "max_tokens": 300})
    assert len(base) == 64
    # Same request, other key order and the composed form of é: same key.
    same = cache_key(
        "OpenAI",
        "gpt-4o",
        [{"content": "Cafe\u0301 copy, please", "role": "user"}],
        {"max_tokens": 300, "temperature": 0.2},
    )
    assert same == base
    others = {
        cache_key("anthropic", "gpt-4o", messages, {"temperature": 0.2, "max_tokens": 300}),
        cache_key("openai", "gpt-4o-mini", messages, {"temperature": 0.2, "max_tokens": 300}),
        cache_key("openai", "gpt-4o", messages, {"temperature": 0.3, "max_tokens": 300}),
        cache_key("openai", "gpt-4o", [{**messages[0], "content": "Cafe copy"}], {}),
        cache_key(
            "openai",
            "gpt-4o",
            messages,
            {"temperature": 0.2, "max_tokens": 300},
            {"type": "object"},
        ),
    }
    assert base not in others
    assert len(others) == 5
    with pytest.raises(TypeError):
        cache_key("openai", "gpt-4o", [{"content": uuid.uuid4()}])


def test_the_price_table_is_read_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "BRANDFLOW_LLM_PRICES",
        '{"vllm-box:llama-3.1-8b": {"input_mtok": "0.2", "output_mtok": 0.4}}',
    )
    table = price_table(Settings())
    usage = TokenCounts(1_000_000, 1_000_000)
    price = price_of("vllm-box", "llama-3.1-8b", usage, table=table)
    assert price.cost == Decimal("0.6")
    assert price.source is PriceSource.CONFIGURED
    monkeypatch.setenv("BRANDFLOW_LLM_PRICES", '{"x": {"input_mtok": -1}}')
    with pytest.raises(ValueError, match="input_mtok"):
        Settings()
