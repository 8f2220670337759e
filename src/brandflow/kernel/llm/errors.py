"""What a model call can end in, as typed application errors (RFC 9457 when they reach the API).

Each carries ``attempts``: every route tried, every retry and why it failed, for provenance and
for the message shown to the user. Provider keys never appear in them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from brandflow.kernel.errors import AppError

if TYPE_CHECKING:
    from brandflow.kernel.llm.result import Attempt


class ModelGatewayError(AppError):
    status, code, title = 502, "model-error", "The language model call failed"

    def __init__(self, detail: str, *, attempts: tuple[Attempt, ...] = ()) -> None:
        super().__init__(detail)
        self.attempts = attempts


class ModelUnavailable(ModelGatewayError):
    """Every route failed (timeouts, 429, 5xx, connection errors) or had its circuit open."""

    status, code, title = 503, "model-unavailable", "No language model is available"


class ModelRequestRejected(ModelGatewayError):
    """The provider refused the request itself (400, 401, 403, 404, 422): not retried."""

    code, title = "model-request-rejected", "The language model refused the request"


class ModelOutputInvalid(ModelGatewayError):
    """The model's structured output did not validate, even after the allowed retries."""

    code, title = "model-output-invalid", "The language model returned invalid output"


class ModelStreamInterrupted(ModelGatewayError):
    """A stream failed after text had already been delivered, so it could not be retried."""

    code, title = "model-stream-interrupted", "The language model stream broke off"
