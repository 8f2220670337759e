"""The committed AsyncAPI document describes exactly the events the code publishes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from brandflow.kernel.asyncapi import build_asyncapi
from brandflow.kernel.events import event_types

COMMITTED = Path(__file__).resolve().parents[2] / "asyncapi" / "events.json"


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_committed_asyncapi_matches_the_code() -> None:
    generated = build_asyncapi()
    committed = json.loads(COMMITTED.read_text())
    assert committed == generated, (
        "asyncapi/events.json is stale: run `uv run brandflow export-asyncapi` and commit it"
    )


def test_every_event_has_a_channel_and_every_reference_resolves() -> None:
    document = build_asyncapi()
    assert document["asyncapi"] == "3.0.0"
    assert set(document["channels"]) == set(event_types())
    created = document["channels"]["campaigns.campaign_created"]
    assert created["bindings"]["amqp"]["exchange"]["name"] == "brandflow.events"
    envelope = document["components"]["schemas"]["Envelope"]
    assert {"event_id", "type", "trace_context", "payload"} <= set(envelope["properties"])
    payload = document["components"]["schemas"]["CampaignCreated"]
    assert {"campaign_name", "subject_id", "changes"} <= set(payload["properties"])
    for ref in _refs(document):
        assert ref.startswith("#/"), ref
        _resolve(document, ref)  # raises KeyError when dangling
