// For tests only: a stand-in for the browser's EventSource (a browser API, not our code) that
// the test drives: open, deliver events with ids, drop the connection, or give up.
import type { EventSourceLike } from "./sse";

export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];

  readonly url: string;
  readonly withCredentials: boolean;
  readyState = 0;
  private readonly listeners = new Map<string, ((event: Event) => void)[]>();

  constructor(url: string, init?: EventSourceInit) {
    this.url = url;
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.instances.push(this);
  }

  static reset(): void {
    FakeEventSource.instances = [];
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error("no EventSource was opened");
    return source;
  }

  addEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.readyState = 2;
  }

  get closed(): boolean {
    return this.readyState === 2;
  }

  private dispatch(type: string, event: Event): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  open(): void {
    this.readyState = 1;
    this.dispatch("open", new Event("open"));
  }

  /** One server-sent event: `id`, `event` and JSON `data` (or raw text). */
  emit(kind: string, data: unknown, id: number): void {
    const text = typeof data === "string" ? data : JSON.stringify(data);
    this.dispatch(kind, new MessageEvent(kind, { data: text, lastEventId: String(id) }));
  }

  /** The connection dropped; the browser will retry (sending Last-Event-ID). */
  drop(): void {
    this.readyState = 0;
    this.dispatch("error", new Event("error"));
  }

  /** The browser gave up (an HTTP error answer, say). */
  fail(): void {
    this.readyState = 2;
    this.dispatch("error", new Event("error"));
  }
}
