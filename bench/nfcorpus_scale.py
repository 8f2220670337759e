"""The 100k-chunk phase of bench/nfcorpus.py: grow the workspace, then time search and check
the HNSW index against an exact scan.

Growth: synthetic documents are written straight into the tables (ingesting 100k chunks
through the embedder would take over an hour here). Each is modelled on one NFCorpus
document, chunk by chunk, in one of two ways:

- `splices` (the default): each chunk joins the first half of the original chunk's words to
  the second half of a random other chunk's, and its vector is the normalised sum of the two
  chunks' MiniLM vectors. MiniLM mean-pools its token vectors, so this is close to what it
  gives the spliced text (cosine 0.86 on average, measured on a sample at every run). The
  texts keep the corpus's vocabulary and lengths, so posting lists and ts_rank work grow as
  more documents of the domain would make them; the vectors keep the corpus's topics and fill
  the space between them, as a larger knowledge base would (random vectors would be spread
  evenly, an easy case for HNSW).
- `copies` (a stress case, `--synthetic copies`): each chunk's text loses a tenth of its
  words and its vector gets Gaussian noise, calibrated so a copy is as close to its original
  as MiniLM's vector of the altered text is (cosine ~0.98). Every passage then exists about
  ten times: clusters of near-duplicates, the hardest case for HNSW's graph.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt
import psycopg
from nfcorpus_eval import percentiles
from pgvector.psycopg import register_vector
from psycopg.types.json import Jsonb

SYNTHETIC_TAG = "synthetic"
CORPUS_TAG = "nfcorpus"
DROP_WORDS = 0.10  # share of words a copy loses
SEED = 20261129
WARMUP = 30  # requests per scenario before measuring
WARM_QUERIES = 1000  # other (non-test) searches a server has served before the measurement
API = "/api/v1"
WORDS = re.compile(r"\S+")

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class SourceDoc:
    beir_id: str
    title: str
    document_type: str
    media_type: str
    chunks: list[tuple[str, int]]  # (text, token_count) in order
    vectors: Matrix  # one unit row per chunk


def remove_synthetic(url: str, workspace_id: uuid.UUID) -> int:
    """Deletes an earlier run's synthetic documents (their chunks go with them).

    pgvector's VACUUM of an HNSW index repairs the graph around every deleted element: after
    deleting 90k of 100k rows it ran for over 20 minutes here. Rebuilding the index from the
    remaining rows first takes seconds, and leaves VACUUM nothing to repair.
    """
    with psycopg.connect(url, autocommit=True) as conn:
        deleted = conn.execute(
            "DELETE FROM knowledge_documents WHERE workspace_id = %s AND %s = ANY(tags)",
            (workspace_id, SYNTHETIC_TAG),
        ).rowcount
        row = conn.execute(
            "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'knowledge_chunks'"
        ).fetchone()
        if deleted or (row is not None and row[0]):
            conn.execute("REINDEX INDEX ix_knowledge_chunks_embedding_384")
            conn.execute("VACUUM ANALYZE knowledge_chunks")
            conn.execute("VACUUM ANALYZE knowledge_documents")
    return deleted


def load_sources(url: str, workspace_id: uuid.UUID) -> list[SourceDoc]:
    with psycopg.connect(url, autocommit=True) as conn:
        register_vector(conn)
        rows = conn.execute(
            "SELECT d.id, d.metadata->>'beir_id', d.title, d.document_type::text, d.media_type,"
            "       c.text, c.token_count, c.embedding"
            " FROM knowledge_chunks c JOIN knowledge_documents d"
            "   ON d.workspace_id = c.workspace_id AND d.id = c.document_id"
            " WHERE c.workspace_id = %s AND %s = ANY(d.tags) AND c.embedding IS NOT NULL"
            " ORDER BY d.created_at, d.id, c.ordinal",
            (workspace_id, CORPUS_TAG),
        ).fetchall()
    grouped: dict[uuid.UUID, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return [
        SourceDoc(
            beir_id=str(group[0][1]),
            title=str(group[0][2]),
            document_type=str(group[0][3]),
            media_type=str(group[0][4]),
            chunks=[(str(r[5]), int(r[6])) for r in group],
            vectors=np.stack([_floats(r[7]) for r in group]),
        )
        for group in grouped.values()
    ]


def _floats(value: Any) -> Matrix:
    """pgvector's loader gives a `Vector` (0.4+) or, in older releases, an ndarray."""
    array = value.to_numpy() if hasattr(value, "to_numpy") else value
    return np.asarray(array, dtype=np.float32)


