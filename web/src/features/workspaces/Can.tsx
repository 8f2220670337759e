import type { ReactNode } from "react";

import type { Permission } from "../../api/types";
import { usePermissions } from "./queries";

export interface CanProps {
  workspaceId: string;
  permission: Permission;
  children: ReactNode;
  /** Shown instead when the permission is missing. */
  otherwise?: ReactNode;
}

/** Renders its children only for people who hold `permission` in the workspace. */
export function Can({ workspaceId, permission, children, otherwise = null }: CanProps) {
  const { can } = usePermissions(workspaceId);
  return <>{can(permission) ? children : otherwise}</>;
}
