"""The `brandflow worker` process: outbox relay and event consumers, until SIGINT/SIGTERM.

Who runs what:

* No ``BRANDFLOW_BROKER_URL`` (embedded default): ``serve`` already runs the relay, and the
  in-process transport runs the consumers inside the relay (plus the retry loop). A worker is
  optional; started anyway, it is one more relay, and ``FOR UPDATE SKIP LOCKED`` keeps the
  two from sending the same row.
* With a broker URL: ``serve`` runs the relay, which only *publishes* to RabbitMQ; the
  consumers run in N ``worker`` processes only (each subscribes every consumer's queue,
  and RabbitMQ shares the messages between them). Workers run a relay too, so events still
  leave the outbox when the API is scaled to zero or runs with the relay off.

Wherever the relay runs, ``Container.start_background`` also purges expired idempotency
records every ~10 minutes (batched deletes; several purgers skip each other's rows).

Stopping is graceful: the relay finishes or abandons its batch (an abandoned batch stays
unpublished and goes again), FastStream waits for running handlers, then the pool closes.
"""

from __future__ import annotations

import asyncio
import signal

from brandflow.bootstrap import build_container
from brandflow.kernel.messaging.rabbit import RabbitTransport
from brandflow.kernel.telemetry import get_logger
from brandflow.settings import Settings

log = get_logger(__name__)


async def run_worker(
    settings: Settings,
    database_url: str,
    *,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until SIGINT/SIGTERM (or until ``stop`` is set, for embedding and tests).

    Logging and tracing are the caller's to configure (``brandflow worker`` does).
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    container = await build_container(
        settings, database_url=database_url, serves_http=False
    )  # run_relay: True
    if isinstance(container.transport, RabbitTransport):
        container.transport.enable_consumers()
    try:
        await container.start_background()
        log.info(
            "worker_started",
            transport=type(container.transport).__name__,
            consumers=[c.name for c in container.consumers],
        )
        await stop.wait()
        log.info("worker_stopping")
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await container.stop_background()
        await container.close()
