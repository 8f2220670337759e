"""FinOps rules: token counts, money, budget admission and status, events. Pure: no I/O.

Money is USD as ``Decimal``. A call's cost is exact (token count x price per million tokens,
both decimal) and stored with 12 decimal places (``COST_QUANTUM``, a picodollar): real
prices have at most 6 decimals per million tokens, so storing never rounds; anything finer
is rounded half-to-even, the only rounding anywhere. Sums are sums of stored costs.

A budget is monthly (calendar month, UTC) for a workspace or one of its campaigns. Its soft
threshold raises one event per month; its hard limit refuses a call whose estimate does not
fit in what is left after what was spent and what other calls in flight have reserved.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import Field

from brandflow.kernel.errors import AppError
from brandflow.kernel.events import DomainEvent

CURRENCY = "USD"
COST_QUANTUM = Decimal("1e-12")
CENT = Decimal("0.01")
MILLION = Decimal(1_000_000)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Task(StrEnum):
    """What a metered call was for."""

    GENERATE = "generate"
    REWRITE = "rewrite"
    CHECK = "check"
    EMBED = "embed"
    SEARCH = "search"


class PriceSource(StrEnum):
    """Where a ledger row's cost came from."""

    CONFIGURED = "configured"  # BRANDFLOW_LLM_PRICES, which wins over genai-prices
    GENAI_PRICES = "genai-prices"
    FREE = "free"  # the offline composer, the local embedder
    CACHE = "cache"  # answered from the exact-response cache: nothing paid
    UNKNOWN = "unknown"  # no price anywhere: cost is null, the row is flagged


def quantize_cost(value: Decimal) -> Decimal:
    return value.quantize(COST_QUANTUM, rounding=ROUND_HALF_EVEN)


def tidy(value: Decimal) -> Decimal:
    """The same amount without trailing zeros past the cents: 0.100000000000 -> 0.10,
    0.000000150000 -> 0.00000015 (how amounts leave the API; exact, nothing rounded)."""
    normalized = value.normalize()
    exponent = normalized.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return normalized.quantize(CENT)
    return normalized


