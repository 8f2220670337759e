"""A search query's embedding while a document is being ingested, with and without the lock.

    uv run python bench/query_during_ingestion.py

A background thread encodes batches of 32 chunks of ~256 tokens back to back, as ingestion
does (`ingestion.EMBED_BATCH`); meanwhile the NFCorpus test queries are encoded one at a time,
each twice in random order: inline, as `MiniLMEncoder.encode` does for short texts, and
through the batch lock and the worker pool, as every text went before (that path is taken by
setting `minilm.INLINE_TOKENS` to 0 for the call). Then the same queries with no ingestion.
Results: wall milliseconds per query (`nfcorpus_eval.percentiles`), and per batch meanwhile.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from embedding_throughput import NFCORPUS, cut_chunks, source_text
from nfcorpus_eval import percentiles

from brandflow.contexts.knowledge import minilm
from brandflow.contexts.knowledge.ingestion import EMBED_BATCH

QUERIES = NFCORPUS.parent / "queries.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    encoder = minilm.MiniLMEncoder(minilm.wheel_model_dir())
    text, _source = source_text(NFCORPUS, EMBED_BATCH * 4)
    chunks = cut_chunks(text, EMBED_BATCH * 4)
    queries = _queries(args.queries)
    encoder.encode(chunks[:EMBED_BATCH])  # warm up: pool threads, allocator
    out: dict[str, object] = {"loadavg_before": os.getloadavg(), "queries": len(queries)}

    stop = threading.Event()
    batches: list[float] = []

    def ingest() -> None:
        while not stop.is_set():
            for start in range(0, len(chunks), EMBED_BATCH):
                started = time.perf_counter()
                encoder.encode(chunks[start : start + EMBED_BATCH])
                batches.append((time.perf_counter() - started) * 1000)
                if stop.is_set():
                    return

    ingestion = threading.Thread(target=ingest, daemon=True)
    ingestion.start()
    time.sleep(0.5)
    during = _measure(encoder, queries)
    stop.set()
    ingestion.join()
    out["during ingestion"] = during
    out["batch of 32 chunks, ms"] = percentiles(batches)
    out["no ingestion"] = _measure(encoder, queries)
    out["loadavg_after"] = os.getloadavg()
    json.dump(out, sys.stdout, indent=1)
    print()


def _measure(encoder: minilm.MiniLMEncoder, queries: Sequence[str]) -> dict[str, object]:
    times: dict[str, list[float]] = {"inline": [], "through the batch lock": []}
    inline_tokens = minilm.INLINE_TOKENS
    for query in queries:
        for path in random.sample(list(times), len(times)):
            minilm.INLINE_TOKENS = inline_tokens if path == "inline" else 0
            started = time.perf_counter()
            encoder.encode([query])
            times[path].append((time.perf_counter() - started) * 1000)
    minilm.INLINE_TOKENS = inline_tokens
    return {path: percentiles(values) for path, values in times.items()}


def _queries(count: int) -> list[str]:
    path = Path(os.environ.get("BENCH_NFCORPUS_DIR", QUERIES.parent)) / QUERIES.name
    with path.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    return random.Random(7).sample(texts, min(count, len(texts)))


if __name__ == "__main__":
    main()
