"""Embedding throughput: chunks of ~256 tokens per second, ours (NumPy) and sentence-transformers.

    uv run python bench/embedding_throughput.py            # ours only
    PYTHONPATH=src HF_HUB_OFFLINE=1 /tmp/st-venv/bin/python bench/embedding_throughput.py

The second form runs in the throwaway venv that has torch and sentence-transformers (see
bench/make_embedding_fixture.py for how to make it) and measures both on the same chunks in
the same process. Chunks are cut from the NFCorpus abstracts in shared/datasets when they are
there, from generated marketing copy otherwise. Goal (issue 4): at least 20 chunks/s on the
2-core machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tokenizers import Tokenizer

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from brandflow.contexts.knowledge.minilm import MiniLMEncoder, wheel_model_dir

NFCORPUS = Path("/work/shared/datasets/nfcorpus/corpus.jsonl.gz")
CHUNK_TOKENS = 254  # + [CLS] and [SEP] = the model's 256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chunks", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs is reported")
    parser.add_argument("--corpus", type=Path, default=NFCORPUS)
    args = parser.parse_args()

    ours = MiniLMEncoder(wheel_model_dir())
    text, source = source_text(args.corpus, args.chunks)
    chunks = cut_chunks(text, args.chunks)
    tokens = ours.token_counts(chunks)
    print(
        f"{len(chunks)} chunks from {source}, {sum(tokens) / len(tokens):.0f} tokens each on average"
    )

    contenders: dict[str, Callable[[Sequence[str]], object]] = {"brandflow numpy": ours.encode}
    reference = _sentence_transformers()
    if reference is not None:
        contenders[reference[0]] = reference[1]
    for encode in contenders.values():
        encode(chunks[:8])  # warm up: thread pools, allocator
    # Rounds alternate between contenders, so that a busy moment on the machine hits both.
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    for _ in range(args.rounds):
        for name, encode in contenders.items():
            runs[name].append(_timed(encode, chunks))
    for name, timings in runs.items():
        wall, cpu = min(timings)
        print(
            f"{name:45s} {len(chunks) / wall:6.1f} chunks/s"
            f"  (best of {len(timings)}: {wall:.2f} s, {1000 * cpu / len(chunks):.0f} ms CPU per chunk)"
        )


def _timed(encode: Callable[[Sequence[str]], object], chunks: Sequence[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads): CPU time says more on a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    encode(chunks)
    return time.perf_counter() - wall, time.process_time() - cpu


def source_text(corpus: Path, chunks: int) -> tuple[str, str]:
    if corpus.exists():
        with gzip.open(corpus, "rt", encoding="utf-8") as lines:
            docs = [json.loads(line) for line, _ in zip(lines, range(chunks * 2), strict=False)]
        return " ".join(f"{d['title']}. {d['text']}" for d in docs), str(corpus)
    rng = random.Random(4)
    words = ["brand", "voice", "campaign", "launch", "runners", "coffee", "roast", "trail",
             "shoes", "audience", "newsletter", "approval", "story", "seasonal", "offer",
             "community", "athletes", "origin", "beans"]  # fmt: skip
    return " ".join(rng.choice(words) for _ in range(chunks * 300)), "generated copy"


def cut_chunks(text: str, count: int) -> list[str]:
    """Consecutive spans of CHUNK_TOKENS tokens, cut at token boundaries of one long text."""
    tokenizer = Tokenizer.from_file(str(wheel_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    offsets = tokenizer.encode(text, add_special_tokens=False).offsets
    spans = [offsets[i : i + CHUNK_TOKENS] for i in range(0, len(offsets), CHUNK_TOKENS)]
    chunks = [text[span[0][0] : span[-1][1]] for span in spans if len(span) == CHUNK_TOKENS]
    if len(chunks) < count:
        sys.exit(f"only {len(chunks)} chunks of {CHUNK_TOKENS} tokens in the source text")
    return chunks[:count]


def _sentence_transformers() -> tuple[str, Callable[[Sequence[str]], object]] | None:
    try:
        import sentence_transformers  # type: ignore[import-not-found]
        import torch  # type: ignore[import-not-found]
    except ImportError:
        print("sentence-transformers not importable here: measuring ours only", file=sys.stderr)
        return None
    model = sentence_transformers.SentenceTransformer(str(wheel_model_dir()), device="cpu")
    name = f"sentence-transformers {sentence_transformers.__version__} (torch {torch.__version__})"
    return name, lambda texts: model.encode(list(texts), batch_size=32)


if __name__ == "__main__":
    main()
