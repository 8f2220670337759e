"""What a gateway call returns: the output and everything provenance and metering need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

OutT = TypeVar("OutT")

Outcome = Literal["ok", "error", "circuit-open"]


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """Token counts as the provider reported them (the offline composer: estimates)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    requests: int = 0

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
            self.requests + other.requests,
        )


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try at one route: its outcome, the error if any, and the wait that followed it."""

    route_index: int
    provider: str
    model: str
    number: int
    outcome: Outcome
    latency_ms: float = 0.0
    # transient (timeouts, 429, 5xx, connection), rejected (4xx), invalid-output
    category: str | None = None
    error_type: str | None = None
    error: str | None = None
    status_code: int | None = None
    retryable: bool = False
    backoff_ms: float = 0.0
    # What the provider billed for the requests it answered in a failed attempt (say, output
    # that never validated); None: nothing answered, or the offline composer.
    usage: TokenUsage | None = None


@dataclass(frozen=True, slots=True)
class LLMResult(Generic[OutT]):
    """A successful call. ``output`` is the text, or the parsed ``output_type`` instance."""

    output: OutT
    text: str
    provider: str
    model: str
    label: str
    offline: bool
    route_index: int
    attempts: tuple[Attempt, ...]
    usage: TokenUsage
    latency_ms: float
