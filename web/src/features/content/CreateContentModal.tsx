import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Fieldset, Group, Modal, NativeSelect, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { FormProvider, useForm, useWatch } from "react-hook-form";

import { CHANNEL_LABELS } from "../../api/labels";
import type { FieldMessage } from "../../api/problem";
import type { Channel } from "../../api/types";
import { FormTextField } from "../../components/FormTextField";
import { AnchorLink } from "../../components/links";
import { ProblemAlert } from "../../components/ProblemAlert";
import { BodyFields } from "./BodyFields";
import { toBodyValues } from "./body-form";
import { correctionMessage, placeContentErrors } from "./body-errors";
import { type CreateFormValues, TITLE_MAX_LENGTH, createFormSchema, newContentValues, toContentCreate } from "./content-form";
import { type ContentScope, useCreateContent } from "./queries";

export interface CreateContentModalProps {
  scope: ContentScope;
  /** The campaign's channels: new content is written for one of them. */
  channels: readonly Channel[];
  opened: boolean;
  onClose: () => void;
}

export function CreateContentModal({ opened, onClose, ...rest }: CreateContentModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="New content" size="xl">
      {/* Mounted only while open, so each opening starts from an empty form. */}
      {opened && <CreateContentForm {...rest} onDone={onClose} />}
    </Modal>
  );
}

const TITLE_RULES = { minLength: 1, maxLength: TITLE_MAX_LENGTH };

export function CreateContentForm({ scope, channels, onDone }: Omit<CreateContentModalProps, "opened" | "onClose"> & { onDone: () => void }) {
  const form = useForm<CreateFormValues>({
    resolver: zodResolver(createFormSchema),
    // One channel: nothing to choose.
    defaultValues: newContentValues(channels.length === 1 ? (channels[0] ?? "") : ""),
  });
  const channel = useWatch({ control: form.control, name: "channel" });
  const create = useCreateContent(scope);
  const navigate = useNavigate();
  const [unplaced, setUnplaced] = useState<FieldMessage[] | null>(null);

  if (channels.length === 0) {
    return (
      <Stack>
        <Text size="sm">
          This campaign has no channels yet. Choose its channels in the{" "}
          <AnchorLink to="/w/$workspaceId/campaigns/$campaignId" params={scope} onClick={onDone}>
            campaign’s brief
          </AnchorLink>{" "}
          first.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }

  const onSubmit = async (values: CreateFormValues) => {
    if (values.channel === "") return; // the resolver has already refused this
    setUnplaced(null);
    try {
      const created = await create.mutateAsync(toContentCreate({ ...values, channel: values.channel }));
      notifications.show({ color: "green", message: `“${created.data.title}” created.` });
      onDone();
      await navigate({
        to: "/w/$workspaceId/campaigns/$campaignId/contents/$contentId",
        params: { ...scope, contentId: created.data.id },
      });
    } catch (error) {
      setUnplaced(placeContentErrors(error, form.setError, { channel: values.channel, otherFields: ["title", "channel"] }));
    }
  };

  const channelField = form.register("channel", {
    // Another channel has other fields: start its body blank.
    onChange: (event: { target: { value: string } }) => {
      const next = event.target.value as Channel | "";
      form.setValue("body", next ? toBodyValues(next) : {});
    },
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="New content">
        <Stack>
          <NativeSelect
            label="Channel"
            withAsterisk
            aria-required
            data={[
              { value: "", label: "Choose a channel", disabled: true },
              ...channels.map((value) => ({ value, label: CHANNEL_LABELS[value] })),
            ]}
            error={form.formState.errors.channel?.message}
            description="The campaign’s channels"
            {...channelField}
          />
          <FormTextField<CreateFormValues> name="title" label="Title" rules={TITLE_RULES} required description="Your team’s name for it" />
          {channel && (
            // Blog posts and landing pages have a "Title" of their own: the legend tells them apart.
            <Fieldset legend="First version">
              <BodyFields key={channel} channel={channel} />
            </Fieldset>
          )}
          {create.error && (
            <ProblemAlert
              error={create.error}
              title="The content was not created"
              message={correctionMessage(create.error, unplaced)}
              unplaced={unplaced ?? undefined}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={form.formState.isSubmitting}>
              Create content
            </Button>
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}