def vary(text: str, rng: np.random.Generator) -> str:
    words = WORDS.findall(text)
    kept = [w for w, keep in zip(words, rng.random(len(words)) >= DROP_WORDS, strict=True) if keep]
    return " ".join(kept or words[:1])


def splice(first: str, second: str) -> str:
    a, b = WORDS.findall(first), WORDS.findall(second)
    return " ".join(a[: (len(a) + 1) // 2] + b[len(b) // 2 :])


def _unit(vectors: npt.NDArray[np.floating[Any]]) -> Matrix:
    unit: Matrix = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    return unit


def calibrate_splices(
    flat_texts: Sequence[str], flat_vectors: Matrix, samples: int = 96
) -> dict[str, float]:
    """How close the normalised sum of two chunks' vectors is to MiniLM's vector of their
    spliced text, on a sample."""
    from brandflow.contexts.knowledge.minilm import shared_encoder

    rng = np.random.default_rng(SEED + 2)
    pairs = rng.integers(0, len(flat_texts), size=(samples, 2))
    modelled = _unit(flat_vectors[pairs[:, 0]] + flat_vectors[pairs[:, 1]])
    actual = shared_encoder().encode([splice(flat_texts[a], flat_texts[b]) for a, b in pairs])
    cosines = np.sum(modelled * actual, axis=1)
    return {
        "sample": samples,
        "mean_cosine_to_spliced_text": round(float(np.mean(cosines)), 4),
        "min_cosine_to_spliced_text": round(float(np.min(cosines)), 4),
    }


def calibrate_noise(sources: Sequence[SourceDoc], samples: int = 96) -> dict[str, float]:
    """The per-dimension sigma that makes noisy copies as close to their originals as
    MiniLM's vectors of the altered texts are: cos = 1 / sqrt(1 + d sigma^2) for d dims."""
    from brandflow.contexts.knowledge.minilm import shared_encoder

    rng = np.random.default_rng(SEED + 1)
    picks = rng.choice(len(sources), size=min(samples, len(sources)), replace=False)
    originals = np.stack([sources[i].vectors[0] for i in picks])
    altered = shared_encoder().encode([vary(sources[i].chunks[0][0], rng) for i in picks])
    cosines = np.sum(originals * altered, axis=1)
    mean_cos = float(np.mean(cosines))
    dimension = originals.shape[1]
    sigma = float(np.sqrt((1 / mean_cos**2 - 1) / dimension))
    return {
        "sample": len(picks),
        "mean_cosine_altered_text": round(mean_cos, 4),
        "min_cosine_altered_text": round(float(np.min(cosines)), 4),
        "sigma": round(sigma, 5),
    }


def grow(
    url: str,
    workspace_id: uuid.UUID,
    sources: Sequence[SourceDoc],
    target: int,
    *,
    kind: str,
    sigma: float,
) -> dict[str, Any]:
    """Synthetic documents until the workspace holds `target` chunks; COPY into both tables."""
    rng = np.random.default_rng(SEED)
    flat_texts = [text for source in sources for text, _ in source.chunks]
    flat_tokens = [tokens for source in sources for _, tokens in source.chunks]
    flat_vectors = np.concatenate([source.vectors for source in sources])
    with psycopg.connect(url) as conn:
        register_vector(conn)
        row = conn.execute(
            "SELECT count(*) FROM knowledge_chunks WHERE workspace_id = %s", (workspace_id,)
        ).fetchone()
        existing = int(row[0]) if row else 0
        needed = max(0, target - existing)
        model_row = conn.execute(
            "SELECT embedding_model FROM knowledge_chunks WHERE workspace_id = %s LIMIT 1",
            (workspace_id,),
        ).fetchone()
        model = str(model_row[0]) if model_row else ""
        now = datetime.now(UTC)
        documents: list[tuple[Any, ...]] = []
        chunks: list[tuple[Any, ...]] = []
        copy = 0
        while len(chunks) < needed:
            copy += 1
            for source in sources:
                if len(chunks) >= needed:
                    break
                take = min(len(source.chunks), needed - len(chunks))
                document_id = uuid.uuid4()
                if kind == "copies":
                    texts = [vary(text, rng) for text, _ in source.chunks[:take]]
                    tokens = [count for _, count in source.chunks[:take]]
                    vectors = _unit(
                        source.vectors[:take] + rng.normal(0, sigma, source.vectors[:take].shape)
                    )
                else:
                    partners = rng.integers(0, len(flat_texts), size=take)
                    texts = [
                        splice(text, flat_texts[p])
                        for (text, _), p in zip(source.chunks[:take], partners, strict=True)
                    ]
                    tokens = [
                        (count + flat_tokens[p]) // 2
                        for (_, count), p in zip(source.chunks[:take], partners, strict=True)
                    ]
                    vectors = _unit(source.vectors[:take] + flat_vectors[partners])
                offset = 0
                for ordinal, (text, count, vector) in enumerate(
                    zip(texts, tokens, vectors, strict=True)
                ):
                    chunks.append(
                        (
                            uuid.uuid4(),
                            workspace_id,
                            document_id,
                            ordinal,
                            text,
                            offset,
                            offset + len(text),
                            None,
                            count,
                            vector,
                            model,
                            vector.shape[0],
                        )
                    )
                    offset += len(text) + 2
                documents.append(
                    (
                        document_id,
                        workspace_id,
                        f"{source.title} ({kind} {copy})"[:300],
                        f"{source.beir_id}-{kind}-{copy}.txt",
                        source.document_type,
                        source.media_type,
                        offset,
                        f"{document_id.hex:0>64}",
                        f"bench/synthetic/{document_id}",
                        [SYNTHETIC_TAG],
                        Jsonb({"synthetic_of": source.beir_id, "kind": kind, "round": copy}),
                        "indexed",
                        1,
                        take,
                        model,
                        int(source.vectors.shape[1]),
                        now,
                        now,
                        now,
                    )
                )
        started = time.perf_counter()
        with conn.cursor() as cur:
            with cur.copy(
                "COPY knowledge_documents (id, workspace_id, title, filename, document_type,"
                " media_type, size_bytes, sha256, storage_key, tags, metadata, status,"
                " generation, chunk_count, embedding_model, embedding_dimension, indexed_at,"
                " created_at, updated_at) FROM STDIN"
            ) as out:
                for document in documents:
                    out.write_row(document)
            with cur.copy(
                "COPY knowledge_chunks (id, workspace_id, document_id, ordinal, text,"
                " start_offset, end_offset, page, token_count, embedding, embedding_model,"
                " embedding_dimension) FROM STDIN (FORMAT BINARY)"
            ) as out:
                out.set_types(
                    [
                        "uuid",
                        "uuid",
                        "uuid",
                        "int4",
                        "text",
                        "int4",
                        "int4",
                        "int4",
                        "int4",
                        "vector",
                        "varchar",
                        "int4",
                    ]
                )
                for chunk in chunks:
                    out.write_row(chunk)
        conn.commit()
        copied = time.perf_counter() - started
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        # What autovacuum would do soon after a bulk load: flush GIN's pending list, statistics.
        conn.execute("VACUUM ANALYZE knowledge_chunks")
        conn.execute("VACUUM ANALYZE knowledge_documents")
        total = conn.execute(
            "SELECT count(*) FROM knowledge_chunks WHERE workspace_id = %s", (workspace_id,)
        ).fetchone()
        sizes = conn.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('knowledge_chunks')),"
            " pg_size_pretty(pg_relation_size('ix_knowledge_chunks_embedding_384')),"
            " pg_size_pretty(pg_relation_size('ix_knowledge_chunks_search_vector'))"
        ).fetchone()
    assert total is not None
    assert sizes is not None
    return {
        "chunks_before": existing,
        "synthetic_documents": len(documents),
        "synthetic_chunks": len(chunks),
        "kind": kind,
        "synthetic_documents_per_original_max": copy,
        "chunks_in_workspace": int(total[0]),
        "copy_seconds": round(copied, 1),
        "vacuum_analyze_seconds": round(time.perf_counter() - started, 1),
        "table_size": sizes[0],
        "hnsw_index_size": sizes[1],
        "gin_index_size": sizes[2],
    }


