import { Group, SegmentedControl, Select, TextInput, VisuallyHidden } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useId, useState } from "react";

import { CAMPAIGN_STATUS_LABELS, CHANNEL_LABELS } from "../../api/labels";
import { campaignStatusValues, channelValues } from "../../api/schema.gen";
import type { CampaignSearch, CampaignView } from "./search";

export const SEARCH_DEBOUNCE_MS = 300;

export interface CampaignFiltersProps {
  search: CampaignSearch;
  /** Called with the changed parameters; the list goes back to its first page. */
  onChange: (patch: Partial<CampaignSearch>) => void;
}

export function CampaignFilters({ search, onChange }: CampaignFiltersProps) {
  const [text, setText] = useState(search.q ?? "");
  const viewLabel = useId();
  // Typing updates the field at once and the URL (and so the request) once the person pauses.
  const commitSearch = useDebouncedCallback((q: string) => onChange({ q: q.trim() || undefined }), SEARCH_DEBOUNCE_MS);
  const view = search.view ?? "list";

  return (
    <Group align="flex-end" gap="sm" mb="md" wrap="wrap" role="search" aria-label="Filter campaigns">
      <TextInput
        type="search"
        label="Search"
        placeholder="Campaign name"
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          commitSearch(event.currentTarget.value);
        }}
        w={{ base: "100%", sm: 260 }}
      />
      {view === "list" && (
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={campaignStatusValues.map((status) => ({ value: status, label: CAMPAIGN_STATUS_LABELS[status] }))}
          value={search.status ?? null}
          onChange={(value) => onChange({ status: (value ?? undefined) as CampaignSearch["status"] })}
          w={{ base: "100%", sm: 180 }}
        />
      )}
      <Select
        label="Channel"
        placeholder="Any channel"
        clearable
        data={channelValues.map((channel) => ({ value: channel, label: CHANNEL_LABELS[channel] }))}
        value={search.channel ?? null}
        onChange={(value) => onChange({ channel: (value ?? undefined) as CampaignSearch["channel"] })}
        w={{ base: "100%", sm: 180 }}
      />
      <div role="group" aria-labelledby={viewLabel}>
        <VisuallyHidden id={viewLabel}>View</VisuallyHidden>
        <SegmentedControl
          value={view}
          onChange={(value) => onChange({ view: value === "board" ? "board" : undefined } satisfies { view?: CampaignView })}
          data={[
            { value: "list", label: "List" },
            { value: "board", label: "Board" },
          ]}
        />
      </div>
    </Group>
  );
}
