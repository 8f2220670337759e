"""The circuit breaker on its own: thresholds, one half-open probe, safety across threads."""

from __future__ import annotations

import asyncio
import threading

from brandflow.kernel.llm import BreakerPolicy
from brandflow.kernel.llm.breaker import CircuitBreaker
from tests.llm.conftest import Clock, GatewayFactory, Server
from tests.llm.openai_server import Stall


def state(breaker: CircuitBreaker) -> str:
    return breaker.state  # (a call, so mypy does not narrow the property between reads)


def test_opens_after_consecutive_failures_only() -> None:
    breaker = CircuitBreaker(BreakerPolicy(failure_threshold=3, cooldown_seconds=5), clock=Clock())
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()  # a success in between resets the count
    breaker.record_failure()
    breaker.record_failure()
    assert state(breaker) == "closed"
    breaker.record_failure()
    assert state(breaker) == "open"
    assert breaker.allow() is False


def test_half_open_lets_exactly_one_of_many_threads_probe() -> None:
    clock = Clock()
    breaker = CircuitBreaker(BreakerPolicy(failure_threshold=1, cooldown_seconds=5), clock=clock)
    breaker.record_failure()
    clock.now += 5
    start = threading.Barrier(16)
    allowed: list[bool] = []
    lock = threading.Lock()

    def contend() -> None:
        start.wait()
        verdict = breaker.allow()
        with lock:
            allowed.append(verdict)

    threads = [threading.Thread(target=contend) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 1
    assert state(breaker) == "half-open"
    breaker.record_success()
    assert state(breaker) == "closed"


async def test_a_cancelled_probe_frees_the_half_open_slot(
    server: Server, make_gateway: GatewayFactory, clock: Clock
) -> None:
    route = server.route("gpt-main", max_retries=0)
    gateway = make_gateway(route, threshold=1, cooldown=10.0)
    breaker = gateway.breakers[route.key]
    breaker.record_failure()
    clock.now += 10
    server.fake.script(Stall(1.0))

    probe = asyncio.create_task(gateway.run("hello"))
    for _ in range(500):  # wait (bounded) until the probe is in flight at the server
        if server.fake.received:
            break
        await asyncio.sleep(0.01)
    probe.cancel()
    await asyncio.gather(probe, return_exceptions=True)

    assert breaker.allow() is True  # the next caller may probe; the route is not stuck