# --------------------------------------------------------------------------- measurements


def embed_queries(queries: Sequence[str]) -> tuple[Matrix, dict[str, float | int]]:
    """The query vectors, one call per query as the API makes it, and that call's time."""
    from brandflow.contexts.knowledge.minilm import shared_encoder

    encoder = shared_encoder()
    encoder.encode(list(queries[:5]))  # warm
    vectors: list[Matrix] = []
    times: list[float] = []
    for query in queries:
        started = time.perf_counter()
        vectors.append(encoder.encode([query])[0])
        times.append((time.perf_counter() - started) * 1000)
    return np.stack(vectors), percentiles(times)


Scenario = tuple[str, int]  # (mode, limit)
API_SCENARIOS: tuple[Scenario, ...] = (
    ("hybrid", 10),
    ("lexical", 10),
    ("vector", 10),
    ("hybrid", 50),
)
# "embedded": hybrid given the embedding call instead of the vector, as the API runs it.
EMBEDDED = "hybrid, query embedded meanwhile"
SQL_SCENARIOS: tuple[Scenario, ...] = (
    ("hybrid", 10),
    ("lexical", 10),
    ("vector", 10),
    (EMBEDDED, 10),
)


def _interleaved(count: int, scenarios: Sequence[Scenario]) -> list[tuple[int, int, Scenario]]:
    """(query index, measured?, scenario): every query through every scenario, in an order
    that alternates, so that a busy moment of the machine hits all scenarios alike."""
    steps: list[tuple[int, int, Scenario]] = []
    for n, i in enumerate([*range(min(WARMUP, count)), *range(count)]):
        order = scenarios if n % 2 == 0 else tuple(reversed(scenarios))
        steps.extend((i, int(n >= WARMUP), scenario) for scenario in order)
    return steps


