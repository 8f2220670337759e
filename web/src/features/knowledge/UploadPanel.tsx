import { Button, FileButton, Paper, Stack, TagsInput, Text, Title } from "@mantine/core";
import { useId, useState } from "react";

import { TAG_RULES, normaliseTags } from "./tags";
import { UploadList } from "./UploadList";
import { ACCEPTED_EXTENSIONS, MAX_UPLOAD_BYTES } from "./upload";
import { useUploadQueue } from "./use-upload-queue";

/**
 * Drop files here or pick them; each uploads with its own progress bar and outcome. The tags
 * entered go on every file of the next drop or pick.
 */
export function UploadPanel({ workspaceId }: { workspaceId: string }) {
  const queue = useUploadQueue(workspaceId);
  const [tags, setTags] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const headingId = useId();
  const hintId = useId();

  const addFiles = (files: readonly File[]) => {
    if (files.length > 0) queue.add(files, normaliseTags(tags));
  };

  return (
    <Paper withBorder p="md" radius="md" mb="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={headingId}>
          Upload documents
        </Title>
        <div
          onDragEnter={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragOver={(event) => {
            event.preventDefault();
            event.dataTransfer.dropEffect = "copy";
          }}
          onDragLeave={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
          }}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            addFiles(Array.from(event.dataTransfer.files));
          }}
          data-testid="upload-drop-zone"
          style={{
            border: `2px dashed var(--mantine-color-${dragging ? "blue-6" : "gray-4"})`,
            borderRadius: "var(--mantine-radius-md)",
            background: dragging ? "var(--mantine-color-blue-0)" : undefined,
            padding: "var(--mantine-spacing-lg)",
          }}
        >
          <Stack align="center" gap="xs">
            <Text fw={600}>Drag files here</Text>
            <FileButton onChange={addFiles} accept={ACCEPTED_EXTENSIONS.join(",")} multiple>
              {(props) => (
                <Button {...props} variant="light" aria-describedby={hintId}>
                  Choose files
                </Button>
              )}
            </FileButton>
            <Text size="sm" c="dimmed" id={hintId} ta="center">
              Text, Markdown, HTML, PDF or Word (.docx), up to {MAX_UPLOAD_BYTES / 1024 / 1024} MB each. The same file twice is
              refused.
            </Text>
          </Stack>
        </div>
        <TagsInput
          label="Tags for the next upload"
          description="Press Enter or comma after each tag; they go on every file you add next."
          value={tags}
          onChange={(value) => setTags(normaliseTags(value))}
          maxTags={TAG_RULES.maxTags}
          splitChars={[",", " "]}
          clearable
          w={{ base: "100%", sm: 420 }}
        />
        <UploadList queue={queue} workspaceId={workspaceId} />
      </Stack>
    </Paper>
  );
}
