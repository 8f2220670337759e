import { Anchor, Button, Group } from "@mantine/core";
import { notifications } from "@mantine/notifications";

import { ConfirmButton } from "../../components/ConfirmButton";
import { problemMessage } from "../../api/problem";
import { isInProgress } from "./labels";
import { downloadUrl, useDeleteDocument, useReingestDocument } from "./queries";
import type { KnowledgeDocument } from "./types";

export interface DocumentActionsProps {
  workspaceId: string;
  document: KnowledgeDocument;
  canWrite: boolean;
  /** After the document is deleted, e.g. leave its page. */
  onDeleted?: () => void;
  size?: "xs" | "sm";
}

/** Download for everyone; re-ingest and delete for people who may change the library. */
export function DocumentActions({ workspaceId, document, canWrite, onDeleted, size = "xs" }: DocumentActionsProps) {
  const reingest = useReingestDocument(workspaceId);
  const remove = useDeleteDocument(workspaceId);
  const busy = isInProgress(document.status);
  return (
    <Group gap="xs" wrap="nowrap">
      <Anchor href={downloadUrl(workspaceId, document.id)} download={document.filename} size="sm" aria-label={`Download ${document.filename}`}>
        Download
      </Anchor>
      {canWrite && (
        <>
          <Button
            size={size}
            variant={document.status === "failed" ? "light" : "default"}
            loading={reingest.isPending}
            disabled={busy}
            onClick={() =>
              reingest.mutate(document.id, {
                onSuccess: () => notifications.show({ color: "green", message: `“${document.title}” is queued for indexing again.` }),
                onError: (error) => notifications.show({ color: "red", title: "Could not re-ingest", message: problemMessage(error) }),
              })
            }
            aria-label={`Re-ingest ${document.title}`}
          >
            Re-ingest
          </Button>
          <ConfirmButton
            size={size}
            aria-label={`Delete ${document.title}`}
            title={`Delete “${document.title}”?`}
            description="The document, its text and its search index are removed for everyone in this workspace. Content already written from it is not changed. This cannot be undone."
            confirmLabel="Delete document"
            errorTitle="The document was not deleted"
            onConfirm={async () => {
              await remove.mutateAsync(document.id);
              notifications.show({ color: "green", message: `“${document.title}” was deleted.` });
              onDeleted?.();
            }}
          >
            Delete
          </ConfirmButton>
        </>
      )}
    </Group>
  );
}
