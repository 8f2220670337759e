"""How a failed attempt is judged: retry it, move to the next route, and does it count against
the route's circuit breaker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelHTTPError,
    ModelNotFoundError,
    ModelQuotaExceededError,
    ModelRequestRejectedError,
    UnexpectedModelBehavior,
)

Category = Literal["transient", "rejected", "invalid-output"]


@dataclass(frozen=True, slots=True)
class Failure:
    category: Category
    retryable: bool
    # Does it say the route is unhealthy? A bad request or a bad answer does not.
    counts_against_route: bool
    status_code: int | None
    retry_after: float | None
    error_type: str
    message: str


def judge(exc: BaseException) -> Failure | None:
    """The verdict on ``exc``, or None for an error that is ours (a bug): it must propagate."""
    name = type(exc).__name__
    status = exc.status_code if isinstance(exc, ModelHTTPError) else None
    retry_after = exc.retry_after if isinstance(exc, ModelAPIError) else None
    message = _message(exc)
    if isinstance(exc, TimeoutError):
        return Failure("transient", True, True, None, None, name, message or "timed out")
    if isinstance(exc, (ModelAuthenticationError, ModelNotFoundError, ModelQuotaExceededError)):
        # A wrong key, model or empty account: retrying will not help, another route may.
        return Failure("rejected", False, True, status, None, name, message)
    if isinstance(exc, ModelRequestRejectedError):
        return Failure("rejected", False, False, status, None, name, message)
    if isinstance(exc, ModelHTTPError) and 400 <= exc.status_code < 500:
        retryable = exc.status_code in (408, 409, 429)
        return Failure(
            "transient" if retryable else "rejected",
            retryable,
            retryable,
            status,
            retry_after,
            name,
            message,
        )
    if isinstance(exc, ModelAPIError):
        # Rate limits, 5xx, unavailable, connection errors and timeouts, and the request
        # deadline (ModelRequestTimeout): all worth another try.
        return Failure("transient", True, True, status, retry_after, name, message)
    if isinstance(exc, UnexpectedModelBehavior):
        return Failure("invalid-output", False, False, None, None, name, message)
    return None


def _message(exc: BaseException) -> str:
    text = str(exc)
    # Error bodies can be long (and echo the request); keep what a person needs.
    return text if len(text) <= 500 else text[:497] + "..."
