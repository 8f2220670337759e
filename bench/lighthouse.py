"""Lighthouse scores of the web app: `uv run python bench/lighthouse.py [--base-url URL]`.

Runs against a server that is already up (`make run` serves the built app on :8000), so
what is measured is the production build as the BFF serves it (compressed, cached assets).
For each page and each Lighthouse preset (mobile with simulated throttling, the default, and
desktop), it runs Lighthouse 12 (Node 20 compatible) through npx with Debian's Chromium
(`CHROME_PATH`, default /usr/bin/chromium) and prints performance and accessibility scores.
Signed-in pages get the session cookie of a demo account via `--extra-headers`.
Writes `bench/results/lighthouse.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"
LIGHTHOUSE = "lighthouse@12.8.2"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
DEMO_EMAIL = "writer@northwind.example"
DEMO_PASSWORD = "brandflow-demo"


def session_cookie(base_url: str) -> tuple[str, str]:
    """Signs in a demo account; returns the cookie header and the first workspace's id."""
    with httpx.Client(base_url=base_url) as client:
        signed_in = client.post(
            "/api/v1/auth/session", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
        signed_in.raise_for_status()
        me = client.get("/api/v1/me").json()
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    return cookie, me["workspaces"][0]["workspace_id"]


def lighthouse(url: str, preset: str, headers: dict[str, str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            "npx",
            "--yes",
            LIGHTHOUSE,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=performance,accessibility",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        if preset == "desktop":
            command.append("--preset=desktop")
        if headers:
            command.append(f"--extra-headers={json.dumps(headers)}")
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        subprocess.run(command, check=True, env=env, cwd=tmp)  # noqa: S603
        data = json.loads(report.read_text())
    audits = data["audits"]
    return {
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    cookie, workspace_id = session_cookie(args.base_url)
    pages = {
        "sign-in": (f"{args.base_url}/sign-in", {}),
        "campaigns": (f"{args.base_url}/w/{workspace_id}/campaigns", {"Cookie": cookie}),
    }
    rows = []
    for preset in ("mobile", "desktop"):
        for page, (url, headers) in pages.items():
            rows.append({"page": page, "preset": preset, **lighthouse(url, preset, headers)})
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "lighthouse": LIGHTHOUSE,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "runs": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print("| page | preset | performance | accessibility | FCP ms | LCP ms | TBT ms | CLS |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['page']} | {r['preset']} | {r['performance']} | {r['accessibility']} | "
            f"{r['fcp_ms']} | {r['lcp_ms']} | {r['tbt_ms']} | {r['cls']} |"
        )


if __name__ == "__main__":
    main()
