// Every API error is RFC 9457 problem+json. `ApiError` carries it, so screens show `detail`
// to the person and forms put each field error next to its field.
import type { FieldError, Problem } from "./types";

const NETWORK_PROBLEM: Problem = {
  type: "about:blank",
  title: "Network error",
  status: 0,
  detail: "Brandflow could not reach the server. Check your connection and try again.",
};

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  readonly type: string;
  /** Field errors of a 422, with their location (e.g. `["body", "name"]`). */
  readonly errors: readonly FieldError[];
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.problem = problem;
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail ?? null;
    this.type = problem.type;
    this.errors = problem.errors ?? [];
  }

  /** 412: someone else changed the resource since it was read. */
  get isConflict(): boolean {
    return this.status === 412;
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError(NETWORK_PROBLEM);
    Object.defineProperty(error, "cause", { value: cause });
    return error;
  }

  /** Builds the error from whatever body a failed response carried. */
  static from(body: unknown, response: Response): ApiError {
    if (isProblem(body)) return new ApiError({ ...body, status: body.status || response.status });
    const text = typeof body === "string" && body.trim() ? body.trim().slice(0, 300) : null;
    return new ApiError({
      type: "about:blank",
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      detail: text,
    });
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== "object" || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.title === "string" && typeof candidate.status === "number";
}

/** The sentence to show a person for any error a screen may meet. */
export function problemMessage(error: unknown): string {
  if (isApiError(error)) return error.detail ?? error.title;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}

export interface FieldMessage {
  /** Dotted path as react-hook-form names fields, e.g. `key_messages.2`. */
  path: string;
  message: string;
}

/**
 * Field errors of a problem as dotted paths. The leading location (`body`, `query`, `path`,
 * `header`) is dropped: `["body", "key_messages", 2]` becomes `key_messages.2`. Pass `at` to
 * keep only errors under a nested object, e.g. `["body", "body"]` for a content version's body.
 */
export function fieldMessages(error: ApiError, at: readonly (string | number)[] = ["body"]): FieldMessage[] {
  return error.errors.flatMap(({ loc, msg }) => {
    if (!at.every((part, index) => loc[index] === part)) return [];
    const rest = loc.slice(at.length);
    return rest.length > 0 ? [{ path: rest.join("."), message: msg }] : [];
  });
}
