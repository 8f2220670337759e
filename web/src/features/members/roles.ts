import { WORKSPACE_ROLE_LABELS } from "../../api/labels";
import { workspaceRoleValues } from "../../api/schema.gen";
import type { WorkspaceRole } from "../../api/types";

export const ROLE_OPTIONS = workspaceRoleValues.map((role) => ({ value: role, label: WORKSPACE_ROLE_LABELS[role] }));

/** The role a select's value names, if any. */
export function asRole(value: string | null): WorkspaceRole | undefined {
  return workspaceRoleValues.find((role) => role === value);
}
