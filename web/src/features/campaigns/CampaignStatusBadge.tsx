import { Badge } from "@mantine/core";

import { CAMPAIGN_STATUS_COLORS, CAMPAIGN_STATUS_LABELS } from "../../api/labels";
import type { CampaignStatus } from "../../api/types";

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return (
    // Outline on white keeps 4.5:1 contrast at badge size (the light variant does not), and the
    // label never truncates: it is the status, not decoration.
    <Badge color={CAMPAIGN_STATUS_COLORS[status]} variant="outline" style={{ flexShrink: 0, overflow: "visible" }} miw="fit-content">
      {CAMPAIGN_STATUS_LABELS[status]}
    </Badge>
  );
}
