// Names for the audit log's actors (`{type, id}`): the workspace's members and API keys, as far
// as the person may read them; anyone else is shown by type and a short id.
import { useQuery } from "@tanstack/react-query";

import type { AuditEvent } from "../../api/types";
import { useSession } from "../../auth/session";
import { apiKeysQuery } from "../api-keys/queries";
import { membersQuery } from "../members/queries";
import { usePermissions } from "../workspaces/queries";

export interface ActorOption {
  value: string;
  label: string;
}

export interface ActorDirectory {
  members: ActorOption[];
  apiKeys: ActorOption[];
  nameOf: (actor: AuditEvent["actor"]) => string;
}

export function useActorDirectory(workspaceId: string): ActorDirectory {
  const { can } = usePermissions(workspaceId);
  const members = useQuery({ ...membersQuery(workspaceId), enabled: can("members:read") });
  const keys = useQuery({ ...apiKeysQuery(workspaceId), enabled: can("api_keys:manage") });
  const me = useSession()?.user;
  const memberOptions = (members.data ?? []).map((member) => ({ value: member.user_id, label: member.display_name }));
  // Organization owners and admins manage workspaces they are not members of: still name them.
  if (me && !memberOptions.some((option) => option.value === me.id)) {
    memberOptions.unshift({ value: me.id, label: me.display_name });
  }
  const keyOptions = (keys.data ?? []).map((key) => ({ value: key.id, label: `API key “${key.name}”` }));
  const names = new Map([...memberOptions, ...keyOptions].map((option) => [option.value, option.label]));
  return {
    members: memberOptions,
    apiKeys: keyOptions,
    nameOf: (actor) => names.get(actor.id) ?? fallbackName(actor),
  };
}

function fallbackName(actor: AuditEvent["actor"]): string {
  if (actor.type === "system") return "System";
  const kind = actor.type === "api_key" ? "API key" : actor.type === "user" ? "User" : actor.type;
  // Ids are UUIDv7, whose leading digits are a timestamp shared by neighbours: show the end.
  return `${kind} …${actor.id.slice(-8)}`;
}
