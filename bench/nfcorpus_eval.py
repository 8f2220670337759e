"""Retrieval metrics of the NFCorpus benchmark (BEIR / trec_eval definitions) and the offline
fusion sweep. Pure functions: no database, no HTTP.

- nDCG@10 as pytrec_eval's `ndcg_cut_10` computes it for BEIR: linear gains (the qrels grade),
  discount log2(rank + 1), the ideal ranking built from every judged document of the query.
- recall@100: judged relevant documents (grade >= 1) in the first 100, over all of them.
- Means are over all test queries; a query the system answered with nothing scores 0
  (pytrec_eval would leave it out of the mean, which flatters a system that abstains).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Qrels = dict[str, dict[str, int]]  # query id -> BEIR doc id -> grade (1 or 2 on NFCorpus)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result, reduced to what the metrics need."""

    chunk_id: str
    document_id: str


def ndcg_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    dcg = sum(judged.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranking[:k]))
    ideal = sorted((grade for grade in judged.values() if grade > 0), reverse=True)[:k]
    idcg = sum(grade / math.log2(i + 2) for i, grade in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 100) -> float:
    relevant = {doc for doc, grade in judged.items() if grade > 0}
    return len(relevant.intersection(ranking[:k])) / len(relevant) if relevant else 0.0


def documents(hits: Sequence[Hit], beir_ids: Mapping[str, Sequence[str]]) -> list[str]:
    """Chunks -> BEIR documents, best rank kept, each document once.

    A Brandflow document stands for several BEIR ids when the corpus holds the same text
    under several ids (the product refuses identical bytes twice): they take consecutive
    ranks, as the identical scores would give them in BEIR's own ranking.
    """
    seen: set[str] = set()
    ranking: list[str] = []
    for hit in hits:
        if hit.document_id in seen:
            continue
        seen.add(hit.document_id)
        ranking.extend(beir_ids.get(hit.document_id, ()))
    return ranking


def evaluate(
    runs: Mapping[str, Sequence[Hit]], qrels: Qrels, beir_ids: Mapping[str, Sequence[str]]
) -> dict[str, float | int]:
    """Mean nDCG@10 and recall@100 over every query of `qrels` (missing runs score 0)."""
    ndcg: list[float] = []
    recall: list[float] = []
    depth: list[int] = []
    first_ten: list[int] = []
    for query_id, judged in qrels.items():
        hits = runs.get(query_id, ())
        first_ten.append(len({hit.document_id for hit in hits[:10]}))
        ranking = documents(hits, beir_ids)
        ndcg.append(ndcg_at(ranking, judged))
        recall.append(recall_at(ranking, judged))
        depth.append(len(ranking))
    return {
        "queries": len(qrels),
        "ndcg_at_10": round(statistics.fmean(ndcg), 4),
        "recall_at_100": round(statistics.fmean(recall), 4),
        "queries_without_results": sum(1 for d in depth if d == 0),
        "queries_under_100_documents": sum(1 for d in depth if d < 100),
        "median_documents_returned": int(statistics.median(depth)),
        # Several chunks of one document can come back: nDCG@10 counts documents.
        "mean_documents_in_first_10_results": round(statistics.fmean(first_ten), 2),
    }


def rrf(lists: Sequence[Sequence[str]], *, k: int, depth: int) -> list[str]:
    """Reciprocal rank fusion of ranked id lists; ties broken by id (as search.py does)."""
    scores: dict[str, float] = defaultdict(float)
    for ranked in lists:
        for rank, item in enumerate(ranked[:depth], start=1):
            scores[item] += 1.0 / (k + rank)
    return sorted(scores, key=lambda item: (-scores[item], item))


def fusion_sweep(
    lexical: Mapping[str, Sequence[Hit]],
    vector: Mapping[str, Sequence[Hit]],
    qrels: Qrels,
    beir_ids: Mapping[str, Sequence[str]],
    *,
    ks: Sequence[int] = (5, 10, 20, 40, 60, 100),
    depths: Sequence[int] = (50, 100, 200),
) -> list[dict[str, float | int | str]]:
    """RRF recomputed from the two single-mode result lists, at chunk level (what search.py
    fuses) and at document level (each list reduced to documents first, as BEIR systems
    fuse), for several k and candidate depths."""
    chunk_doc: dict[str, str] = {}
    for runs in (lexical, vector):
        for hits in runs.values():
            chunk_doc.update((h.chunk_id, h.document_id) for h in hits)
    rows: list[dict[str, float | int | str]] = []
    for level in ("chunk", "document"):
        for depth in depths:
            for k in ks:
                fused: dict[str, list[Hit]] = {}
                for query_id in qrels:
                    sides = [
                        [h.chunk_id for h in runs.get(query_id, ())] for runs in (lexical, vector)
                    ]
                    if level == "document":  # fuse document ids; a document is its own hit
                        sides = [_documents_in_order(side, chunk_doc) for side in sides]
                        owner = {d: d for side in sides for d in side}
                    else:
                        owner = chunk_doc
                    fused[query_id] = [
                        Hit(chunk_id=item, document_id=owner[item])
                        for item in rrf(sides, k=k, depth=depth)
                    ]
                scores = evaluate(fused, qrels, beir_ids)
                rows.append(
                    {
                        "level": level,
                        "depth": depth,
                        "k": k,
                        "ndcg_at_10": scores["ndcg_at_10"],
                        "recall_at_100": scores["recall_at_100"],
                    }
                )
    return rows


def _documents_in_order(chunk_ids: Sequence[str], chunk_doc: Mapping[str, str]) -> list[str]:
    """The documents of a chunk list, each at the rank of its best chunk."""
    return list(dict.fromkeys(chunk_doc[chunk_id] for chunk_id in chunk_ids))


def percentiles(samples_ms: Sequence[float]) -> dict[str, float | int]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "requests": len(samples_ms),
        "mean_ms": round(statistics.fmean(samples_ms), 1),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "max_ms": round(max(samples_ms), 1),
    }
