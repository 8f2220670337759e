import { Skeleton, Stack } from "@mantine/core";

import type { Permission } from "../../api/types";
import { NavLinkLink } from "../../components/links";
import { usePermissions } from "../workspaces/queries";

const ITEMS = [
  { label: "Campaigns", to: "/w/$workspaceId/campaigns", permission: "campaigns:read" },
  { label: "Brand kit", to: "/w/$workspaceId/brand-kit", permission: "brand_kit:read" },
  { label: "Knowledge", to: "/w/$workspaceId/knowledge", permission: "knowledge:read" },
  { label: "AI settings", to: "/w/$workspaceId/ai-settings", permission: "content:read" },
  { label: "Costs", to: "/w/$workspaceId/costs", permission: "usage:read" },
  { label: "Members", to: "/w/$workspaceId/members", permission: "members:read" },
  { label: "API keys", to: "/w/$workspaceId/api-keys", permission: "api_keys:manage" },
  { label: "Audit log", to: "/w/$workspaceId/audit", permission: "audit:read" },
] as const satisfies readonly { label: string; to: string; permission: Permission }[];

/** The workspace's sections; a section the person's role lacks is not offered at all. */
export function WorkspaceNav({ workspaceId }: { workspaceId: string }) {
  const { can, isLoading } = usePermissions(workspaceId);
  if (isLoading) {
    return (
      <Stack gap="xs" aria-hidden="true">
        {ITEMS.map((item) => (
          <Skeleton key={item.to} height={32} />
        ))}
      </Stack>
    );
  }
  return (
    <Stack gap={2} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {ITEMS.filter((item) => can(item.permission)).map((item) => (
        <li key={item.to}>
          <NavLinkLink
            to={item.to}
            params={{ workspaceId }}
            label={item.label}
            activeOptions={{ exact: false }}
            activeProps={{ active: true }}
          />
        </li>
      ))}
    </Stack>
  );
}
