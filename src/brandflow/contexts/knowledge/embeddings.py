"""Embeddings for brand knowledge: local all-MiniLM-L6-v2 by default, an API by configuration.

Settings (read by the caller, passed to `embedder_from_settings`):
BRANDFLOW_EMBEDDING_PROVIDER (`local` | `openai`), BRANDFLOW_EMBEDDING_BASE_URL,
BRANDFLOW_EMBEDDING_API_KEY, BRANDFLOW_EMBEDDING_MODEL, BRANDFLOW_EMBEDDING_DIMENSION.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from brandflow.contexts.knowledge.embedder import Embedder, EmbeddingError, Vectors
from brandflow.contexts.knowledge.minilm import MODEL_DIMENSION, MODEL_NAME, shared_encoder
from brandflow.contexts.knowledge.openai_compatible import OpenAICompatibleEmbedder

__all__ = [
    "DEFAULT_OPENAI_BASE_URL",
    "Embedder",
    "EmbeddingError",
    "LocalMiniLM",
    "OpenAICompatibleEmbedder",
    "Vectors",
    "embedder_from_settings",
]

DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"


class LocalMiniLM:
    """all-MiniLM-L6-v2 on this process's CPU, in NumPy; weights load on first use, once."""

    @property
    def model(self) -> str:
        return MODEL_NAME

    @property
    def dimension(self) -> int:
        return MODEL_DIMENSION

    async def embed(self, texts: Sequence[str]) -> Vectors:
        # CPU-bound for tens of milliseconds per text: off the event loop.
        return await asyncio.to_thread(_encode, list(texts))


def _encode(texts: list[str]) -> Vectors:
    return shared_encoder().encode(texts)


def embedder_from_settings(
    provider: str = "local",
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    model: str | None = None,
    dimension: int | None = None,
    timeout_seconds: float = 30.0,
) -> Embedder:
    """The configured embedder; ValueError names the setting that is wrong."""
    if provider == "local":
        if model and model not in (MODEL_NAME, MODEL_NAME.split("/")[-1]):
            raise ValueError(
                f"BRANDFLOW_EMBEDDING_MODEL={model!r}: the local provider runs {MODEL_NAME} only"
            )
        if dimension is not None and dimension != MODEL_DIMENSION:
            raise ValueError(
                f"BRANDFLOW_EMBEDDING_DIMENSION={dimension}: {MODEL_NAME} has {MODEL_DIMENSION}"
            )
        return LocalMiniLM()
    if provider == "openai":
        if not model:
            raise ValueError("BRANDFLOW_EMBEDDING_MODEL is required with the openai provider")
        return OpenAICompatibleEmbedder(
            base_url=base_url or DEFAULT_OPENAI_BASE_URL,
            model=model,
            api_key=api_key,
            dimension=dimension,
            timeout_seconds=timeout_seconds,
        )
    raise ValueError(f"BRANDFLOW_EMBEDDING_PROVIDER={provider!r}: expected 'local' or 'openai'")
