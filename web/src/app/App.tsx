import "./mantine-styles";
import "./global.css";

import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type RouterHistory, RouterProvider } from "@tanstack/react-router";

import { sessionStore } from "../auth/session-store";
import { createQueryClient } from "./query-client";
import { type AppRouter, createAppRouter } from "./router";
import { theme } from "./theme";

export interface AppInstance {
  queryClient: QueryClient;
  router: AppRouter;
}

/** The app's query client and router, wired so that a 401 anywhere leads to sign-in and back. */
export function createApp(history?: RouterHistory): AppInstance {
  const queryClient = createQueryClient(() => {
    if (router.state.location.pathname.startsWith("/sign-in")) return;
    sessionStore.set(null);
    queryClient.clear();
    void router.navigate({ to: "/sign-in", search: { redirect: router.state.location.href } });
  });
  const router = createAppRouter(queryClient, history);
  return { queryClient, router };
}

export function App({ app }: { app: AppInstance }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={app.queryClient}>
        <RouterProvider router={app.router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
