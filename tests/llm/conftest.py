"""One loopback OpenAI-compatible server for the whole run; each test gets it reset."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field

import pytest
from pydantic import SecretStr

from brandflow.kernel.llm import BreakerPolicy, ModelChain, ModelGateway, ModelRoute, RetryPolicy
from tests.llm.openai_server import FakeOpenAI, serve_in_thread

API_KEY = "sk-loopback-secret-0123456789"


@dataclass
class Server:
    fake: FakeOpenAI
    base_url: str

    def route(self, model: str = "gpt-loopback", **changes: object) -> ModelRoute:
        fields: dict[str, object] = {
            "provider": "openai",
            "model": model,
            "base_url": self.base_url,
            "api_key": SecretStr(API_KEY),
            "timeout_seconds": 5.0,
            "max_retries": 2,
        }
        fields.update(changes)
        return ModelRoute.model_validate(fields)


@dataclass
class Clock:
    """Time the breakers read; tests move it instead of waiting out a cool-down."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Sleeps:
    """Really sleeps (briefly), and remembers each backoff the gateway asked for."""

    seconds: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)
        await asyncio.sleep(seconds)


@pytest.fixture(scope="session")
def loopback() -> Iterator[Server]:
    fake = FakeOpenAI()
    with serve_in_thread(fake.app()) as base_url:
        yield Server(fake, base_url)


@pytest.fixture
def server(loopback: Server) -> Server:
    loopback.fake.reset()
    return loopback


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


GatewayFactory = Callable[..., ModelGateway]


@pytest.fixture
async def make_gateway(clock: Clock, sleeps: Sleeps) -> AsyncIterator[GatewayFactory]:
    """Gateways with short, deterministic backoff (jitter at its top: 10 ms, 20 ms, ...)."""
    built: list[ModelGateway] = []

    def make(*routes: ModelRoute, threshold: int = 5, cooldown: float = 30.0) -> ModelGateway:
        gateway = ModelGateway(
            ModelChain.of(*routes),
            retry=RetryPolicy(base_delay_seconds=0.01, max_delay_seconds=1.0),
            breaker=BreakerPolicy(failure_threshold=threshold, cooldown_seconds=cooldown),
            clock=clock,
            sleep=sleeps,
            rng=lambda: 1.0,
        )
        built.append(gateway)
        return gateway

    yield make
    for gateway in built:
        await gateway.aclose()
