"""One pydantic-ai model per route, built once and reused (its HTTP client and pool with it).

OpenAI and OpenAI-compatible routes use ``HTTPChatModel`` (Chat Completions over httpx, which
never retries); Anthropic and Google use pydantic-ai's models on their SDKs, built with the
SDK's retries off (``max_retries=0``). Either way the gateway owns retrying, so a 429 is not
retried twice over, and every attempt is recorded. The HTTP timeout is the route's timeout,
which also bounds the wait for each chunk of a stream.
A route without an ``api_key`` never falls back to ``OPENAI_API_KEY`` and the like: a key
meant for one provider is never sent to another endpoint.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic_ai.models import Model

from brandflow.kernel.llm.config import ModelRoute
from brandflow.kernel.llm.offline import OfflineComposerModel

_NO_KEY = "not-set"  # local servers (vLLM, Ollama) take any key; the SDKs insist on one
_OPENAI_URL = "https://api.openai.com/v1"


def build_model(route: ModelRoute) -> Model:
    if route.provider == "offline":
        return OfflineComposerModel()
    if route.provider == "openai":
        return _openai(route)
    if route.provider == "anthropic":
        return _anthropic(route)
    return _google(route)


def _key(route: ModelRoute) -> str | None:
    return route.api_key.get_secret_value() if route.api_key else None


def _openai(route: ModelRoute) -> Model:
    # Chat Completions over httpx, not the OpenAI SDK: the SDK's per-call CPU was most of the
    # gateway's overhead (docs/adr/0016-openai-compatible-transport-on-httpx.md).
    from brandflow.kernel.llm.openai_http import HTTPChatModel

    base_url = route.base_url or _OPENAI_URL
    # OpenAI's own API gets OpenAI's model profiles; vLLM, Ollama, OpenRouter, Azure's v1
    # endpoint... the profile shared by compatible APIs, without the request fields only
    # OpenAI's own API accepts.
    own = urlsplit(base_url).hostname == "api.openai.com"
    return HTTPChatModel(
        route.model,
        base_url=base_url,
        api_key=_key(route),
        timeout=route.timeout_seconds,
        provider_name="openai" if own else "openai-compatible",
    )


def _anthropic(route: ModelRoute) -> Model:
    from anthropic import AsyncAnthropic
    from pydantic_ai.models.anthropic import AnthropicModel
    from pydantic_ai.providers.anthropic import AnthropicProvider

    client = AsyncAnthropic(
        api_key=_key(route) or _NO_KEY,
        base_url=route.base_url,
        max_retries=0,
        timeout=route.timeout_seconds,
    )
    return AnthropicModel(route.model, provider=AnthropicProvider(anthropic_client=client))


def _google(route: ModelRoute) -> Model:
    from google.genai import Client
    from google.genai.types import HttpOptions
    from pydantic_ai.models.google import GoogleModel
    from pydantic_ai.providers.google import GoogleProvider

    options = HttpOptions(base_url=route.base_url, timeout=int(route.timeout_seconds * 1000))
    if route.vertex:
        # Vertex AI: Google Cloud credentials (ADC), GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION;
        # an api_key here is a Vertex express-mode key.
        client = Client(vertexai=True, api_key=_key(route), http_options=options)
    else:
        client = Client(api_key=_key(route) or _NO_KEY, http_options=options)
    return GoogleModel(route.model, provider=GoogleProvider(client=client))


async def close_model(model: Model) -> None:
    """Close the HTTP client behind a model we built (the offline composer has none)."""
    from brandflow.kernel.llm.openai_http import HTTPChatModel

    if isinstance(model, HTTPChatModel):
        await model.aclose()
        return
    provider = getattr(model, "_provider", None) or getattr(model, "provider", None)
    client = getattr(provider, "client", None)
    if client is None:
        return
    aio = getattr(client, "aio", None)  # google-genai keeps its async half under .aio
    target = aio if aio is not None else client
    for name in ("close", "aclose"):
        closer = getattr(target, name, None)
        if closer is not None:
            result = closer()
            if hasattr(result, "__await__"):
                await result
            return
