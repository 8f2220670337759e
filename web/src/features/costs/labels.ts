// What a usage group is called on screen: a campaign's name, a member's name, a task in words.
import { useQuery } from "@tanstack/react-query";

import { useSession } from "../../auth/session";
import { memberNamesQuery } from "../content/queries";
import { usePermissions } from "../workspaces/queries";
import { campaignNamesQuery } from "./queries";
import type { GroupBy, UsageGroup } from "./types";

/** The ledger's tasks (finops `Task`); an unknown one reads as itself. */
export const TASK_LABELS: Record<string, string> = {
  generate: "Generate",
  rewrite: "Rewrite",
  check: "Compliance check",
  embed: "Embeddings",
  search: "Search",
};

export const GROUP_TITLES: Record<Exclude<GroupBy, "day">, string> = {
  model: "By model",
  campaign: "By campaign",
  user: "By person",
  task: "By task",
};

export const GROUP_COLUMN: Record<Exclude<GroupBy, "day">, string> = {
  model: "Model",
  campaign: "Campaign",
  user: "Who",
  task: "Task",
};

export interface Directory {
  campaignName: (id: string) => string;
  userName: (id: string) => string;
}

const shortId = (id: string) => id.slice(0, 8);

/** Names of the workspace's campaigns and members, as far as the person may read them. */
export function useDirectory(workspaceId: string): Directory {
  const session = useSession();
  const { can } = usePermissions(workspaceId);
  const campaigns = useQuery({ ...campaignNamesQuery(workspaceId), enabled: can("campaigns:read") }).data;
  const members = useQuery({ ...memberNamesQuery(workspaceId), enabled: can("members:read") }).data;
  return {
    campaignName: (id) => campaigns?.find((campaign) => campaign.id === id)?.name ?? `Campaign ${shortId(id)}`,
    userName: (id) => (id === session?.user.id ? "You" : (members?.get(id) ?? "A team member")),
  };
}

/** A group's label: `key` is the model, campaign id (null: none), actor id or task. */
export function groupLabel(groupBy: Exclude<GroupBy, "day">, group: UsageGroup, directory: Directory): string {
  const key = group.key;
  switch (groupBy) {
    case "model":
      return key ? (group.provider ? `${key} (${group.provider})` : key) : "Unknown model";
    case "campaign":
      return key ? directory.campaignName(key) : "No campaign";
    case "task":
      return key ? (TASK_LABELS[key] ?? key) : "Unknown task";
    case "user":
      if (group.actor_type === "api_key") return key ? `API key ${shortId(key)}` : "An API key";
      if (group.actor_type === "system") return "Brandflow (background work)";
      return key ? directory.userName(key) : "Unknown";
  }
}
