"""Publishing and consuming continue the trace of the request that recorded the event."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from brandflow.bootstrap import Container
from brandflow.kernel.uow import UnitOfWork
from tests.events.support import campaign_created


async def test_publish_and_consume_spans_join_the_recording_trace(
    container: Container, event_spans: InMemorySpanExporter
) -> None:
    tracer = trace.get_tracer("tests")
    with tracer.start_as_current_span("request") as request_span:
        async with container.sessionmaker() as session:
            uow = UnitOfWork(session)
            uow.record(campaign_created())
            await uow.commit()
    trace_id = request_span.get_span_context().trace_id

    # The relay runs outside that request: only the envelope carries the trace on.
    assert trace.get_current_span().get_span_context().is_valid is False
    assert await container.relay.drain() == 1

    spans = {s.name: s for s in event_spans.get_finished_spans()}
    publish = spans["campaigns.campaign_created publish"]
    process = spans["campaigns.campaign_created process"]
    assert publish.kind == SpanKind.PRODUCER
    assert process.kind == SpanKind.CONSUMER
    assert publish.context is not None
    assert process.context is not None
    assert publish.context.trace_id == trace_id
    assert process.context.trace_id == trace_id
    assert publish.parent is not None
    assert publish.parent.span_id == request_span.get_span_context().span_id
    assert process.attributes is not None
    assert process.attributes["messaging.consumer.group.name"] == "audit.log"