def other_queries(count: int) -> list[str]:
    """NFCorpus queries that are not test queries (train and dev), for warming the server up
    without touching the measured queries' own pages first."""
    from nfcorpus import DATASET

    test_ids = {line.split("\t", 1)[0] for line in (DATASET / "qrels" / "test.tsv").open()}
    with (DATASET / "queries.jsonl").open(encoding="utf-8") as f:
        queries = [q["text"] for q in map(json.loads, f) if q["_id"] not in test_ids]
    return queries[:count]


def warm_up(client: httpx.Client, workspace_id: uuid.UUID, count: int = WARM_QUERIES) -> int:
    """A server in use has served other searches: its caches and PostgreSQL's shared buffers
    hold the hot pages. `count` hybrid searches of non-test queries, not measured."""
    path = f"{API}/workspaces/{workspace_id}/knowledge/search"
    queries = other_queries(count)
    for query in queries:
        client.post(path, json={"query": query, "mode": "hybrid", "limit": 10}).raise_for_status()
    return len(queries)


def api_latency(
    client: httpx.Client, workspace_id: uuid.UUID, queries: Sequence[str]
) -> dict[str, dict[str, float | int]]:
    """Sequential requests, timed by this client (connection kept alive)."""
    path = f"{API}/workspaces/{workspace_id}/knowledge/search"
    times: dict[Scenario, list[float]] = {scenario: [] for scenario in API_SCENARIOS}
    for i, measured, (mode, limit) in _interleaved(len(queries), API_SCENARIOS):
        started = time.perf_counter()
        answer = client.post(path, json={"query": queries[i], "mode": mode, "limit": limit})
        elapsed = (time.perf_counter() - started) * 1000
        answer.raise_for_status()
        if measured:
            times[(mode, limit)].append(elapsed)
    return {f"API {mode}, limit {limit}": percentiles(t) for (mode, limit), t in times.items()}


