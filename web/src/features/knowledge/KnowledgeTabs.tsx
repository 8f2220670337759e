import { Group } from "@mantine/core";

import { ButtonLink } from "../../components/links";

/** Library and search: the two views of the workspace's knowledge (the router marks the current one). */
export function KnowledgeTabs({ workspaceId, current }: { workspaceId: string; current: "library" | "search" }) {
  return (
    <Group gap="xs" component="nav" aria-label="Knowledge views" mb="md">
      <ButtonLink
        to="/w/$workspaceId/knowledge"
        params={{ workspaceId }}
        activeOptions={{ exact: true, includeSearch: false }}
        variant={current === "library" ? "filled" : "default"}
        size="xs"
      >
        Library
      </ButtonLink>
      <ButtonLink
        to="/w/$workspaceId/knowledge/search"
        params={{ workspaceId }}
        activeOptions={{ exact: true, includeSearch: false }}
        variant={current === "search" ? "filled" : "default"}
        size="xs"
      >
        Search
      </ButtonLink>
    </Group>
  );
}
