import { Alert, Badge, Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";

import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../lib/format";
import { meQuery, usePermissions, workspaceQuery } from "../workspaces/queries";
import { AISettingsForm } from "./AISettingsForm";
import { PromptTemplatesSection } from "./PromptTemplatesSection";
import { ProviderKeysSection } from "./ProviderKeysSection";
import { aiSettingsQuery, usableKeysQuery } from "./queries";

const route = getRouteApi("/authed/w/$workspaceId/ai-settings");

/**
 * The workspace's AI settings and prompt templates (editors for ai_settings:manage, read-only
 * for everyone else), and for the organization's owners and admins its provider keys.
 */
export function AISettingsPage() {
  const { workspaceId } = route.useParams();
  const query = useQuery(aiSettingsQuery(workspaceId));
  const { can, isLoading } = usePermissions(workspaceId);
  const editable = can("ai_settings:manage");
  const keys = useQuery({ ...usableKeysQuery(workspaceId), enabled: editable });
  const settings = query.data?.data;

  return (
    <>
      <PageHeader
        title="AI settings"
        description={
          settings?.updated_at ? `Saved ${formatDateTime(settings.updated_at)}.` : "How drafts are checked and which models write them. Nothing has been saved yet."
        }
        meta={
          settings && (
            <Badge variant="outline" color="gray.7" tt="none">
              {settings.revision === 0 ? "Defaults" : `Revision ${settings.revision}`}
            </Badge>
          )
        }
      />
      <Stack gap="lg">
        <QueryState query={query} loadingLabel="Loading the AI settings">
          {(tagged) =>
            isLoading || (editable && keys.isPending) ? null : (
              <Stack>
                {!editable && (
                  <Alert color="gray" variant="light" title="Read only">
                    Your role can read the AI settings but not change them; managers keep them up to date.
                  </Alert>
                )}
                <AISettingsForm
                  key={workspaceId}
                  workspaceId={workspaceId}
                  latest={tagged}
                  refetch={async () => (await query.refetch()).data}
                  keys={editable ? (keys.data ?? []) : null}
                  readOnly={!editable}
                />
              </Stack>
            )
          }
        </QueryState>
        {!isLoading && <PromptTemplatesSection key={workspaceId} workspaceId={workspaceId} editable={editable} />}
        <OrganizationKeys workspaceId={workspaceId} />
      </Stack>
    </>
  );
}

function OrganizationKeys({ workspaceId }: { workspaceId: string }) {
  const { data: workspace } = useQuery(workspaceQuery(workspaceId));
  const { data: me } = useQuery(meQuery());
  const membership = me?.organizations.find((organization) => organization.organization_id === workspace?.organization_id);
  if (!membership || membership.role === "member") return null;
  return <ProviderKeysSection organizationId={membership.organization_id} organizationName={membership.organization_name} />;
}
