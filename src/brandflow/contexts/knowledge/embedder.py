"""What every embedding provider offers the knowledge context."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
"""Shape (number of texts, dimension); each row has unit length, so dot product = cosine."""


class EmbeddingError(RuntimeError):
    """The provider could not embed the texts (unreachable, refused, timed out, bad answer)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors; each stored chunk records `model` and `dimension`."""

    @property
    def model(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    async def embed(self, texts: Sequence[str]) -> Vectors:
        """One unit-length row per text, in order. Raises EmbeddingError."""
        ...


def unit_rows(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    result: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
    return result
