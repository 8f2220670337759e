import { Group, Select, TagsInput, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useState } from "react";

import { documentStatusValues, documentTypeValues } from "../../api/schema.gen";
import { DOCUMENT_STATUS_LABELS, DOCUMENT_TYPE_LABELS } from "./labels";
import type { LibrarySearch } from "./search";
import { normaliseTags } from "./tags";

export const SEARCH_DEBOUNCE_MS = 300;

export interface LibraryFiltersProps {
  search: LibrarySearch;
  /** Called with the changed parameters; the list goes back to its first page. */
  onChange: (patch: Partial<LibrarySearch>) => void;
}

export function LibraryFilters({ search, onChange }: LibraryFiltersProps) {
  const [text, setText] = useState(search.q ?? "");
  // Typing updates the field at once and the URL (and so the request) once the person pauses.
  const commitText = useDebouncedCallback((q: string) => onChange({ q: q.trim() || undefined }), SEARCH_DEBOUNCE_MS);
  return (
    <Group align="flex-end" gap="sm" mb="md" wrap="wrap" role="search" aria-label="Filter documents">
      <TextInput
        type="search"
        label="Find"
        placeholder="Title or file name"
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          commitText(event.currentTarget.value);
        }}
        w={{ base: "100%", sm: 240 }}
      />
      <Select
        label="Status"
        placeholder="Any status"
        clearable
        data={documentStatusValues.map((value) => ({ value, label: DOCUMENT_STATUS_LABELS[value] }))}
        value={search.status ?? null}
        onChange={(value) => onChange({ status: (value ?? undefined) as LibrarySearch["status"] })}
        w={{ base: "100%", sm: 160 }}
      />
      <Select
        label="Type"
        placeholder="Any type"
        clearable
        data={documentTypeValues.map((value) => ({ value, label: DOCUMENT_TYPE_LABELS[value] }))}
        value={search.type ?? null}
        onChange={(value) => onChange({ type: (value ?? undefined) as LibrarySearch["type"] })}
        w={{ base: "100%", sm: 160 }}
      />
      <TagsInput
        label="Tags"
        placeholder={search.tag?.length ? undefined : "Has every tag"}
        value={search.tag ?? []}
        onChange={(value) => {
          const tags = normaliseTags(value);
          onChange({ tag: tags.length > 0 ? tags : undefined });
        }}
        splitChars={[",", " "]}
        clearable
        w={{ base: "100%", sm: 280 }}
      />
    </Group>
  );
}
