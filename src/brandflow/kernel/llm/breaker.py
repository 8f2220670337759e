"""A circuit breaker per route, so a dead provider is skipped instead of waited on.

Closed: calls go through; ``failure_threshold`` consecutive failures open it. Open: calls are
refused until ``cooldown_seconds`` have passed, then one caller gets a half-open probe (the
others are still refused). The probe's success closes the circuit; its failure opens it for
another cool-down. State lives in process memory, guarded by a lock (no awaits inside), so
it is safe across tasks and threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

State = Literal["closed", "open", "half-open"]


@dataclass(frozen=True, slots=True)
class BreakerPolicy:
    failure_threshold: int = 5
    cooldown_seconds: float = 30.0


class CircuitBreaker:
    def __init__(
        self, policy: BreakerPolicy, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._policy = policy
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state()

    def _state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._probing or self._clock() - self._opened_at >= self._policy.cooldown_seconds:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        """May a call go through now? In half-open, only the first caller (the probe) may."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half-open" and not self._probing:
                self._probing = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._probing or self._failures >= self._policy.failure_threshold:
                self._opened_at = self._clock()
                self._probing = False

    def release(self) -> None:
        """A call that ended without a verdict on the route's health (e.g. a bad request)."""
        with self._lock:
            self._probing = False


class BreakerBoard:
    """One breaker per route key, created on first use."""

    def __init__(
        self, policy: BreakerPolicy, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._policy = policy
        self._clock = clock
        self._lock = threading.Lock()
        self._breakers: dict[str, CircuitBreaker] = {}

    def __getitem__(self, key: str) -> CircuitBreaker:
        breaker = self._breakers.get(key)
        if breaker is None:
            with self._lock:
                breaker = self._breakers.setdefault(
                    key, CircuitBreaker(self._policy, clock=self._clock)
                )
        return breaker
