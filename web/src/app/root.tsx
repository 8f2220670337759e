import { Button, Center, Container, Loader, Stack, Text, Title } from "@mantine/core";
import { type ErrorComponentProps, Link, Outlet, useRouter } from "@tanstack/react-router";

import { ProblemAlert } from "../components/ProblemAlert";

export function RootLayout() {
  return <Outlet />;
}

/** A screen's chunk or data is still loading (shown only after a short delay). */
export function RoutePending() {
  return (
    <Center p="xl" role="status" aria-live="polite">
      <Loader size="sm" aria-hidden="true" />
      <Text ml="sm" size="sm" c="dimmed">
        Loading…
      </Text>
    </Center>
  );
}

/** Anything a route's set-up threw: the problem's detail, and a way to try again. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  const retry = () => {
    reset();
    void router.invalidate();
  };
  return (
    <Container size="sm" py="xl">
      <ProblemAlert error={error} onRetry={retry} />
    </Container>
  );
}

export function NotFound() {
  return (
    <Container size="sm" py="xl" component="main">
      <Stack align="flex-start">
        <Title order={1}>Page not found</Title>
        <Text>There is nothing at this address. It may have moved, or the link may be mistyped.</Text>
        <Button component={Link} to="/">
          Go to your workspace
        </Button>
      </Stack>
    </Container>
  );
}
