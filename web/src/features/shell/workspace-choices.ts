import type { Me, WorkspaceMembership } from "../../api/types";

export interface OrganizationChoice {
  id: string;
  name: string;
  workspaces: WorkspaceMembership[];
}

/**
 * The organizations and workspaces the switcher offers, built from GET /me. A client user has
 * no organization membership: they get their own workspaces only, under no organization name.
 */
export function organizationChoices(me: Me): OrganizationChoice[] {
  const names = new Map(me.organizations.map((org) => [org.organization_id, org.organization_name]));
  const choices = new Map<string, OrganizationChoice>();
  for (const org of me.organizations) {
    choices.set(org.organization_id, { id: org.organization_id, name: org.organization_name, workspaces: [] });
  }
  for (const workspace of me.workspaces) {
    const id = workspace.organization_id;
    const choice = choices.get(id) ?? { id, name: names.get(id) ?? "", workspaces: [] };
    choice.workspaces.push(workspace);
    choices.set(id, choice);
  }
  return [...choices.values()];
}
