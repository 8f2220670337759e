import { AnchorLink } from "../../components/links";
import { PageBreadcrumbs } from "../../components/PageBreadcrumbs";
import type { ContentScope } from "./queries";

export interface ContentBreadcrumbsProps {
  scope: ContentScope;
  campaignName: string | undefined;
  /** The content item, on its own screens below the list (e.g. the history). */
  item?: { id: string; title: string | undefined };
  /** This screen's name. */
  current: string;
  /** True on the content list itself, which then is `current` rather than a link. */
  isList?: boolean;
}

/** Campaigns › the campaign › Content [› the item] › this screen. */
export function ContentBreadcrumbs({ scope: { workspaceId, campaignId }, campaignName, item, current, isList = false }: ContentBreadcrumbsProps) {
  const trail = [
    <AnchorLink key="campaigns" to="/w/$workspaceId/campaigns" params={{ workspaceId }} size="sm">
      Campaigns
    </AnchorLink>,
    <AnchorLink key="campaign" to="/w/$workspaceId/campaigns/$campaignId" params={{ workspaceId, campaignId }} size="sm">
      {campaignName ?? "Campaign"}
    </AnchorLink>,
  ];
  if (!isList) {
    trail.push(
      <AnchorLink key="contents" to="/w/$workspaceId/campaigns/$campaignId/contents" params={{ workspaceId, campaignId }} size="sm">
        Content
      </AnchorLink>,
    );
  }
  if (item) {
    trail.push(
      <AnchorLink
        key="item"
        to="/w/$workspaceId/campaigns/$campaignId/contents/$contentId"
        params={{ workspaceId, campaignId, contentId: item.id }}
        size="sm"
      >
        {item.title ?? "Content item"}
      </AnchorLink>,
    );
  }
  return <PageBreadcrumbs trail={trail} current={current} />;
}
