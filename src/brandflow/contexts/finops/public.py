"""What other contexts (the studio, the gateway's callers) may import from finops.

Per model call: ``cache_key`` + ``cache_get`` (a hit: ``record(..., cache_hit=True)``, free);
``budget_states`` + ``choose_route`` (a cheaper chain near the limit, when configured);
``estimate_cost`` + ``reserve`` (402 ``BudgetExceeded`` before anything is spent); the call;
then ``settle`` (or ``release`` if it failed) and ``cache_put``. Embeddings: ``record``
(ingestion, re-embedding) or, on a latency-critical path (search), ``meter_soon``.
Prices and limits come from ``brandflow.settings.Settings`` (pass ``settings=``; None: the
process's). The composition root wires ``PendingUsage`` and the periodic chores.
"""

from brandflow.contexts.finops.caching import cache_key
from brandflow.contexts.finops.deferred import (
    PENDING_USAGE_INFO_KEY,
    PendingUsage,
    flush_pending_usage,
    flush_usage_periodically,
    meter_soon,
)
from brandflow.contexts.finops.domain import (
    CURRENCY,
    BudgetChanged,
    BudgetExceeded,
    BudgetRule,
    BudgetState,
    BudgetThresholdReached,
    Price,
    PriceSource,
    Task,
    TokenCounts,
)
from brandflow.contexts.finops.metering import (
    CallContext,
    Metered,
    Reservation,
    record,
    release,
    reserve,
    settle,
)
from brandflow.contexts.finops.pricing import (
    ConfiguredPrice,
    PriceTable,
    estimate_cost,
    price_of,
    price_table,
)
from brandflow.contexts.finops.response_cache import (
    CachedAnswer,
    cache_get,
    cache_put,
    purge_cache_periodically,
    purge_expired,
)
from brandflow.contexts.finops.routing import CheaperRoute, RouteChoice, choose_route
from brandflow.contexts.finops.service import budget_states

__all__ = [
    "CURRENCY",
    "PENDING_USAGE_INFO_KEY",
    "BudgetChanged",
    "BudgetExceeded",
    "BudgetRule",
    "BudgetState",
    "BudgetThresholdReached",
    "CachedAnswer",
    "CallContext",
    "CheaperRoute",
    "ConfiguredPrice",
    "Metered",
    "PendingUsage",
    "Price",
    "PriceSource",
    "PriceTable",
    "Reservation",
    "RouteChoice",
    "Task",
    "TokenCounts",
    "budget_states",
    "cache_get",
    "cache_key",
    "cache_put",
    "choose_route",
    "estimate_cost",
    "flush_pending_usage",
    "flush_usage_periodically",
    "meter_soon",
    "price_of",
    "price_table",
    "purge_cache_periodically",
    "purge_expired",
    "record",
    "release",
    "reserve",
    "settle",
]
