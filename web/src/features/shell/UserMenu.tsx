import { Avatar, Group, Menu, Text, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";

import { problemMessage } from "../../api/problem";
import { useSession } from "../../auth/session";
import { signOut } from "../../auth/session-api";
import { sessionStore } from "../../auth/session-store";

export function UserMenu() {
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  if (!session) return null;
  const { user } = session;

  const handleSignOut = async () => {
    try {
      await signOut(sessionStore.csrfToken());
    } catch (cause) {
      setError(problemMessage(cause));
      return;
    }
    sessionStore.set(null);
    queryClient.clear();
    await navigate({ to: "/sign-in", search: {} });
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        {/* The visible name is the accessible name (WCAG 2.5.3); the avatar is decoration. */}
        <UnstyledButton aria-haspopup="menu">
          <Group gap="xs" wrap="nowrap">
            <Avatar name={user.display_name} color="blue" variant="filled" radius="xl" size="sm" alt="" aria-hidden="true" />
            <Text size="sm" fw={500} visibleFrom="xs">
              {user.display_name}
            </Text>
            <VisuallyHidden>Account menu</VisuallyHidden>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.display_name}
          <br />
          {user.email}
        </Menu.Label>
        {error && (
          <Menu.Label c="red" role="alert">
            {error}
          </Menu.Label>
        )}
        <Menu.Item onClick={() => void handleSignOut()}>Sign out</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
