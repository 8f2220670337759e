"""Transports carry envelopes from the relay to consumers."""

from __future__ import annotations

from typing import Protocol

from brandflow.kernel.events import Envelope


class Transport(Protocol):
    async def publish(self, envelope: Envelope) -> None:
        """Hand one envelope to the transport; raise if it was not accepted."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def healthy(self) -> bool: ...
