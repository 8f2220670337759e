// Renders a component with the app's real providers (Mantine, TanStack Query, and a router in
// memory for components that link or navigate).
import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import {
  Outlet,
  RouterProvider,
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  useRouterState,
} from "@tanstack/react-router";
import { type RenderResult, render } from "@testing-library/react";
import type { ReactElement, ReactNode } from "react";

import { createQueryClient } from "../app/query-client";
import { theme } from "../app/theme";

export function Providers({ children, queryClient = createQueryClient() }: { children: ReactNode; queryClient?: ReturnType<typeof createQueryClient> }) {
  return (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}

export function renderWithProviders(ui: ReactElement): RenderResult {
  return render(<Providers>{ui}</Providers>);
}

/**
 * Renders `ui` as the screen at `/`, inside a memory-history router; navigating elsewhere
 * lands on a stub that shows the path, so tests can assert where a link or redirect went.
 */
export function renderWithRouter(ui: ReactElement) {
  const rootRoute = createRootRoute({ component: Outlet });
  const screenRoute = createRoute({ getParentRoute: () => rootRoute, path: "/", component: () => ui });
  const elsewhere = createRoute({
    getParentRoute: () => rootRoute,
    path: "$",
    component: function Elsewhere() {
      const pathname = useRouterState({ select: (state) => state.location.pathname });
      return <p data-testid="location">{pathname}</p>;
    },
  });
  const history = createMemoryHistory({ initialEntries: ["/"] });
  const router = createRouter({ routeTree: rootRoute.addChildren([screenRoute, elsewhere]), history });
  const result = render(
    <Providers>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...result, router, history };
}
