"""The baseline: a bare FastAPI route returning the same 50 campaign objects from memory.

No authentication, no database, no middleware. `bench/run.py` writes the page that
Brandflow answered to ``BENCH_PAGE_FILE`` and serves this app with the same uvicorn worker
count, so the ratio between the two isolates what Brandflow adds per request.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI

PAGE: dict[str, Any] = json.loads(Path(os.environ["BENCH_PAGE_FILE"]).read_text())

app = FastAPI(title="bench baseline", openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/campaigns")
async def campaigns() -> dict[str, Any]:
    return PAGE


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
