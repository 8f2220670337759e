"""What other contexts (the studio, the gateway's callers) may import from finops.

Per model call: ``cache_key`` + ``cache_get`` (a hit: ``record(..., cache_hit=True)``, free);
``budget_states`` + ``choose_route`` (a cheaper chain near the limit, when configured);
``estimate_cost`` + ``reserve`` (402 ``BudgetExceeded`` before anything is spent); the call;
then ``settle`` (or ``release`` if it failed) and ``cache_put``. Embeddings: ``record``.
"""

from brandflow.contexts.finops.caching import cache_key
from brandflow.contexts.finops.config import FinOpsConfig, get_finops_config
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
)
from brandflow.contexts.finops.response_cache import (
    CachedAnswer,
    cache_get,
    cache_put,
    purge_expired,
)
from brandflow.contexts.finops.routing import CheaperRoute, RouteChoice, choose_route
from brandflow.contexts.finops.service import budget_states

__all__ = [
    "CURRENCY",
    "BudgetChanged",
    "BudgetExceeded",
    "BudgetRule",
    "BudgetState",
    "BudgetThresholdReached",
    "CachedAnswer",
    "CallContext",
    "CheaperRoute",
    "ConfiguredPrice",
    "FinOpsConfig",
    "Metered",
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
    "get_finops_config",
    "price_of",
    "purge_expired",
    "record",
    "release",
    "reserve",
    "settle",
]
