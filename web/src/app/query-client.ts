import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";

import { isApiError } from "../api/problem";

/** A 4xx will not change by asking again; network errors and 5xx may. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/**
 * `onUnauthorized` runs when any call answers 401: the session ended (expired or signed out
 * elsewhere), so the app sends the person to sign in again.
 */
export function createQueryClient(onUnauthorized: () => void = () => undefined): QueryClient {
  const onError = (error: unknown) => {
    if (isApiError(error) && error.isUnauthorized) onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 15_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
