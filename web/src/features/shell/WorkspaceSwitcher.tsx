import { Flex, Select, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";

import { meQuery } from "../workspaces/queries";
import { organizationChoices } from "./workspace-choices";

/**
 * Organization and workspace pickers. Only organizations the person belongs to appear, so an
 * external (client) user sees just their own workspace(s).
 */
export function WorkspaceSwitcher({ workspaceId, stacked = false }: { workspaceId: string | undefined; stacked?: boolean }) {
  const { data: me } = useQuery(meQuery());
  const navigate = useNavigate();
  if (!me) return null;

  const organizations = organizationChoices(me);
  const current =
    organizations.find((org) => org.workspaces.some((w) => w.workspace_id === workspaceId)) ?? organizations[0];
  const named = organizations.filter((org) => org.name);
  const openWorkspace = (id: string) => void navigate({ to: "/w/$workspaceId/campaigns", params: { workspaceId: id } });

  return (
    <Flex gap="xs" direction={stacked ? "column" : "row"} align={stacked ? "stretch" : "center"}>
      {named.length === 1 && current?.name && (
        <Text size="sm" c="dimmed" fw={500}>
          {current.name}
        </Text>
      )}
      {named.length > 1 && current?.name && (
        <Select
          aria-label="Organization"
          size="sm"
          w={stacked ? "100%" : 180}
          data={named.map((org) => ({ value: org.id, label: org.name, disabled: org.workspaces.length === 0 }))}
          value={current.id}
          allowDeselect={false}
          onChange={(id) => {
            const first = organizations.find((org) => org.id === id)?.workspaces[0];
            if (first) openWorkspace(first.workspace_id);
          }}
        />
      )}
      {current && current.workspaces.length > 0 && (
        <Select
          aria-label="Workspace"
          size="sm"
          w={stacked ? "100%" : 200}
          placeholder="Choose a workspace"
          data={current.workspaces.map((w) => ({ value: w.workspace_id, label: w.workspace_name }))}
          value={workspaceId ?? null}
          allowDeselect={false}
          onChange={(id) => id && openWorkspace(id)}
        />
      )}
    </Flex>
  );
}
