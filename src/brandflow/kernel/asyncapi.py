"""The AsyncAPI 3.0 document of every domain event, generated from the event classes.

One channel per routing key (the event type) on the ``brandflow.events`` topic exchange;
each message is the ``Envelope`` whose ``payload`` is that event's own JSON schema. The
committed ``asyncapi/events.json`` must equal this output (a test checks it); regenerate
with ``brandflow export-asyncapi``.
"""

from __future__ import annotations

import importlib
from typing import Any

from pydantic import BaseModel

from brandflow.kernel.events import DomainEvent, Envelope, event_types

EXCHANGE = "brandflow.events"
REF = "#/components/schemas/{model}"
TRACE_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "W3C trace context of the publish span (also inside the envelope).",
    "properties": {
        "traceparent": {"type": "string"},
        "tracestate": {"type": "string"},
        "x-brandflow-attempt": {
            "type": "string",
            "description": "Delivery attempt, set on retried and dead-lettered copies",
        },
    },
}


def _hoist(schema: dict[str, Any], into: dict[str, Any]) -> dict[str, Any]:
    """Move a model schema's ``$defs`` into ``components.schemas``; names must not clash."""
    for name, definition in schema.pop("$defs", {}).items():
        if name in into and into[name] != definition:
            raise ValueError(f"two different schemas are both called {name}")
        into[name] = definition
    return schema


def _model_schema(model: type[BaseModel], into: dict[str, Any]) -> dict[str, Any]:
    return _hoist(model.model_json_schema(ref_template=REF, mode="serialization"), into)


def _message_id(event: type[DomainEvent], taken: dict[str, Any]) -> str:
    """The class name; prefixed by its context when two contexts use the same class name."""
    if event.__name__ not in taken:
        return event.__name__
    return event.name.split(".", 1)[0].title() + event.__name__


def build_asyncapi() -> dict[str, Any]:
    # Importing the app imports every context's domain module, so every event is registered.
    importlib.import_module("brandflow.app")

    schemas: dict[str, Any] = {}
    envelope = _model_schema(Envelope, schemas)
    envelope["description"] = (Envelope.__doc__ or "").strip()
    schemas["Envelope"] = envelope

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for name, event in sorted(event_types().items()):
        message_id = _message_id(event, messages)
        payload = _model_schema(event, schemas)
        payload["x-event-version"] = event.version
        payload["x-subject-type"] = event.subject_type
        schemas[message_id] = payload
        schemas[f"{message_id}Envelope"] = {
            "allOf": [
                {"$ref": REF.format(model="Envelope")},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": name},
                        "version": {"const": event.version},
                        "payload": {"$ref": REF.format(model=message_id)},
                    },
                },
            ]
        }
        messages[message_id] = {
            "name": name,
            "title": message_id,
            "summary": (event.__doc__ or f"The `{name}` event.").strip().splitlines()[0],
            "contentType": "application/json",
            "headers": TRACE_HEADERS,
            "payload": {"$ref": REF.format(model=f"{message_id}Envelope")},
            "correlationId": {
                "description": "The request id that caused the event",
                "location": "$message.payload#/request_id",
            },
            "bindings": {"amqp": {"deliveryMode": 2, "bindingVersion": "0.3.0"}},
        }
        channels[name] = {
            "address": name,
            "title": name,
            "description": f"Routing key `{name}` on the `{EXCHANGE}` topic exchange.",
            "messages": {message_id: {"$ref": f"#/components/messages/{message_id}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {
                        "name": EXCHANGE,
                        "type": "topic",
                        "durable": True,
                        "autoDelete": False,
                        "vhost": "/",
                    },
                    "bindingVersion": "0.3.0",
                }
            },
        }
        operations[f"publish_{name}"] = {
            "action": "send",
            "title": f"Publish {name}",
            "summary": "Sent by the outbox relay after the change commits (at-least-once).",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/{message_id}"}],
        }

    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Brandflow domain events",
            "version": "1.0.0",
            "description": (
                "Events the contexts publish through the transactional outbox. Delivery is "
                "at-least-once: consumers deduplicate by `event_id`."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "rabbitmq": {
                "host": "localhost:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "Set by `BRANDFLOW_BROKER_URL`; the embedded default "
                "delivers in-process with the same envelopes.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": dict(sorted(schemas.items())),
        },
    }
