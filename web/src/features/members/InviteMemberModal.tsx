import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { FormProvider, useForm } from "react-hook-form";

import { applyFieldErrors } from "../../api/form-errors";
import { WORKSPACE_ROLE_LABELS } from "../../api/labels";
import type { FieldMessage } from "../../api/problem";
import type { components } from "../../api/schema.gen";
import { FormTextField } from "../../components/FormTextField";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDateTime } from "../../lib/format";
import { INVITE_DEFAULTS, type InviteFormValues, inviteFormSchema } from "./invite-form";
import { useInviteMember } from "./queries";
import { RoleSelect } from "./RoleSelect";
import { ShownOnceSecret } from "../../components/ShownOnceSecret";

type InvitationCreated = components["schemas"]["InvitationCreated"];

export interface InviteMemberModalProps {
  workspaceId: string;
  opened: boolean;
  onClose: () => void;
}

/** Invites someone by email, then shows the invitation's token once. */
export function InviteMemberModal({ workspaceId, opened, onClose }: InviteMemberModalProps) {
  // Held here, not in a cache: closing the dialog is the end of the token in this browser.
  const [created, setCreated] = useState<InvitationCreated | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Invite member" closeOnClickOutside={created === null}>
      {opened &&
        (created ? (
          <InvitationToken invitation={created} onDone={close} />
        ) : (
          <InviteMemberForm workspaceId={workspaceId} onCreated={setCreated} onCancel={close} />
        ))}
    </Modal>
  );
}

interface InviteMemberFormProps {
  workspaceId: string;
  onCreated: (invitation: InvitationCreated) => void;
  onCancel: () => void;
}

function InviteMemberForm({ workspaceId, onCreated, onCancel }: InviteMemberFormProps) {
  const form = useForm<InviteFormValues>({ resolver: zodResolver(inviteFormSchema), defaultValues: INVITE_DEFAULTS });
  const invite = useInviteMember(workspaceId);
  const [unplaced, setUnplaced] = useState<FieldMessage[] | null>(null);

  const onSubmit = async (values: InviteFormValues) => {
    setUnplaced(null);
    try {
      const invitation = await invite.mutateAsync(values);
      notifications.show({ color: "green", message: `Invitation for ${invitation.email} created.` });
      onCreated(invitation);
    } catch (error) {
      setUnplaced(applyFieldErrors(error, form.setError, { fields: ["email", "role"] }));
    }
  };

  return (
    <FormProvider {...form}>
      <form onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="Invite member">
        <Stack>
          <FormTextField<InviteFormValues> name="email" label="Email" type="email" autoComplete="off" required />
          <RoleSelect
            label="Role"
            description="What the new member may do in this workspace. You can change it later."
            error={form.formState.errors.role?.message}
            {...form.register("role")}
          />
          {invite.error && (
            <ProblemAlert
              error={invite.error}
              title="The invitation was not created"
              message={unplaced?.length === 0 ? "Correct the fields marked above, then try again." : undefined}
              unplaced={unplaced ?? undefined}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={form.formState.isSubmitting}>
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}

function InvitationToken({ invitation, onDone }: { invitation: InvitationCreated; onDone: () => void }) {
  return (
    <Stack>
      <Text size="sm" role="status">
        {invitation.email} is invited as {WORKSPACE_ROLE_LABELS[invitation.role]}. The invitation expires{" "}
        {formatDateTime(invitation.expires_at)}.
      </Text>
      <ShownOnceSecret label="Invitation token" value={invitation.token} copyLabel="Copy token" autoFocus>
        <Text size="sm">
          Brandflow does not email invitations yet: send this token to {invitation.email} yourself. They join the
          workspace with it.
        </Text>
      </ShownOnceSecret>
      <Group justify="flex-end">
        <Button onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
