"""Search latency alone at the kept 100k-chunk scale, through the API and SQL-only.

Reuses the database a `bench/nfcorpus.py --keep-db` run left (corpus plus synthetic rows)
without re-growing it: `uv run python bench/nfcorpus_latency.py > result.json`;
`--shared-buffers 128MB` measures with pgserver's default instead of the deployment's size.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import Any

import httpx
import nfcorpus as nf
import nfcorpus_scale as scale


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--shared-buffers", default=nf.SHARED_BUFFERS)
    args = parser.parse_args()
    dataset = nf.load_dataset(None)
    url = nf.database_url(fresh=False, shared_buffers=args.shared_buffers)
    port = 8775
    texts = list(dataset.queries.values())
    out: dict[str, Any] = {
        "loadavg_before": os.getloadavg(),
        "shared_buffers": args.shared_buffers,
    }
    with (
        nf.serve(nf.server_env(url, port), port),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client,
    ):
        workspace_id = nf.sign_in(client)
        vectors, embed_times = scale.embed_queries(texts)
        out["warm_up_queries"] = scale.warm_up(client, workspace_id)
        latency: dict[str, Any] = scale.api_latency(client, workspace_id, texts)
        latency |= asyncio.run(scale.sql_latency(url, workspace_id, texts, vectors))
        latency["query embedding alone (in-process MiniLM)"] = embed_times
    out["latency"] = latency
    out["loadavg_after"] = os.getloadavg()
    json.dump(out, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
