"""The browser-test harness: a real server on a fresh database, and Debian's Chromium.

The server runs as its own process, exactly as `make run` starts it (migrate, seed the
demo, serve the built web app), on a database made for this run beside the test database.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
WEB_DIST = Path(os.environ.get("BRANDFLOW_E2E_WEB_DIST", ROOT / "web" / "dist"))
AXE_SCRIPT = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-results" / "screens"
CHROMIUM = Path(os.environ.get("BRANDFLOW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def fresh_database(test_database_url: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    url = make_url(test_database_url)
    name = f"brandflow_e2e_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _cli(*args: str, env: dict[str, str]) -> None:
    command = [str(Path(sys.executable).parent / "brandflow"), *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"`brandflow {' '.join(args)}` failed:\n{result.stderr[-4000:]}")


@contextlib.contextmanager
def running_server(database_url: str, log_path: Path) -> Iterator[str]:
    """`brandflow migrate`, `seed-demo` and `serve` on a free port; yields the base URL."""
    port = free_port()
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("BRANDFLOW_")}
    env = {
        **inherited,
        "BRANDFLOW_DATABASE_URL": database_url,
        "BRANDFLOW_WEB_DIST_DIR": str(WEB_DIST),
        "BRANDFLOW_PORT": str(port),
        "BRANDFLOW_LOG_LEVEL": "WARNING",
    }
    _cli("migrate", env=env)
    _cli("seed-demo", env=env)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).parent / "brandflow"), "serve", "--no-migrate"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base_url, server)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_ready(base_url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}; see its log")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server at {base_url} was not ready within {timeout} s")
