import { Badge, Loader } from "@mantine/core";

import { DOCUMENT_STATUS_COLORS, DOCUMENT_STATUS_LABELS, isInProgress } from "./labels";
import type { DocumentStatus } from "./types";

export function DocumentStatusBadge({ status }: { status: DocumentStatus }) {
  return (
    // Outline on white keeps 4.5:1 contrast at badge size, as the campaign status does.
    <Badge
      color={DOCUMENT_STATUS_COLORS[status]}
      variant="outline"
      style={{ flexShrink: 0, overflow: "visible" }}
      miw="fit-content"
      leftSection={isInProgress(status) ? <Loader size={10} color={DOCUMENT_STATUS_COLORS[status]} aria-hidden="true" /> : undefined}
    >
      {DOCUMENT_STATUS_LABELS[status]}
    </Badge>
  );
}
