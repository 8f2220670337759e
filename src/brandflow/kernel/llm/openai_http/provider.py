"""The pydantic-ai ``Provider`` behind ``HTTPChatModel``: it names the endpoint, holds the pooled
``httpx.AsyncClient`` and gives the model profile, the one pydantic-ai's OpenAI or
OpenAI-compatible provider would give, so the request fields match ``OpenAIChatModel``'s.
"""

from __future__ import annotations

from typing import Literal

import httpx
from pydantic_ai.profiles import ModelProfile
from pydantic_ai.providers import Provider


class HTTPChatProvider(Provider[httpx.AsyncClient]):
    """Names the endpoint and holds the client; the profile is the one pydantic-ai's OpenAI
    provider (``name="openai"``) or OpenAI-compatible provider gives the model name."""

    def __init__(
        self, name: Literal["openai", "openai-compatible"], base_url: str, client: httpx.AsyncClient
    ) -> None:
        self._name = name
        self._base_url = base_url
        self._client = client

    @property
    def name(self) -> str:
        return self._name

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def client(self) -> httpx.AsyncClient:
        return self._client

    def model_profile(self, model_name: str) -> ModelProfile | None:  # type: ignore[override]
        # Imported here: the provider modules import the OpenAI SDK, only for their profiles.
        if self._name == "openai":
            from pydantic_ai.providers.openai import OpenAIProvider

            return OpenAIProvider.model_profile(model_name)
        from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider

        return OpenAICompatibleProvider.model_profile(model_name)
