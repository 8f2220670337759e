"""Embeddings: our NumPy all-MiniLM-L6-v2 against sentence-transformers' own vectors
(tests/knowledge/fixtures, made by bench/make_embedding_fixture.py), and the
OpenAI-compatible embedder against a real HTTP server on loopback."""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest

from brandflow.contexts.knowledge import minilm
from brandflow.contexts.knowledge.embeddings import (
    EmbeddingError,
    LocalMiniLM,
    OpenAICompatibleEmbedder,
    Vectors,
    embedder_from_settings,
)

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.json"
# Issue 4 asks for 1 - cos <= 1e-5. We measure ~6e-8 and hold 1e-6, so that a silent
# approximation fails here: the tanh GELU, for one, would pass 1e-5 (it costs 3.6e-6).
MAX_COSINE_DISTANCE = 1e-6


@pytest.fixture(scope="session")
def reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    return data


@pytest.fixture(scope="session")
def texts(reference: dict[str, Any]) -> list[str]:
    return [case["text"] for case in reference["cases"]]


@pytest.fixture(scope="session")
async def ours(texts: list[str]) -> Vectors:
    return await LocalMiniLM().embed(texts)


def cosine_distances(a: Vectors, b: Vectors) -> Any:
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    cosines = (a64 * b64).sum(axis=1) / np.linalg.norm(a64, axis=1) / np.linalg.norm(b64, axis=1)
    return 1.0 - cosines


def assert_matches_reference(vectors: Vectors, reference: dict[str, Any]) -> None:
    expected = np.array([case["vector"] for case in reference["cases"]], dtype=np.float32)
    distances = cosine_distances(vectors, expected)
    worst = int(np.argmax(distances))
    assert distances[worst] <= MAX_COSINE_DISTANCE, (
        f"1 - cos = {distances[worst]:.2e} for {reference['cases'][worst]['text'][:60]!r}"
    )


def test_vectors_match_sentence_transformers(ours: Vectors, reference: dict[str, Any]) -> None:
    assert reference["model"] == LocalMiniLM().model
    assert_matches_reference(ours, reference)


def test_tokens_are_truncated_where_sentence_transformers_truncates(
    texts: list[str], reference: dict[str, Any]
) -> None:
    counts = minilm.shared_encoder().token_counts(texts)
    assert counts == [case["tokens"] for case in reference["cases"]]
    assert max(counts) == reference["max_seq_length"] == 256


def test_vectors_are_unit_length_rows_of_384(ours: Vectors, texts: list[str]) -> None:
    assert ours.shape == (len(texts), 384) == (len(texts), LocalMiniLM().dimension)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-6)


async def test_one_text_at_a_time_gives_the_batch_vectors(ours: Vectors, texts: list[str]) -> None:
    embedder = LocalMiniLM()
    singles = np.vstack([await embedder.embed([text]) for text in texts[::5]])
    np.testing.assert_allclose(singles, ours[::5], atol=1e-6)


def test_small_groups_give_the_same_vectors(ours: Vectors, texts: list[str]) -> None:
    encoder = minilm.MiniLMEncoder(minilm.wheel_model_dir(), tokens_per_group=64)
    np.testing.assert_allclose(encoder.encode(texts[::2]), ours[::2], atol=1e-6)


def test_softmax_shifted_by_the_row_maximum_everywhere_gives_the_same_vectors(
    monkeypatch: pytest.MonkeyPatch, texts: list[str], reference: dict[str, Any]
) -> None:
    monkeypatch.setattr(minilm, "_EXP_SAFE", 0.0)  # every text takes the shifted path
    assert_matches_reference(minilm.shared_encoder().encode(texts), reference)


def test_a_query_is_encoded_while_an_ingestion_batch_holds_the_encoder(
    texts: list[str], reference: dict[str, Any]
) -> None:
    """A search must not wait for the document being ingested: short texts skip the batch
    lock (a deadlock here fails on the timeout), and give sentence-transformers' vectors."""
    encoder = minilm.shared_encoder()
    cases = reference["cases"]
    short = [i for i, case in enumerate(cases) if case["tokens"] <= minilm.INLINE_TOKENS]
    assert short

    def encode_each() -> Vectors:
        return np.vstack([encoder.encode([texts[i]]) for i in short])

    # The lock is taken last and released first: the pool's shutdown must not wait on it.
    with ThreadPoolExecutor(1) as pool, encoder._lock:  # as an ingestion batch holds it
        vectors = pool.submit(encode_each).result(timeout=120)
    assert_matches_reference(vectors, {"cases": [cases[i] for i in short]})


async def test_text_past_the_256th_token_does_not_count(texts: list[str]) -> None:
    longest = max(texts, key=len)
    vectors = await LocalMiniLM().embed([longest, longest + " Completely different ending."])
    np.testing.assert_array_equal(vectors[0], vectors[1])


async def test_nothing_to_embed() -> None:
    assert (await LocalMiniLM().embed([])).shape == (0, 384)


