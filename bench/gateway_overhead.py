"""Model gateway overhead: `uv run python bench/gateway_overhead.py`.

What the gateway adds to a model call, against calling the same server directly.

1. Starts the loopback OpenAI-compatible server of the tests (`tests/llm/openai_server.py`) in
   its own process under uvicorn, so the server does not share this process's GIL.
2. Sends sequential, non-streamed chat completions with the same system and user prompt in
   these ways, interleaved in rounds (each round runs every way, in a rotated order):
   - `httpx`: a bare `httpx.AsyncClient` POST and `json()`: the direct call;
   - `openai_sdk`: the official `AsyncOpenAI` client (`max_retries=0`);
   - `pydantic_ai_direct`: pydantic-ai's `direct.model_request` on the same model the gateway
     uses (`HTTPChatModel`, Chat Completions over httpx): the layer right under the gateway's
     own code;
   - `pydantic_ai_sdk`: the same on pydantic-ai's `OpenAIChatModel` over the OpenAI SDK, the
     transport the gateway used before (docs/adr/0016-openai-compatible-transport-on-httpx.md);
   - `gateway`: `ModelGateway.run(prompt, system=...)`, one route, the production path;
   - `agent`: a plain pydantic-ai `Agent.run` on the same model, for comparison;
   - `gateway_structured` and `agent_structured`: the same with a Pydantic `output_type`
     (the server answers with a tool call), through the gateway and through a plain Agent.
3. Reports per way p50/p90/p99 of wall latency and client CPU per call, and the added latency:
   the difference of the p50s and of the p99s of the two distributions, the median of the
   per-round p50 differences, and the p50 ratio. Writes `bench/results/gateway_overhead.json`
   (or `--output`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx
from openai import AsyncOpenAI
from pydantic import BaseModel, Field, SecretStr
from pydantic_ai import Agent
from pydantic_ai.direct import model_request
from pydantic_ai.messages import ModelRequest
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider

from brandflow.kernel.llm import ModelChain, ModelGateway, ModelRoute

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "gateway_overhead.json"
MODEL = "gpt-loopback"
SYSTEM = "You write marketing copy for Acme Running in a calm, confident voice."
PROMPT = (
    "Write a two-sentence announcement of the Trail Runner X, our lightest trail shoe "
    "(210 grams), for weekend trail runners. Mention the Megagrip outsole."
)


class Post(BaseModel):
    text: str = Field(max_length=280)
    hashtags: list[str] = Field(max_length=3)


TOOL_ARGS = json.dumps({"text": "Meet the Trail Runner X.", "hashtags": ["#trail"]})

Call = Callable[[], Awaitable[object]]


def start_server() -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.llm.openai_server", "--tool-args", TOOL_ARGS],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError(f"the loopback server did not start: {line!r}")
    return proc, line.split()[-1]


async def build_calls(base_url: str) -> tuple[dict[str, Call], Callable[[], Awaitable[None]]]:
    route = ModelRoute(
        provider="openai",
        model=MODEL,
        base_url=base_url,
        api_key=SecretStr("sk-bench"),
        timeout_seconds=30,
        max_retries=0,
    )
    gateway = ModelGateway(ModelChain.of(route))
    gateway.warm()
    model = gateway.model_for(route)
    raw = httpx.AsyncClient(headers={"authorization": "Bearer sk-bench"})
    sdk = AsyncOpenAI(base_url=base_url, api_key="sk-bench", max_retries=0)
    sdk_model = OpenAIChatModel(
        MODEL, provider=OpenAICompatibleProvider("openai-compatible", openai_client=sdk)
    )
    text_agent: Agent[None, str] = Agent(name="bench")
    post_agent: Agent[None, Post] = Agent(output_type=Post, name="bench-structured")
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": PROMPT}]

    async def httpx_call() -> object:
        response = await raw.post(
            f"{base_url}/chat/completions", json={"model": MODEL, "messages": messages}
        )
        response.raise_for_status()
        return response.json()["choices"][0]["message"]["content"]

    async def sdk_call() -> object:
        completion = await sdk.chat.completions.create(model=MODEL, messages=messages)  # type: ignore[arg-type]
        return completion.choices[0].message.content

    async def direct_call() -> object:
        request = ModelRequest.user_text_prompt(PROMPT, instructions=SYSTEM)
        return (await model_request(model, [request], instrument=False)).text

    async def sdk_direct_call() -> object:
        request = ModelRequest.user_text_prompt(PROMPT, instructions=SYSTEM)
        return (await model_request(sdk_model, [request], instrument=False)).text

    async def gateway_call() -> object:
        return (await gateway.run(PROMPT, system=SYSTEM)).text

    async def agent_call() -> object:
        return (await text_agent.run(PROMPT, model=model, instructions=SYSTEM)).output

    async def gateway_structured() -> object:
        return (await gateway.run(PROMPT, system=SYSTEM, output_type=Post)).output

    async def agent_structured() -> object:
        return (await post_agent.run(PROMPT, model=model, instructions=SYSTEM)).output

    async def close() -> None:
        await raw.aclose()
        await sdk.close()
        await gateway.aclose()

    calls: dict[str, Call] = {
        "httpx": httpx_call,
        "openai_sdk": sdk_call,
        "pydantic_ai_direct": direct_call,
        "pydantic_ai_sdk": sdk_direct_call,
        "gateway": gateway_call,
        "agent": agent_call,
        "gateway_structured": gateway_structured,
        "agent_structured": agent_structured,
    }
    return calls, close


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def measure(
    calls: dict[str, Call], rounds: int, per_round: int, warmup: int
) -> dict[str, Any]:
    for call in calls.values():
        for _ in range(warmup):
            await call()
    names = list(calls)
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, float] = dict.fromkeys(names, 0.0)
    round_p50: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            call, samples = calls[name], []
            cpu_start = time.process_time()
            for _ in range(per_round):
                start = time.perf_counter()
                await call()
                samples.append((time.perf_counter() - start) * 1000)
            cpu[name] += time.process_time() - cpu_start
            wall[name] += samples
            round_p50[name].append(statistics.median(samples))
        print(f"round {r + 1}/{rounds}: " + ", ".join(f"{n} {round_p50[n][-1]:.2f}" for n in names))
    total = rounds * per_round
    return {
        name: {
            "calls": total,
            "p50_ms": round(pct(wall[name], 50), 3),
            "p90_ms": round(pct(wall[name], 90), 3),
            "p99_ms": round(pct(wall[name], 99), 3),
            "mean_ms": round(statistics.fmean(wall[name]), 3),
            "cpu_ms_per_call": round(cpu[name] / total * 1000, 3),
            "round_p50_ms": [round(v, 3) for v in round_p50[name]],
        }
        for name in names
    }


def added(ways: dict[str, Any], subject: str, baseline: str) -> dict[str, float]:
    a, b = ways[subject], ways[baseline]
    per_round = [x - y for x, y in zip(a["round_p50_ms"], b["round_p50_ms"], strict=True)]
    return {
        "p50_ms": round(a["p50_ms"] - b["p50_ms"], 3),
        "p99_ms": round(a["p99_ms"] - b["p99_ms"], 3),
        "median_of_round_p50_diffs_ms": round(statistics.median(per_round), 3),
        "cpu_ms_per_call": round(a["cpu_ms_per_call"] - b["cpu_ms_per_call"], 3),
        "p50_ratio": round(a["p50_ms"] / b["p50_ms"], 3),
    }


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
        "platform": platform.platform(),
        "packages": {
            p: version(p) for p in ("pydantic-ai-slim", "openai", "httpx", "uvicorn", "pydantic")
        },
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "loadavg_before": [round(x, 2) for x in os.getloadavg()],
    }


def markdown(results: dict[str, Any]) -> str:
    ways, add = results["ways"], results["added"]
    lines = [
        "| Way | p50 (ms) | p90 (ms) | p99 (ms) | client CPU / call (ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| `{n}` | {w['p50_ms']:.2f} | {w['p90_ms']:.2f} | {w['p99_ms']:.2f} | {w['cpu_ms_per_call']:.2f} |"
        for n, w in ways.items()
    ]
    lines += [
        "",
        "| Added latency | p50 (ms) | p99 (ms) | median of round p50 diffs (ms) | CPU / call (ms) | p50 ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {label} | {d['p50_ms']:.2f} | {d['p99_ms']:.2f} | {d['median_of_round_p50_diffs_ms']:.2f} | {d['cpu_ms_per_call']:.2f} | {d['p50_ratio']:.2f} |"
        for label, d in add.items()
    ]
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    info = machine()
    proc, base_url = start_server()
    try:
        calls, close = await build_calls(base_url)
        try:
            ways = await measure(calls, args.rounds, args.per_round, args.warmup)
        finally:
            await close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    info["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    return {
        "config": {"rounds": args.rounds, "per_round": args.per_round, "warmup": args.warmup},
        "machine": info,
        "ways": ways,
        "added": {
            "gateway vs httpx (direct)": added(ways, "gateway", "httpx"),
            "gateway vs openai_sdk": added(ways, "gateway", "openai_sdk"),
            "gateway vs pydantic_ai_direct (our code)": added(
                ways, "gateway", "pydantic_ai_direct"
            ),
            "gateway_structured vs httpx (direct)": added(ways, "gateway_structured", "httpx"),
            "pydantic_ai_direct vs pydantic_ai_sdk (transport)": added(
                ways, "pydantic_ai_direct", "pydantic_ai_sdk"
            ),
            "agent vs httpx": added(ways, "agent", "httpx"),
            "gateway_structured vs agent_structured (our code)": added(
                ways, "gateway_structured", "agent_structured"
            ),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--per-round", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    output: Path = args.output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))
    print(f"\nwritten: {output}")


if __name__ == "__main__":
    main()
