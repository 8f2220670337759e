// The cookie session of the BFF: sign in, read the current session, sign out
// (`/api/v1/auth/session`: auth_session_create / auth_session_get / auth_session_delete).
//
// Typed by openapi/v1.json through a small openapi-fetch client of its own rather than `api`
// from src/api/client.ts: that module imports CSRF_HEADER from here and adds its CSRF middleware
// from the session store, so sharing it would make the two modules import each other. Signing
// out passes the CSRF token explicitly instead.
import createClient from "openapi-fetch";

import { ApiError } from "../api/problem";
import type { components, paths } from "../api/schema.gen";

export type Session = components["schemas"]["BrowserSessionRead"];

export const SESSION_PATH = "/api/v1/auth/session";
export const CSRF_HEADER = "X-CSRF-Token";

const sessionClient = createClient<paths>({
  baseUrl: typeof window === "undefined" ? "" : window.location.origin,
  // index.html preloads GET /auth/session with `crossorigin="anonymous"`, which is this mode
  // (cors, same-origin credentials): a request that matches is answered from that preload.
  credentials: "same-origin",
  headers: { Accept: "application/json, application/problem+json" },
  // Looked up per call, so tests can replace `fetch` after start-up.
  fetch: (request) => globalThis.fetch(request),
});

/** The session of the current cookie, or null when there is none (401). */
export async function fetchSession(): Promise<Session | null> {
  const { data, error, response } = await send(() => sessionClient.GET(SESSION_PATH));
  if (response.status === 401) return null;
  if (!response.ok || !data) throw ApiError.from(error, response);
  return data;
}

export async function signIn(email: string, password: string): Promise<Session> {
  const { data, error, response } = await send(() => sessionClient.POST(SESSION_PATH, { body: { email, password } }));
  if (!response.ok || !data) throw ApiError.from(error, response);
  return data;
}

export async function signOut(csrfToken: string | null): Promise<void> {
  const headers: Record<string, string> = csrfToken ? { [CSRF_HEADER]: csrfToken } : {};
  const { error, response } = await send(() => sessionClient.DELETE(SESSION_PATH, { headers }));
  // 401: the session had already ended, which is what signing out wants.
  if (!response.ok && response.status !== 401) throw ApiError.from(error, response);
}

async function send<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (cause) {
    throw ApiError.network(cause);
  }
}
