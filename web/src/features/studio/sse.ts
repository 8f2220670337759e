// Following a generation's Server-Sent Events. The browser's EventSource does the transport:
// same origin with the session cookie, and on a dropped connection it reconnects by itself,
// sending `Last-Event-ID` so the server resumes after the last event it delivered. This wraps it
// with what EventSource leaves to us: parsing the JSON events, ignoring any event already seen (a
// fresh connection, which cannot send `Last-Event-ID`, replays from the start), closing after the
// final event (otherwise the browser would reconnect for ever), and saying how the connection is.
import { STEPS, type StreamEvent, type StreamEventKind } from "./types";

/** What this module needs of an EventSource (the browser's, or a test's fake). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

/**
 * `connecting` and `open` as they say; `reconnecting`: the connection dropped and the browser is
 * retrying; `lost`: the browser gave up (an HTTP error, say); `closed`: the stream ended.
 */
export type Connection = "connecting" | "open" | "reconnecting" | "lost" | "closed";

export interface StreamHandlers {
  onEvent: (event: StreamEvent, id: number) => void;
  onConnection: (connection: Connection) => void;
}

const KINDS: readonly StreamEventKind[] = ["status", "progress", "token", "variant", "done", "error"];
const FINAL: ReadonlySet<StreamEventKind> = new Set(["done", "error"]);
/** `EventSource.CLOSED`; the constant is not there in tests' environments. */
const CLOSED = 2;

const browserEventSource: EventSourceFactory = (url) => new EventSource(url, { withCredentials: true });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** One event from its name and `data` text; null for malformed data (skipped, not fatal). */
export function parseStreamEvent(kind: string, text: string): StreamEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  switch (kind) {
    case "status":
      return typeof data.status === "string" ? ({ kind, data } as StreamEvent) : null;
    case "progress":
      return STEPS.includes(data.step as never) ? ({ kind, data } as StreamEvent) : null;
    case "token":
      return typeof data.variant === "number" && typeof data.text === "string" ? ({ kind, data } as StreamEvent) : null;
    case "variant":
      return typeof data.index === "number" && typeof data.version_number === "number" ? ({ kind, data } as StreamEvent) : null;
    case "done":
      return Array.isArray(data.variants) ? ({ kind, data } as StreamEvent) : null;
    case "error":
      if (typeof data.reason !== "string") return null;
      return { kind, data: { code: typeof data.code === "string" ? data.code : "", reason: data.reason } };
    default:
      return null;
  }
}

export class GenerationStream {
  /** The id of the last event handed on: anything at or below it is a replay. */
  lastId = 0;
  private source: EventSourceLike | null = null;
  private ended = false;
  private readonly url: string;
  private readonly handlers: StreamHandlers;
  private readonly open: EventSourceFactory;

  constructor(url: string, handlers: StreamHandlers, open: EventSourceFactory = browserEventSource) {
    this.url = url;
    this.handlers = handlers;
    this.open = open;
  }

  /** Opens the stream (again): events already seen are dropped when the server replays them. */
  connect(): void {
    this.source?.close();
    this.ended = false;
    const source = this.open(this.url);
    this.source = source;
    this.handlers.onConnection("connecting");
    source.addEventListener("open", () => {
      if (this.source === source) this.handlers.onConnection("open");
    });
    source.addEventListener("error", (event) => {
      // The server's own `error` event has this type too; it carries data and is no connection error.
      if (event instanceof MessageEvent || this.source !== source || this.ended) return;
      this.handlers.onConnection(source.readyState === CLOSED ? "lost" : "reconnecting");
    });
    for (const kind of KINDS) {
      source.addEventListener(kind, (event) => {
        if (this.source === source) this.receive(kind, event as MessageEvent<unknown>);
      });
    }
  }

  close(): void {
    this.ended = true;
    this.source?.close();
    this.source = null;
  }

  private receive(kind: StreamEventKind, message: MessageEvent<unknown>): void {
    const id = Number(message.lastEventId);
    const numbered = message.lastEventId !== "" && Number.isInteger(id);
    if (numbered && id <= this.lastId) return;
    const event = parseStreamEvent(kind, typeof message.data === "string" ? message.data : "");
    if (numbered) this.lastId = id;
    if (event === null) return;
    this.handlers.onEvent(event, this.lastId);
    if (FINAL.has(kind)) {
      this.close();
      this.handlers.onConnection("closed");
    }
  }
}
