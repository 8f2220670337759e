import { afterEach, describe, expect, it, vi } from "vitest";

import { FakeEventSource } from "./fake-event-source";
import { type Connection, GenerationStream, parseStreamEvent } from "./sse";
import type { StreamEvent } from "./types";

const URL = "/api/v1/workspaces/w/campaigns/c/contents/i/generations/g/events";

function follow() {
  const events: { event: StreamEvent; id: number }[] = [];
  const connections: Connection[] = [];
  const stream = new GenerationStream(
    URL,
    { onEvent: (event, id) => events.push({ event, id }), onConnection: (state) => connections.push(state) },
    (url) => new FakeEventSource(url, { withCredentials: true }),
  );
  stream.connect();
  return { stream, events, connections, texts: () => events.flatMap(({ event }) => (event.kind === "token" ? [event.data.text] : [])) };
}

afterEach(() => FakeEventSource.reset());

describe("GenerationStream", () => {
  it("hands on parsed events in order and closes after `done`", () => {
    const { events, connections } = follow();
    const source = FakeEventSource.latest();
    source.open();
    source.emit("status", { status: "running" }, 2);
    source.emit("progress", { step: "generating", variant: 1, of: 2 }, 3);
    source.emit("token", { variant: 1, text: "Lace " }, 4);
    source.emit("done", { status: "succeeded", version_numbers: [2], variants: [] }, 5);

    expect(events.map(({ event, id }) => `${id}:${event.kind}`)).toEqual(["2:status", "3:progress", "4:token", "5:done"]);
    expect(source.closed).toBe(true); // otherwise the browser would reconnect for ever
    expect(connections).toEqual(["connecting", "open", "closed"]);
  });

  it("drops events replayed after a reconnect, by id", () => {
    const { stream, texts, connections } = follow();
    const first = FakeEventSource.latest();
    first.open();
    first.emit("token", { variant: 1, text: "Lace " }, 1);
    first.emit("token", { variant: 1, text: "up" }, 2);
    // The browser's own retry resumes after Last-Event-ID, but a server may overlap by one.
    first.drop();
    expect(connections.at(-1)).toBe("reconnecting");
    first.emit("token", { variant: 1, text: "up" }, 2);
    first.emit("token", { variant: 1, text: ": trail" }, 3);
    // A fresh connection cannot send Last-Event-ID: the server replays from the start.
    stream.connect();
    expect(first.closed).toBe(true);
    const second = FakeEventSource.latest();
    second.open();
    for (const [id, text] of [[1, "Lace "], [2, "up"], [3, ": trail"], [4, " time"]] as const) {
      second.emit("token", { variant: 1, text }, id);
    }
    // A late event of the old connection changes nothing.
    first.emit("token", { variant: 1, text: "stale" }, 9);

    expect(texts().join("")).toBe("Lace up: trail time");
    expect(stream.lastId).toBe(4);
  });

  it("says when the browser gave up, and ignores errors after the stream ended", () => {
    const { connections } = follow();
    const source = FakeEventSource.latest();
    source.fail();
    expect(connections.at(-1)).toBe("lost");
    source.emit("error", { code: "budget-exceeded", reason: "Over budget." }, 1);
    // The server's `error` event shares its type with connection errors: not taken for one.
    expect(connections.slice(-2)).toEqual(["lost", "closed"]);
    source.drop();
    expect(connections.at(-1)).toBe("closed");
  });

  it("skips malformed events but remembers their ids", () => {
    const { events, stream } = follow();
    const source = FakeEventSource.latest();
    source.emit("token", "{not json", 1);
    source.emit("token", { variant: "one", text: 3 }, 2);
    source.emit("progress", { step: "dancing" }, 3);
    source.emit("token", { variant: 1, text: "ok" }, 4);
    expect(events.map(({ id }) => id)).toEqual([4]);
    expect(stream.lastId).toBe(4);
  });

  it("opens the browser's EventSource with credentials by default", () => {
    vi.stubGlobal("EventSource", FakeEventSource);
    new GenerationStream(URL, { onEvent: () => undefined, onConnection: () => undefined }).connect();
    expect(FakeEventSource.latest().url).toBe(URL);
    expect(FakeEventSource.latest().withCredentials).toBe(true);
  });
});

describe("parseStreamEvent", () => {
  it("keeps what the contract documents and refuses other shapes", () => {
    expect(parseStreamEvent("variant", '{"index":1,"version_number":4,"score":90,"passed":true,"check_id":null}')).toMatchObject({
      kind: "variant",
      data: { index: 1, version_number: 4 },
    });
    expect(parseStreamEvent("error", '{"reason":"No model answered."}')).toEqual({
      kind: "error",
      data: { code: "", reason: "No model answered." },
    });
    expect(parseStreamEvent("done", '{"status":"succeeded"}')).toBeNull();
    expect(parseStreamEvent("surprise", "{}")).toBeNull();
    expect(parseStreamEvent("status", "[]")).toBeNull();
  });
});
