import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, Modal, Stack } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { FormProvider, useForm } from "react-hook-form";

import { applyFieldErrors } from "../../api/form-errors";
import type { FieldMessage } from "../../api/problem";
import { ProblemAlert } from "../../components/ProblemAlert";
import { CampaignBriefFields } from "./CampaignBriefFields";
import { type CampaignFormValues, campaignErrorField, campaignFormSchema, toCampaignCreate, toFormValues } from "./campaign-form";
import { useCreateCampaign } from "./queries";

const CREATE_STATUSES = ["planned", "active"] as const;

export interface CreateCampaignModalProps {
  workspaceId: string;
  opened: boolean;
  onClose: () => void;
}

export function CreateCampaignModal({ workspaceId, opened, onClose }: CreateCampaignModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="New campaign" size="lg">
      {/* Mounted only while open, so each opening starts from an empty form. */}
      {opened && <CreateCampaignForm workspaceId={workspaceId} onDone={onClose} />}
    </Modal>
  );
}

export function CreateCampaignForm({ workspaceId, onDone }: { workspaceId: string; onDone: () => void }) {
  const form = useForm<CampaignFormValues>({
    resolver: zodResolver(campaignFormSchema),
    defaultValues: toFormValues(),
  });
  const create = useCreateCampaign(workspaceId);
  const navigate = useNavigate();
  const [unplaced, setUnplaced] = useState<FieldMessage[] | null>(null);

  const onSubmit = async (values: CampaignFormValues) => {
    setUnplaced(null);
    try {
      const created = await create.mutateAsync(toCampaignCreate(values));
      notifications.show({ color: "green", message: `Campaign “${created.data.name}” created.` });
      onDone();
      await navigate({
        to: "/w/$workspaceId/campaigns/$campaignId",
        params: { workspaceId, campaignId: created.data.id },
      });
    } catch (error) {
      setUnplaced(applyFieldErrors(error, form.setError, { toField: campaignErrorField }));
    }
  };

  return (
    <FormProvider {...form}>
      <form onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="New campaign">
        <Stack>
          <CampaignBriefFields statuses={CREATE_STATUSES} />
          {create.error && (
            <ProblemAlert
              error={create.error}
              title="The campaign was not created"
              message={unplaced?.length === 0 ? "Correct the fields marked above, then try again." : undefined}
              unplaced={unplaced ?? undefined}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={form.formState.isSubmitting}>
              Create campaign
            </Button>
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}
