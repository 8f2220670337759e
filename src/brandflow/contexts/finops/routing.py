"""Cost-aware routing: near a budget's limit, send calls to a cheaper, configured chain.

The gateway asks before each call: ``choose_route(state, routes, cheaper)``. With nothing
configured, or no budget, or spend below the threshold, the routes stay as they are. At or
above ``threshold_percent`` of the budget (spent, plus what calls in flight reserved), the
cheaper chain replaces them entirely: falling back to the expensive model would defeat the
point. The hard limit still applies to whatever is chosen (``reserve``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from brandflow.contexts.finops.domain import HUNDRED, ZERO, BudgetState

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class CheaperRoute(Generic[R]):
    """Where to go once ``threshold_percent`` of the budget is used (e.g. 90)."""

    threshold_percent: Decimal
    routes: tuple[R, ...]

    def __post_init__(self) -> None:
        if not ZERO <= self.threshold_percent <= HUNDRED:
            raise ValueError("threshold_percent must be between 0 and 100")
        if not self.routes:
            raise ValueError("a cheaper route needs at least one route")


@dataclass(frozen=True, slots=True)
class RouteChoice(Generic[R]):
    routes: tuple[R, ...]
    downgraded: bool
    reason: str | None = None


def committed_percent(state: BudgetState) -> Decimal | None:
    """Spent plus reserved, as a percentage of the limit (None: no budget)."""
    rule = state.rule
    if rule is None:
        return None
    committed = state.spent + state.reserved
    if rule.monthly_limit == ZERO:
        return HUNDRED
    return committed * HUNDRED / rule.monthly_limit


def choose_route(
    states: Sequence[BudgetState], routes: Sequence[R], cheaper: CheaperRoute[R] | None
) -> RouteChoice[R]:
    """The routes to try. ``states``: the workspace's and the campaign's budget states; the
    fullest budget decides."""
    if cheaper is None:
        return RouteChoice(tuple(routes), downgraded=False)
    used = [p for p in (committed_percent(s) for s in states) if p is not None]
    if not used or max(used) < cheaper.threshold_percent:
        return RouteChoice(tuple(routes), downgraded=False)
    return RouteChoice(
        cheaper.routes,
        downgraded=True,
        reason=f"{max(used):.2f}% of the monthly budget is used "
        f"(threshold {cheaper.threshold_percent}%): using the cheaper route",
    )
