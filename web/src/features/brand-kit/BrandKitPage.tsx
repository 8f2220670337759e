import { Alert, Badge, Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";

import { ButtonLink } from "../../components/links";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../lib/format";
import { useAuthorName } from "../content/use-author-name";
import { usePermissions } from "../workspaces/queries";
import { BrandKitForm } from "./BrandKitForm";
import { BrandKitView } from "./BrandKitView";
import { brandKitQuery } from "./queries";
import type { BrandKit } from "./types";

const route = getRouteApi("/authed/w/$workspaceId/brand-kit");

/** The workspace's brand kit: an editor for managers, a read-only view for everyone else. */
export function BrandKitPage() {
  const { workspaceId } = route.useParams();
  const query = useQuery(brandKitQuery(workspaceId));
  const { can } = usePermissions(workspaceId);
  const editable = can("brand_kit:write");
  const kit = query.data?.data;

  return (
    <>
      <PageHeader
        title="Brand kit"
        description={kit && <SavedBy workspaceId={workspaceId} kit={kit} />}
        meta={
          kit && (
            <Badge variant="outline" color="gray.7" tt="none">
              {kit.version === 0 ? "Not saved yet" : `Version ${kit.version}`}
            </Badge>
          )
        }
        actions={
          kit && kit.version > 0 ? (
            <ButtonLink to="/w/$workspaceId/brand-kit/versions" params={{ workspaceId }} variant="light">
              Version history
            </ButtonLink>
          ) : null
        }
      />
      <QueryState query={query} loadingLabel="Loading the brand kit">
        {(tagged) =>
          editable ? (
            <BrandKitForm key={workspaceId} workspaceId={workspaceId} latest={tagged} refetch={async () => (await query.refetch()).data} />
          ) : (
            <Stack>
              <Alert color="gray" variant="light" title="Read only">
                Your role can read the brand kit but not change it; managers keep it up to date.
              </Alert>
              <BrandKitView kit={tagged.data} />
            </Stack>
          )
        }
      </QueryState>
    </>
  );
}

function SavedBy({ workspaceId, kit }: { workspaceId: string; kit: BrandKit }) {
  const authorName = useAuthorName(workspaceId);
  if (kit.version === 0 || !kit.updated_at) return <>The voice and rules every draft in this workspace follows. Nothing has been saved yet.</>;
  return (
    <>
      Saved {formatDateTime(kit.updated_at)}
      {kit.updated_by ? ` by ${authorName(kit.updated_by)}` : ""}.
    </>
  );
}