async def sql_latency(
    url: str, workspace_id: uuid.UUID, queries: Sequence[str], vectors: Matrix
) -> dict[str, dict[str, float | int]]:
    """search.py's `search_chunks` alone, one transaction each: no HTTP; no embedding but in
    the EMBEDDED scenario. Two pooled connections: hybrid's vector side takes the second."""
    from brandflow.contexts.knowledge.embeddings import LocalMiniLM
    from brandflow.contexts.knowledge.schemas import SearchMode, SearchRequest
    from brandflow.contexts.knowledge.search import Vector1D, search_chunks
    from brandflow.kernel.db import create_engine, create_sessionmaker

    engine = create_engine(url, pool_size=2)
    embedder = LocalMiniLM()
    times: dict[Scenario, list[float]] = {scenario: [] for scenario in SQL_SCENARIOS}

    async def embedding(query: str) -> Vector1D:
        vector: Vector1D = (await embedder.embed([query]))[0]
        return vector

    try:
        sessions = create_sessionmaker(engine)
        for i, measured, (mode, limit) in _interleaved(len(queries), SQL_SCENARIOS):
            embedded = mode == EMBEDDED
            search_mode = SearchMode.HYBRID if embedded else SearchMode(mode)
            request = SearchRequest(query=queries[i], mode=search_mode, limit=limit)
            lexical = mode == "lexical"
            async with sessions() as session, session.begin():
                started = time.perf_counter()
                await search_chunks(
                    session,
                    workspace_id,
                    request,
                    query_vector=(
                        None if lexical else embedding(queries[i]) if embedded else vectors[i]
                    ),
                    embedding_model=None if lexical else embedder.model,
                )
                elapsed = (time.perf_counter() - started) * 1000
            if measured:
                times[(mode, limit)].append(elapsed)
    finally:
        await engine.dispose()
    return {
        f"SQL only (search_chunks) {mode}, limit {limit}": percentiles(t)
        for (mode, limit), t in times.items()
    }


async def hnsw_recall(
    url: str, workspace_id: uuid.UUID, vectors: Matrix, ef_values: Sequence[int]
) -> dict[str, Any]:
    """Top-10 chunk ids of search.py's vector candidates (its statement, LIMIT 100 as a
    search of limit 10 asks, then ordered by distance as its ranks are) with the HNSW index
    at several ef_search, against the same statement with index scans off (exact)."""
    from sqlalchemy import text

    from brandflow.contexts.knowledge.embeddings import LocalMiniLM
    from brandflow.contexts.knowledge.schemas import SearchMode, SearchRequest
    from brandflow.contexts.knowledge.search import (
        HNSW_EF_SEARCH,
        search_settings,
        vector_candidates,
    )
    from brandflow.kernel.db import create_engine, create_sessionmaker

    engine = create_engine(url, pool_size=1)
    model = LocalMiniLM().model
    request = SearchRequest(query="recall", mode=SearchMode.VECTOR, limit=10)
    results: dict[str, Any] = {"product_ef_search": HNSW_EF_SEARCH}
    try:
        sessions = create_sessionmaker(engine)

        async def top10(vector: Matrix, ef: int | None) -> tuple[list[str], float]:
            statement = vector_candidates(workspace_id, request, vector, model)
            async with sessions() as session, session.begin():
                if ef is None:  # custom plans, as search_settings asks, but no index scans
                    await session.execute(
                        text(
                            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                            " set_config('enable_indexscan', 'off', true)"
                        )
                    )
                elif ef == HNSW_EF_SEARCH:
                    await session.execute(search_settings())  # exactly what search runs
                else:
                    await session.execute(
                        text(
                            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                            " set_config('hnsw.ef_search', :ef, true),"
                            " set_config('hnsw.iterative_scan', 'relaxed_order', true)"
                        ),
                        {"ef": str(ef)},
                    )
                started = time.perf_counter()
                rows = (await session.execute(statement)).all()
                elapsed = (time.perf_counter() - started) * 1000
            ranked = sorted(rows, key=lambda r: (r.distance, str(r.chunk_id)))[:10]
            return [str(r.chunk_id) for r in ranked], elapsed

        exact: list[list[str]] = []
        exact_times: list[float] = []
        for vector in vectors:
            ids, elapsed = await top10(vector, None)
            exact.append(ids)
            exact_times.append(elapsed)
        results["exact_scan_ms"] = percentiles(exact_times)
        by_ef: dict[str, float] = {}
        timing: dict[str, Any] = {}
        for ef in ef_values:
            hits: list[float] = []
            times: list[float] = []
            for vector, truth in zip(vectors, exact, strict=True):
                ids, elapsed = await top10(vector, ef)
                hits.append(len(set(ids) & set(truth)) / max(1, len(truth)))
                times.append(elapsed)
            by_ef[str(ef)] = round(statistics.fmean(hits), 4)
            timing[str(ef)] = percentiles(times)
            print(f"  HNSW ef_search {ef}: recall@10 {by_ef[str(ef)]}", file=sys.stderr)
        results["by_ef_search"] = by_ef
        results["index_scan_ms"] = timing
        results["queries"] = len(vectors)
    finally:
        await engine.dispose()
    results["plans"] = plans(url, workspace_id, vectors[0], model)
    return results


