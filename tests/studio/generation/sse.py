"""Reading Server-Sent Events the way a browser's EventSource does (the parts we use)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    data: dict[str, Any]


def parse(stream: str) -> tuple[list[Event], list[str]]:
    """(events, comment lines) of an ``text/event-stream`` body."""
    events: list[Event] = []
    comments: list[str] = []
    for block in stream.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, list[str]] = {}
        for line in block.split("\n"):
            if not line:
                continue
            if line.startswith(":"):
                comments.append(line[1:].strip())
                continue
            name, _, value = line.partition(":")
            fields.setdefault(name, []).append(value.removeprefix(" "))
        if "data" in fields:
            events.append(
                Event(
                    id=int(fields["id"][0]),
                    kind=fields.get("event", ["message"])[0],
                    data=json.loads("\n".join(fields["data"])),
                )
            )
    return events, comments
