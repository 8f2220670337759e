"""Embeddings from any server that speaks OpenAI's `POST /embeddings` (OpenAI, vLLM, Ollama, ...)."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
import numpy as np

from brandflow.contexts.knowledge.embedder import EmbeddingError, Vectors, unit_rows


class OpenAICompatibleEmbedder:
    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        dimension: int | None = None,
        timeout_seconds: float = 30.0,
        texts_per_request: int = 128,
    ) -> None:
        self._url = base_url.rstrip("/") + "/embeddings"
        self._model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._dimension = dimension  # None: learnt from the first answer
        self._timeout = timeout_seconds
        self._texts_per_request = texts_per_request

    @property
    def model(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            raise EmbeddingError(
                f"the dimension of {self._model} is known after its first answer; "
                "configure it (BRANDFLOW_EMBEDDING_DIMENSION) to know it before"
            )
        return self._dimension

    async def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.empty((0, self._dimension or 0), dtype=np.float32)
        async with httpx.AsyncClient(timeout=self._timeout, headers=self._headers) as client:
            parts = [
                await self._request(client, list(texts[start : start + self._texts_per_request]))
                for start in range(0, len(texts), self._texts_per_request)
            ]
        return unit_rows(np.vstack(parts))

    async def _request(self, client: httpx.AsyncClient, texts: list[str]) -> Vectors:
        try:
            response = await client.post(self._url, json={"model": self._model, "input": texts})
        except httpx.TimeoutException as exc:
            raise EmbeddingError(f"{self._url} did not answer within {self._timeout} s") from exc
        except httpx.HTTPError as exc:
            raise EmbeddingError(f"{self._url} could not be reached: {exc!r}") from exc
        if response.is_error:
            raise EmbeddingError(
                f"{self._url} answered {response.status_code}: {response.text[:300]!r}"
            )
        try:
            items = response.json()["data"]
            ordered = sorted(enumerate(items), key=lambda pair: pair[1].get("index", pair[0]))
            vectors = np.array([item["embedding"] for _, item in ordered], dtype=np.float32)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise EmbeddingError(f"{self._url} answered without a list of embeddings") from exc
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise EmbeddingError(
                f"{self._url} answered {len(vectors)} embeddings for {len(texts)} texts"
            )
        self._check_dimension(vectors.shape[1])
        return vectors

    def _check_dimension(self, answered: int) -> None:
        if self._dimension is None:
            self._dimension = answered
        elif answered != self._dimension:
            raise EmbeddingError(
                f"{self._model} answered {answered}-dimensional vectors, expected {self._dimension}"
            )
