import { Button, Checkbox, Group, SegmentedControl, Stack, TagsInput, Text, TextInput } from "@mantine/core";
import { useId, useState } from "react";

import { documentTypeValues, searchModeValues } from "../../api/schema.gen";
import { DOCUMENT_TYPE_LABELS, SEARCH_MODE_DESCRIPTIONS, SEARCH_MODE_LABELS } from "./labels";
import type { KnowledgeSearch } from "./search";
import { normaliseTags } from "./tags";
import type { DocumentType, SearchMode } from "./types";

export const QUERY_MAX_LENGTH = 1000;

export interface SearchFormProps {
  search: KnowledgeSearch;
  /** The new URL search, when the person searches. */
  onSearch: (search: KnowledgeSearch) => void;
}

/** Query, mode and filters. Searching puts them in the URL, so a search can be shared. */
export function SearchForm({ search, onSearch }: SearchFormProps) {
  const [query, setQuery] = useState(search.q ?? "");
  const [mode, setMode] = useState<SearchMode>(search.mode ?? "hybrid");
  const [tags, setTags] = useState<string[]>(search.tag ?? []);
  const [types, setTypes] = useState<DocumentType[]>(search.type ?? []);
  const [error, setError] = useState<string | null>(null);
  const modeLabel = useId();

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const q = query.trim();
    if (!q) {
      setError("Type what you are looking for.");
      return;
    }
    setError(null);
    onSearch({
      q,
      mode: mode === "hybrid" ? undefined : mode,
      tag: tags.length > 0 ? tags : undefined,
      type: types.length > 0 ? types : undefined,
    });
  };

  return (
    <form role="search" aria-label="Search knowledge" onSubmit={submit} noValidate>
      <Stack gap="sm" mb="lg">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            type="search"
            label="Search for"
            placeholder="e.g. weight of the TrailFlow 3"
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            maxLength={QUERY_MAX_LENGTH}
            error={error}
            withAsterisk
            aria-required
            style={{ flex: 1, minWidth: 240 }}
          />
          <Button type="submit">Search</Button>
        </Group>
        <Group align="flex-start" gap="lg" wrap="wrap">
          <Stack gap={4} role="group" aria-labelledby={modeLabel}>
            <Text size="sm" fw={500} id={modeLabel}>
              Match by
            </Text>
            <SegmentedControl
              value={mode}
              onChange={(value) => setMode(value as SearchMode)}
              data={searchModeValues.map((value) => ({ value, label: SEARCH_MODE_LABELS[value] }))}
            />
            <Text size="xs" c="dimmed">
              {SEARCH_MODE_DESCRIPTIONS[mode]}
            </Text>
          </Stack>
          <Checkbox.Group label="Document types" value={types} onChange={(value) => setTypes(value as DocumentType[])}>
            <Group gap="sm" mt={6}>
              {documentTypeValues.map((value) => (
                <Checkbox key={value} value={value} label={DOCUMENT_TYPE_LABELS[value]} />
              ))}
            </Group>
          </Checkbox.Group>
          <TagsInput
            label="Tags"
            description="Only documents with every tag"
            value={tags}
            onChange={(value) => setTags(normaliseTags(value))}
            splitChars={[",", " "]}
            clearable
            w={{ base: "100%", sm: 280 }}
          />
        </Group>
      </Stack>
    </form>
  );
}
