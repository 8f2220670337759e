"""Chat Completions over httpx: a pydantic-ai ``Model`` for OpenAI and OpenAI-compatible APIs.

pydantic-ai's ``OpenAIChatModel`` goes through the OpenAI SDK, which costs about a millisecond
of CPU per call (request options, its own pydantic models for the response, then pydantic-ai
validating that response again). This model speaks the same wire format with one pooled
``httpx.AsyncClient``: the request body is built as plain dicts, the answer read with dict
access, and the parts, usage and finish reason mapped as ``OpenAIChatModel`` maps them. See
docs/adr/0016-openai-compatible-transport-on-httpx.md for what it covers and what it leaves out.

Errors come out as pydantic-ai's own (``ModelHTTPError`` by category, ``ModelConnectionError``,
``ModelTimeoutError``), classified by the helpers ``OpenAIChatModel`` uses, so ``failures.judge``
sees the same types whichever transport ran. The client never retries: the gateway does.

The modules: ``model`` (the ``Model``: calls and client lifecycle), ``provider`` (endpoint,
client and profile), ``request`` (messages and parameters to the request body), ``response``
(the answer to a ``ModelResponse``), ``stream`` (the streamed answer) and ``errors`` (HTTP and
transport failures to pydantic-ai's exceptions).
"""

from brandflow.kernel.llm.openai_http.model import HTTPChatModel
from brandflow.kernel.llm.openai_http.provider import HTTPChatProvider

__all__ = ("HTTPChatModel", "HTTPChatProvider")
