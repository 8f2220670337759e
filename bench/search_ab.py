"""A/B search latency: two or more checkouts' servers on the kept 100k-chunk database, in one run.

    uv run python bench/search_ab.py /path/to/checkout-a /path/to/checkout-b > ab.json

Each checkout needs its own `.venv` (`uv sync` there). All servers run at once against the
database a `bench/nfcorpus.py --keep-db` run left, each is warmed up with the same non-test
queries, then every NFCorpus test query goes to each server in a random order per query and
scenario, so a busy moment on this shared machine hits them all alike. Compare the ratios;
absolute figures are those of the single-server runs in `nfcorpus_latency.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import nfcorpus as nf
import nfcorpus_scale as scale
from nfcorpus_eval import percentiles

FIRST_PORT = 8790
SEARCH = "/api/v1/workspaces/{workspace_id}/knowledge/search"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--warm", type=int, default=300, help="warm-up searches per server")
    parser.add_argument(
        "--scenarios", default="hybrid:10,vector:10", help="mode:limit pairs, comma-separated"
    )
    args = parser.parse_args()
    scenarios = [
        (mode, int(limit)) for mode, limit in (s.split(":") for s in args.scenarios.split(","))
    ]
    url = nf.database_url(fresh=False)
    queries = list(nf.load_dataset(None).queries.values())
    out: dict[str, Any] = {"loadavg_before": os.getloadavg(), "checkouts": {}}
    with ExitStack() as stack:
        servers: list[tuple[httpx.Client, uuid.UUID]] = []
        for i, checkout in enumerate(args.checkouts):
            port = FIRST_PORT + i
            env = nf.server_env(url, port)
            stack.enter_context(nf.serve(env, port, checkout.resolve(), f"search-ab-{port}.log"))
            client = stack.enter_context(
                httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
            )
            servers.append((client, nf.sign_in(client)))
        for query in scale.other_queries(args.warm):
            for client, workspace_id in servers:
                client.post(
                    SEARCH.format(workspace_id=workspace_id),
                    json={"query": query, "mode": "hybrid", "limit": 10},
                ).raise_for_status()
        times: dict[tuple[int, str, int], list[float]] = {
            (i, mode, limit): [] for i in range(len(servers)) for mode, limit in scenarios
        }
        order = list(range(len(servers)))
        for query in queries:
            for mode, limit in scenarios:
                random.shuffle(order)
                for i in order:
                    client, workspace_id = servers[i]
                    started = time.perf_counter()
                    answer = client.post(
                        SEARCH.format(workspace_id=workspace_id),
                        json={"query": query, "mode": mode, "limit": limit},
                    )
                    times[(i, mode, limit)].append((time.perf_counter() - started) * 1000)
                    answer.raise_for_status()
    for i, checkout in enumerate(args.checkouts):
        out["checkouts"][str(checkout)] = {
            f"API {mode}, limit {limit}": percentiles(times[(i, mode, limit)])
            for mode, limit in scenarios
        }
    out["loadavg_after"] = os.getloadavg()
    json.dump(out, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