def plans(url: str, workspace_id: uuid.UUID, vector: Matrix, model: str) -> dict[str, str]:
    """The top plan nodes of the vector side's shape, with and without index scans, to show
    that the measured query used the HNSW index and that the exact one did not."""
    dimension = int(vector.shape[0])  # an int: nothing but digits reaches the SQL
    sql = (
        f"EXPLAIN (FORMAT JSON) SELECT c.id, c.embedding::vector({dimension}) <=> %s AS distance"  # noqa: S608
        " FROM knowledge_chunks c JOIN knowledge_documents d"
        "   ON d.workspace_id = c.workspace_id AND d.id = c.document_id"
        " WHERE c.workspace_id = %s AND d.workspace_id = %s AND d.status = 'indexed'"
        f"   AND c.embedding_dimension = {dimension} AND c.embedding_model = %s"
        " ORDER BY distance LIMIT 100"
    )
    found: dict[str, str] = {}
    with psycopg.connect(url) as conn:
        register_vector(conn)
        for name, setting in (("index", "on"), ("exact", "off")):
            conn.execute(f"SET enable_indexscan = {setting}")
            row = conn.execute(sql, (vector, workspace_id, workspace_id, model)).fetchone()
            assert row is not None
            found[name] = " > ".join(_nodes(row[0][0]["Plan"]))
        conn.rollback()
    return found


def _nodes(plan: dict[str, Any]) -> list[str]:
    label = plan["Node Type"] + (f" using {plan['Index Name']}" if "Index Name" in plan else "")
    children = plan.get("Plans", [])
    return [label, *(node for child in children for node in _nodes(child))]


def scale_phase(
    client: httpx.Client,
    url: str,
    workspace_id: uuid.UUID,
    queries: dict[str, str],
    *,
    target_chunks: int,
    synthetic: str,
) -> dict[str, Any]:
    removed = remove_synthetic(url, workspace_id)
    sources = load_sources(url, workspace_id)
    print(f"scale: {len(sources)} source documents ({removed} old copies removed)", file=sys.stderr)
    texts = list(queries.values())
    vectors, embed_times = embed_queries(texts)
    # The index on the real corpus alone, before any synthetic row.
    ef_values = (40, 100, 200, 300, 400, 800)
    corpus_recall = asyncio.run(hnsw_recall(url, workspace_id, vectors, ef_values))
    if synthetic == "copies":
        fidelity = calibrate_noise(sources)
    else:
        fidelity = calibrate_splices(
            [text for source in sources for text, _ in source.chunks],
            np.concatenate([source.vectors for source in sources]),
        )
    print(f"scale: {synthetic} {json.dumps(fidelity)}", file=sys.stderr)
    growth = grow(
        url,
        workspace_id,
        sources,
        target_chunks,
        kind=synthetic,
        sigma=float(fidelity.get("sigma", 0.0)),
    )
    print(f"scale: {json.dumps(growth)}", file=sys.stderr)
    warmed = warm_up(client, workspace_id)
    print(f"scale: warmed up with {warmed} non-test queries", file=sys.stderr)
    latency: dict[str, Any] = api_latency(client, workspace_id, texts)
    latency |= asyncio.run(sql_latency(url, workspace_id, texts, vectors))
    latency["query embedding alone (in-process MiniLM)"] = embed_times
    for name, figures in latency.items():
        print(f"scale: {name}: {figures}", file=sys.stderr)
    recall = asyncio.run(hnsw_recall(url, workspace_id, vectors, ef_values))
    return {
        "synthetic": synthetic,
        "fidelity": fidelity,
        "growth": growth,
        "latency": latency,
        "hnsw_recall": recall,
        "hnsw_recall_corpus_only": corpus_recall,
    }
