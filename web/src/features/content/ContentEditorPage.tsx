import { Badge } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { Suspense, lazy, useRef, useState } from "react";

import { CHANNEL_LABELS } from "../../api/labels";
import { ButtonLink } from "../../components/links";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { campaignQuery } from "../campaigns/queries";
import { usePermissions } from "../workspaces/queries";
import { ContentBreadcrumbs } from "./ContentBreadcrumbs";
import { ContentEditorForm } from "./ContentEditorForm";
import { contentQuery } from "./queries";

const route = getRouteApi("/authed/w/$workspaceId/campaigns/$campaignId/contents/$contentId");

// The AI studio is its own chunk: the editor paints without waiting for it.
const StudioPanel = lazy(() => import("../studio/StudioPanel").then((module) => ({ default: module.StudioPanel })));

/** One content item: its current version in a form generated for its channel. */
export function ContentEditorPage() {
  const { workspaceId, campaignId, contentId } = route.useParams();
  const scope = { workspaceId, campaignId };
  const query = useQuery(contentQuery(scope, contentId));
  const campaign = useQuery(campaignQuery(workspaceId, campaignId)).data?.data;
  const { can } = usePermissions(workspaceId);
  const item = query.data?.data;
  const archived = campaign?.status === "archived";
  // Read only until the campaign is known: an archived campaign's content cannot change.
  const editable = can("content:write") && campaign !== undefined && !archived;
  // The studio writes versions; the form then starts again from the new current one, unless the
  // person has unsaved edits: those stay, and saving them meets the usual 412 and its choices.
  const [formRevision, setFormRevision] = useState(0);
  const formDirty = useRef(false);
  const onVersionsChanged = () => {
    if (!formDirty.current) setFormRevision((revision) => revision + 1);
  };

  return (
    <>
      <PageHeader
        title={item?.title ?? "Content"}
        meta={
          item && (
            <>
              <Badge variant="light">{CHANNEL_LABELS[item.channel]}</Badge>
              <Badge variant="outline" color="gray">
                Version {item.current_version}
              </Badge>
            </>
          )
        }
        breadcrumbs={<ContentBreadcrumbs scope={scope} campaignName={campaign?.name} current={item?.title ?? "Content"} />}
        actions={
          <ButtonLink
            to="/w/$workspaceId/campaigns/$campaignId/contents/$contentId/versions"
            params={{ workspaceId, campaignId, contentId }}
            variant="light"
          >
            History
          </ButtonLink>
        }
      />
      <QueryState query={query} loadingLabel="Loading the content">
        {(tagged) => (
          <>
            <ContentEditorForm
              key={`${contentId}:${formRevision}`}
              scope={scope}
              latest={tagged}
              refetch={async () => (await query.refetch()).data}
              editable={editable}
              readOnlyReason={archived ? "This campaign is archived; its content can no longer change." : undefined}
              onDirtyChange={(dirty) => {
                formDirty.current = dirty;
              }}
            />
            <Suspense fallback={null}>
              <StudioPanel scope={scope} item={tagged} editable={editable} onVersionsChanged={onVersionsChanged} />
            </Suspense>
          </>
        )}
      </QueryState>
    </>
  );
}
