import { AppShell, Box, Burger, Group, Text } from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { Outlet, useParams, useRouterState } from "@tanstack/react-router";
import { useEffect, useRef } from "react";

import { AnchorLink } from "../../components/links";
import { BudgetBanner } from "../costs/BudgetBanner";
import { UserMenu } from "./UserMenu";
import { WorkspaceNav } from "./WorkspaceNav";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";

/** The signed-in frame: header with switchers and account menu, workspace navigation, `<main>`. */
export function AppLayout() {
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  // Narrow screens have no room in the header: the switcher moves into the navigation drawer.
  const wide = useMediaQuery("(min-width: 48em)", true, { getInitialValueInEffect: false });
  const { workspaceId } = useParams({ strict: false });
  const main = useRef<HTMLElement>(null);
  useFocusMainOnNavigation(main, closeNav);

  const skipToMain = (event: React.MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    main.current?.focus();
  };

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 232, breakpoint: "sm", collapsed: { mobile: !navOpen, desktop: !workspaceId } }}
      padding="lg"
    >
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            {workspaceId && (
              <Burger
                opened={navOpen}
                onClick={toggleNav}
                hiddenFrom="sm"
                size="sm"
                aria-label={navOpen ? "Close navigation" : "Open navigation"}
                aria-expanded={navOpen}
                aria-controls="workspace-navigation"
              />
            )}
            <AnchorLink to="/" underline="never" c="inherit" aria-label="Brandflow home">
              <Text fw={800} size="lg">
                Brandflow
              </Text>
            </AnchorLink>
            {(wide || !workspaceId) && <WorkspaceSwitcher workspaceId={workspaceId} />}
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      {workspaceId && (
        <AppShell.Navbar p="sm" id="workspace-navigation" aria-label="Workspace">
          {!wide && (
            <Box mb="md">
              <WorkspaceSwitcher workspaceId={workspaceId} stacked />
            </Box>
          )}
          <WorkspaceNav workspaceId={workspaceId} />
        </AppShell.Navbar>
      )}
      <AppShell.Main id="main" ref={main} tabIndex={-1}>
        {workspaceId && <BudgetBanner workspaceId={workspaceId} />}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/**
 * After a client-side navigation, move focus to `<main>` like a page load would, so keyboard and
 * screen-reader users start at the new screen instead of on the link they left.
 */
function useFocusMainOnNavigation(main: React.RefObject<HTMLElement | null>, onNavigate: () => void) {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    onNavigate();
    main.current?.focus({ preventScroll: true });
  }, [pathname, main, onNavigate]);
}
