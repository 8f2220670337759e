"""Model gateway: every language-model call, with fallback, retries, breakers and metering data.

See docs/tad/ai-gateway.md. Import from here; the submodules are the implementation.
"""

from brandflow.kernel.llm.breaker import BreakerPolicy
from brandflow.kernel.llm.composer import ComposerInput, SourceChunk
from brandflow.kernel.llm.config import (
    OFFLINE_LABEL,
    OFFLINE_MODEL,
    ModelChain,
    ModelRoute,
    Task,
    TaskRouting,
    from_settings,
)
from brandflow.kernel.llm.errors import (
    ModelGatewayError,
    ModelOutputInvalid,
    ModelRequestRejected,
    ModelStreamInterrupted,
    ModelUnavailable,
)
from brandflow.kernel.llm.gateway import ChatMessage, ModelGateway, RetryPolicy
from brandflow.kernel.llm.result import Attempt, LLMResult, TokenUsage
from brandflow.kernel.llm.streaming import LLMStream

__all__ = [
    "OFFLINE_LABEL",
    "OFFLINE_MODEL",
    "Attempt",
    "BreakerPolicy",
    "ChatMessage",
    "ComposerInput",
    "LLMResult",
    "LLMStream",
    "ModelChain",
    "ModelGateway",
    "ModelGatewayError",
    "ModelOutputInvalid",
    "ModelRequestRejected",
    "ModelRoute",
    "ModelStreamInterrupted",
    "ModelUnavailable",
    "RetryPolicy",
    "SourceChunk",
    "Task",
    "TaskRouting",
    "TokenUsage",
    "from_settings",
]
