// The typed API client. Paths, parameters and bodies are checked against openapi/v1.json.
//
//   const campaign = await unwrap(api.GET("/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}", {
//     params: { path: { workspace_id, campaign_id } },
//   }));
import createClient, { type Middleware } from "openapi-fetch";

import { CSRF_HEADER } from "../auth/session-api";
import { sessionStore } from "../auth/session-store";
import { ApiError } from "./problem";
import type { paths } from "./schema.gen";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Adds the session's CSRF token to unsafe requests; the cookie alone is not enough for those. */
export function csrfMiddleware(csrfToken: () => string | null): Middleware {
  return {
    onRequest({ request }) {
      const token = csrfToken();
      if (token && UNSAFE_METHODS.has(request.method.toUpperCase())) {
        request.headers.set(CSRF_HEADER, token);
      }
      return request;
    },
  };
}

export function createApiClient(options: { baseUrl?: string; csrfToken?: () => string | null } = {}) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? (typeof window === "undefined" ? "" : window.location.origin),
    credentials: "same-origin",
    headers: { Accept: "application/json, application/problem+json" },
    // Looked up per call, so tests (and polyfills) can replace `fetch` after start-up.
    fetch: (request) => globalThis.fetch(request),
  });
  client.use(csrfMiddleware(options.csrfToken ?? (() => sessionStore.csrfToken())));
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export const api: ApiClient = createApiClient();

interface ApiResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The response's data, or throws `ApiError` with the problem+json the API answered. */
export async function unwrap<T>(request: Promise<ApiResult<T>>): Promise<T> {
  return (await unwrapWithResponse(request)).data;
}

/** Data plus its `ETag`, for resources that are updated with `If-Match`. */
export interface Tagged<T> {
  data: T;
  etag: string | null;
}

export async function unwrapTagged<T>(request: Promise<ApiResult<T>>): Promise<Tagged<T>> {
  const { data, response } = await unwrapWithResponse(request);
  return { data, etag: etagOf(response) };
}

async function unwrapWithResponse<T>(request: Promise<ApiResult<T>>): Promise<{ data: T; response: Response }> {
  let result: ApiResult<T>;
  try {
    result = await request;
  } catch (cause) {
    throw ApiError.network(cause);
  }
  const { data, error, response } = result;
  if (!response.ok) throw ApiError.from(error, response);
  // 204 No Content answers carry no data; their callers expect `undefined`.
  return { data: data as T, response };
}

export function etagOf(response: Response): string | null {
  return response.headers.get("ETag");
}

/** Headers for a conditional update: `If-Match` with the ETag the resource was read with. */
export function ifMatch(etag: string | null): { "if-match"?: string } {
  return etag ? { "if-match": etag } : {};
}