@dataclass(frozen=True, slots=True)
class TokenCounts:
    """Tokens of one call. ``input_tokens`` is the whole input, cached tokens included
    (the convention of pydantic-ai and genai-prices); cache reads and writes are parts of it."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def __post_init__(self) -> None:
        for name in ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, not {value!r}")
        if self.cache_read_tokens + self.cache_write_tokens > self.input_tokens:
            raise ValueError("cache_read_tokens + cache_write_tokens exceed input_tokens")

    @classmethod
    def of(cls, usage: object) -> TokenCounts:
        """From any object with these attributes (the gateway's ``TokenUsage``)."""
        if isinstance(usage, TokenCounts):
            return usage
        return cls(
            input_tokens=getattr(usage, "input_tokens", 0) or 0,
            output_tokens=getattr(usage, "output_tokens", 0) or 0,
            cache_read_tokens=getattr(usage, "cache_read_tokens", 0) or 0,
            cache_write_tokens=getattr(usage, "cache_write_tokens", 0) or 0,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_read_tokens": self.cache_read_tokens,
            "cache_write_tokens": self.cache_write_tokens,
        }


@dataclass(frozen=True, slots=True)
class Price:
    """The cost of one call (None: no price known) and where it came from."""

    cost: Decimal | None
    source: PriceSource
    ref: str | None = None  # e.g. "genai-prices 0.2.3: openai/gpt-4o"

    @property
    def unknown(self) -> bool:
        return self.cost is None


# --- periods --------------------------------------------------------------------------


def month_of(moment: datetime) -> date:
    """The budget period holding ``moment``: the first day of its UTC month."""
    utc = moment.astimezone(UTC)
    return date(utc.year, utc.month, 1)


def period_label(period: date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


# --- budgets --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BudgetRule:
    """A monthly budget of a workspace (``campaign_id`` None) or of one campaign."""

    campaign_id: uuid.UUID | None
    monthly_limit: Decimal
    soft_threshold_percent: int
    hard_limit: bool

    @property
    def soft_threshold(self) -> Decimal:
        return self.monthly_limit * self.soft_threshold_percent / HUNDRED

    def admits(self, spent: Decimal, reserved: Decimal, estimate: Decimal | None) -> bool:
        """Whether a call estimated at ``estimate`` may start now.

        A free call (0) always may: it cannot spend. A call of unknown price may while
        anything is left. Otherwise spent + reserved + estimate must fit in the limit, so
        calls in flight never overspend as long as estimates bound their cost.
        """
        if not self.hard_limit or estimate == ZERO:
            return True
        if estimate is None:
            return spent + reserved < self.monthly_limit
        return spent + reserved + estimate <= self.monthly_limit

    def soft_reached(self, spent: Decimal) -> bool:
        return spent >= self.soft_threshold


@dataclass(frozen=True, slots=True)
class BudgetState:
    """Where one scope stands this month, with or without a budget."""

    rule: BudgetRule | None
    spent: Decimal
    reserved: Decimal

    @property
    def remaining(self) -> Decimal | None:
        if self.rule is None:
            return None
        return max(ZERO, self.rule.monthly_limit - self.spent - self.reserved)

    @property
    def percent_used(self) -> Decimal | None:
        """Spent as a percentage of the limit, two decimals (a zero limit: 100 once used)."""
        if self.rule is None:
            return None
        if self.rule.monthly_limit == ZERO:
            return HUNDRED if self.spent > ZERO else ZERO
        return (self.spent * HUNDRED / self.rule.monthly_limit).quantize(Decimal("0.01"))

    @property
    def soft_reached(self) -> bool:
        return self.rule is not None and self.rule.soft_reached(self.spent)

    @property
    def hard_blocked(self) -> bool:
        """No call with a positive estimate would be admitted now."""
        rule = self.rule
        return (
            rule is not None
            and rule.hard_limit
            and self.spent + self.reserved >= rule.monthly_limit
        )


class BudgetExceeded(AppError):
    """402: the call would exceed a hard monthly budget. Nothing was spent."""

    status, code, title = 402, "budget-exceeded", "Budget exceeded"

    def __init__(
        self,
        rule: BudgetRule,
        *,
        period: date,
        spent: Decimal,
        reserved: Decimal,
        estimate: Decimal | None,
    ) -> None:
        scope = "campaign" if rule.campaign_id else "workspace"
        super().__init__(
            f"This call would exceed the {scope}'s monthly budget of {tidy(rule.monthly_limit)} "
            f"{CURRENCY} for {period_label(period)}: {tidy(spent)} spent, {tidy(reserved)} "
            f"reserved by calls in progress, this call estimated at "
            f"{'an unknown cost' if estimate is None else tidy(estimate)}.",
            scope=scope,
            campaign_id=str(rule.campaign_id) if rule.campaign_id else None,
            period=period_label(period),
            currency=CURRENCY,
            monthly_limit=str(tidy(rule.monthly_limit)),
            spent=str(tidy(spent)),
            reserved=str(tidy(reserved)),
            estimate=None if estimate is None else str(tidy(estimate)),
        )
        self.rule = rule


# --- events ---------------------------------------------------------------------------


class BudgetChanged(DomainEvent):
    """A monthly budget was set, changed or removed."""

    name: ClassVar[str] = "finops.budget_changed"
    subject_type: ClassVar[str] = "budget"
    campaign_id: uuid.UUID | None = Field(description="None: the workspace's budget")
    removed: bool = False


class BudgetThresholdReached(DomainEvent):
    """This month's spend reached a budget's soft threshold (once per budget per month)."""

    name: ClassVar[str] = "finops.budget_threshold_reached"
    subject_type: ClassVar[str] = "budget"
    campaign_id: uuid.UUID | None = Field(description="None: the workspace's budget")
    period: str = Field(description="The month, YYYY-MM (UTC)", examples=["2026-11"])
    currency: str = CURRENCY
    monthly_limit: Decimal
    soft_threshold_percent: int
    spent: Decimal


def budget_changes(before: BudgetRule | None, after: BudgetRule | None) -> dict[str, Any]:
    """Field -> [before, after] of what differs (money as strings, exact)."""
    fields = ("monthly_limit", "soft_threshold_percent", "hard_limit")

    def value(rule: BudgetRule | None, name: str) -> Any:
        if rule is None:
            return None
        item = getattr(rule, name)
        return str(item) if isinstance(item, Decimal) else item

    return {
        name: [value(before, name), value(after, name)]
        for name in fields
        if value(before, name) != value(after, name)
    }
