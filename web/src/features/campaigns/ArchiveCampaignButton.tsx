import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";

import type { Campaign } from "../../api/types";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useArchiveCampaign } from "./queries";

/** Archiving is final, so it asks first. */
export function ArchiveCampaignButton({ workspaceId, campaign }: { workspaceId: string; campaign: Campaign }) {
  const [opened, { open, close }] = useDisclosure(false);
  const archive = useArchiveCampaign(workspaceId, campaign.id);

  const confirm = () =>
    archive.mutate(undefined, {
      onSuccess: () => {
        close();
        notifications.show({ color: "green", message: `Campaign “${campaign.name}” archived.` });
      },
    });

  return (
    <>
      <Button variant="default" color="red" onClick={open}>
        Archive
      </Button>
      <Modal opened={opened} onClose={close} title="Archive this campaign?">
        <Stack>
          <Text size="sm">
            “{campaign.name}” and its content will be read-only from now on. Archiving cannot be undone.
          </Text>
          {archive.error && <ProblemAlert error={archive.error} title="The campaign was not archived" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" onClick={confirm} loading={archive.isPending}>
              Archive campaign
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
