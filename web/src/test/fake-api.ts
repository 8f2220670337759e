// A fake of the Brandflow HTTP API for component tests: a table of `METHOD /path` handlers
// installed as `fetch`. It stands in for the network only; our client code runs for real.
import { vi } from "vitest";

export type Handler = (request: Request, match: RegExpMatchArray) => Response | Promise<Response>;

export interface FakeApi {
  /** Every request the app sent, in order. */
  requests: Request[];
  on(route: string, handler: Handler): FakeApi;
}

/**
 * `route` is `"METHOD /path"`; `{name}` in the path matches one segment.
 * Unmatched requests answer 404 problem+json, so a missing handler shows up as an error state.
 */
export function installFakeApi(): FakeApi {
  const routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
  const requests: Request[] = [];
  const fake: FakeApi = {
    requests,
    on(route, handler) {
      const [method = "GET", path = "/"] = route.split(" ");
      const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "([^/]+)")}$`);
      routes.unshift({ method, pattern, handler });
      return fake;
    },
  };
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    const url = new URL(request.url);
    for (const route of routes) {
      const match = url.pathname.match(route.pattern);
      if (match && route.method === request.method) return route.handler(request, match);
    }
    return problem(404, "Not found", `No fake for ${request.method} ${url.pathname}`);
  });
  return fake;
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { "Content-Type": "application/json", ...init.headers },
  });
}

export function problem(status: number, title: string, detail?: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail, ...extra }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });
}