def test_gelu_is_the_exact_erf_one() -> None:
    x = np.linspace(-12, 12, 4001, dtype=np.float32)
    expected = [0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x.tolist()]
    gelu = x.copy()
    minilm._gelu_inplace(gelu)
    np.testing.assert_allclose(gelu, expected, rtol=0, atol=2e-6)


def test_settings_choose_the_embedder() -> None:
    assert isinstance(embedder_from_settings(), LocalMiniLM)
    assert isinstance(embedder_from_settings("local", model="all-MiniLM-L6-v2"), LocalMiniLM)
    remote = embedder_from_settings("openai", model="text-embedding-3-small", dimension=1536)
    assert isinstance(remote, OpenAICompatibleEmbedder)
    assert (remote.model, remote.dimension) == ("text-embedding-3-small", 1536)
    with pytest.raises(ValueError, match="BRANDFLOW_EMBEDDING_DIMENSION"):
        embedder_from_settings("local", dimension=768)
    with pytest.raises(ValueError, match="BRANDFLOW_EMBEDDING_MODEL"):
        embedder_from_settings("openai")
    with pytest.raises(ValueError, match="BRANDFLOW_EMBEDDING_PROVIDER"):
        embedder_from_settings("torch")


class EmbeddingsAPI(ThreadingHTTPServer):
    """A stand-in for an OpenAI-compatible server: /ok answers, /failing answers 503,
    /slow answers after a second; each request is recorded."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str | None, dict[str, Any]]] = []

    def url(self, prefix: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{prefix}/v1"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        api = cast(EmbeddingsAPI, self.server)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        api.requests.append((self.path, self.headers.get("Authorization"), body))
        if self.path.startswith("/failing/"):
            self._answer(503, {"error": {"message": "model overloaded"}})
            return
        if self.path.startswith("/slow/"):
            time.sleep(1.0)
        # [length, 1, 0] per text, listed in reverse: the client must order by "index".
        data = [
            {"object": "embedding", "index": i, "embedding": [float(len(text)), 1.0, 0.0]}
            for i, text in enumerate(body["input"])
        ][::-1]
        self._answer(200, {"object": "list", "data": data, "model": body["model"]})

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        encoded = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(encoded)))
        self.end_headers()
        self.wfile.write(encoded)

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


@pytest.fixture(scope="module")
def api() -> Iterator[EmbeddingsAPI]:
    server = EmbeddingsAPI()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


async def test_api_embeddings_in_order_normalised_and_batched(api: EmbeddingsAPI) -> None:
    api.requests.clear()
    embedder = OpenAICompatibleEmbedder(
        base_url=api.url("ok") + "/", model="text-embedding-test", api_key="sk-test",
        texts_per_request=2,
    )  # fmt: skip
    vectors = await embedder.embed(["a", "bbb", "cc"])
    expected = np.array([[1, 1, 0], [3, 1, 0], [2, 1, 0]], dtype=np.float32)
    np.testing.assert_allclose(vectors, expected / np.linalg.norm(expected, axis=1)[:, None])
    assert embedder.dimension == 3  # learnt from the answer
    assert [(path, auth, body["input"]) for path, auth, body in api.requests] == [
        ("/ok/v1/embeddings", "Bearer sk-test", ["a", "bbb"]),
        ("/ok/v1/embeddings", "Bearer sk-test", ["cc"]),
    ]
    assert {body["model"] for _, _, body in api.requests} == {"text-embedding-test"}


async def test_api_error_status_is_an_embedding_error(api: EmbeddingsAPI) -> None:
    embedder = OpenAICompatibleEmbedder(base_url=api.url("failing"), model="m")
    with pytest.raises(EmbeddingError, match=r"answered 503: .*model overloaded"):
        await embedder.embed(["hello"])


async def test_api_timeout_is_an_embedding_error(api: EmbeddingsAPI) -> None:
    embedder = OpenAICompatibleEmbedder(base_url=api.url("slow"), model="m", timeout_seconds=0.2)
    with pytest.raises(EmbeddingError, match=r"did not answer within 0\.2 s"):
        await embedder.embed(["hello"])


async def test_api_unreachable_is_an_embedding_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    embedder = OpenAICompatibleEmbedder(base_url=f"http://127.0.0.1:{port}/v1", model="m")
    with pytest.raises(EmbeddingError, match="could not be reached"):
        await embedder.embed(["hello"])


async def test_api_dimension_other_than_configured_is_refused(api: EmbeddingsAPI) -> None:
    embedder = OpenAICompatibleEmbedder(base_url=api.url("ok"), model="m", dimension=384)
    assert embedder.dimension == 384
    with pytest.raises(EmbeddingError, match="answered 3-dimensional vectors, expected 384"):
        await embedder.embed(["hello"])


def test_api_dimension_is_unknown_before_the_first_answer(api: EmbeddingsAPI) -> None:
    with pytest.raises(EmbeddingError, match="BRANDFLOW_EMBEDDING_DIMENSION"):
        _ = OpenAICompatibleEmbedder(base_url=api.url("ok"), model="m").dimension
