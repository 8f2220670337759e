import { Skeleton, Stack, VisuallyHidden } from "@mantine/core";
import type { ReactNode } from "react";

import { EmptyState, type EmptyStateProps } from "./EmptyState";
import { ProblemAlert } from "./ProblemAlert";

/** The parts of a TanStack Query result (plain or infinite) that QueryState reads. */
export interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  refetch: () => unknown;
}

export interface QueryStateProps<T> {
  query: QueryLike<T>;
  /** What the loading state announces, e.g. "Loading campaigns". */
  loadingLabel?: string;
  /** A skeleton shaped like the content; three lines by default. */
  loading?: ReactNode;
  /** When the data counts as empty, e.g. `(page) => page.items.length === 0`. */
  isEmpty?: (data: T) => boolean;
  empty?: EmptyStateProps;
  /** Heading of the error alert. */
  errorTitle?: string;
  children: (data: T) => ReactNode;
}

/**
 * The four states every screen has: loading, error (problem `detail` + retry), empty, data.
 * A failed background refresh keeps showing the data, with the error above it. Pass an enabled
 * query: a disabled one has no data and no error, and would show "loading" for good.
 */
export function QueryState<T>({
  query,
  loadingLabel = "Loading",
  loading,
  isEmpty,
  empty,
  errorTitle,
  children,
}: QueryStateProps<T>) {
  const retry = () => void query.refetch();
  if (query.data === undefined) {
    if (query.error) return <ProblemAlert error={query.error} title={errorTitle} onRetry={retry} />;
    return (
      <div role="status" aria-live="polite" aria-busy="true">
        <VisuallyHidden>{loadingLabel}…</VisuallyHidden>
        {loading ?? <LoadingLines />}
      </div>
    );
  }
  const data = query.data;
  return (
    <>
      {query.error !== null && query.error !== undefined && (
        <ProblemAlert error={query.error} title={errorTitle} onRetry={retry} />
      )}
      {isEmpty?.(data) ? <EmptyState title="Nothing here yet" {...empty} /> : children(data)}
    </>
  );
}

function LoadingLines() {
  return (
    <Stack gap="sm" aria-hidden="true">
      <Skeleton height={28} width="40%" />
      <Skeleton height={16} />
      <Skeleton height={16} />
      <Skeleton height={16} width="70%" />
    </Stack>
  );
}
