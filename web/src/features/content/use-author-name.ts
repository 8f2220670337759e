import { useQuery } from "@tanstack/react-query";

import type { Version } from "../../api/types";
import { useSession } from "../../auth/session";
import { usePermissions } from "../workspaces/queries";
import { memberNamesQuery } from "./queries";

export type Author = Version["author"];

/**
 * Who wrote a version, as a person reads it. Names come from the member list when the person
 * may see it (members:read); otherwise a user is "A team member".
 */
export function useAuthorName(workspaceId: string): (author: Author) => string {
  const session = useSession();
  const { can } = usePermissions(workspaceId);
  const names = useQuery({ ...memberNamesQuery(workspaceId), enabled: can("members:read") }).data;
  return (author) => {
    switch (author.type) {
      case "user":
        if (author.id === session?.user.id) return "You";
        return names?.get(author.id) ?? "A team member";
      case "api_key":
        return "An API key";
      case "system":
        return "Brandflow";
      default:
        return author.type;
    }
  };
}
