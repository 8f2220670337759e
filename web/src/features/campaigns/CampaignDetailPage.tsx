import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";

import { AnchorLink, ButtonLink } from "../../components/links";
import { PageBreadcrumbs } from "../../components/PageBreadcrumbs";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { usePermissions } from "../workspaces/queries";
import { ArchiveCampaignButton } from "./ArchiveCampaignButton";
import { CampaignBriefForm } from "./CampaignBriefForm";
import { CampaignStatusBadge } from "./CampaignStatusBadge";
import { campaignQuery } from "./queries";

const route = getRouteApi("/authed/w/$workspaceId/campaigns/$campaignId");

export function CampaignDetailPage() {
  const { workspaceId, campaignId } = route.useParams();
  const query = useQuery(campaignQuery(workspaceId, campaignId));
  const { can } = usePermissions(workspaceId);
  const campaign = query.data?.data;
  const editable = can("campaigns:write") && campaign !== undefined && campaign.status !== "archived";

  return (
    <>
      <PageHeader
        title={campaign?.name ?? "Campaign"}
        breadcrumbs={
          <PageBreadcrumbs
            trail={[
              <AnchorLink key="campaigns" to="/w/$workspaceId/campaigns" params={{ workspaceId }} size="sm">
                Campaigns
              </AnchorLink>,
            ]}
            current={campaign?.name ?? "Campaign"}
          />
        }
        meta={campaign && <CampaignStatusBadge status={campaign.status} />}
        actions={
          campaign && (
            <>
              <ButtonLink
                to="/w/$workspaceId/campaigns/$campaignId/contents"
                params={{ workspaceId, campaignId }}
                variant="light"
              >
                Content
              </ButtonLink>
              {editable && <ArchiveCampaignButton workspaceId={workspaceId} campaign={campaign} />}
            </>
          )
        }
      />
      <QueryState query={query} loadingLabel="Loading the campaign">
        {(tagged) => (
          <CampaignBriefForm
            key={campaignId}
            workspaceId={workspaceId}
            latest={tagged}
            refetch={async () => (await query.refetch()).data}
            editable={editable}
          />
        )}
      </QueryState>
    </>
  );
}
