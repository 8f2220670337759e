import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Checkbox, Code, Group, Modal, SimpleGrid, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Controller, FormProvider, useForm } from "react-hook-form";

import { applyFieldErrors } from "../../api/form-errors";
import { PERMISSION_LABELS } from "../../api/labels";
import type { FieldMessage } from "../../api/problem";
import type { ApiKeyCreated, Permission } from "../../api/types";
import { FormTextField } from "../../components/FormTextField";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ShownOnceSecret } from "../../components/ShownOnceSecret";
import { API_KEY_DEFAULTS, type ApiKeyFormValues, NAME_RULES, apiKeyFormSchema } from "./api-key-form";
import { useCreateApiKey } from "./queries";

export interface CreateApiKeyModalProps {
  workspaceId: string;
  /** The permissions the person may put on the key (see `grantablePermissions`). */
  grantable: readonly Permission[];
  opened: boolean;
  onClose: () => void;
}

/** Creates a key, then shows its secret once; closing the dialog drops the secret. */
export function CreateApiKeyModal({ workspaceId, grantable, opened, onClose }: CreateApiKeyModalProps) {
  // Held here only, never in a query cache: closing is the end of the secret in this browser.
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Create API key" size="lg" closeOnClickOutside={created === null}>
      {opened &&
        (created ? (
          <ApiKeySecret apiKey={created} onDone={close} />
        ) : (
          <CreateApiKeyForm workspaceId={workspaceId} grantable={grantable} onCreated={setCreated} onCancel={close} />
        ))}
    </Modal>
  );
}

interface CreateApiKeyFormProps {
  workspaceId: string;
  grantable: readonly Permission[];
  onCreated: (key: ApiKeyCreated) => void;
  onCancel: () => void;
}

function CreateApiKeyForm({ workspaceId, grantable, onCreated, onCancel }: CreateApiKeyFormProps) {
  const form = useForm<ApiKeyFormValues>({ resolver: zodResolver(apiKeyFormSchema), defaultValues: API_KEY_DEFAULTS });
  const create = useCreateApiKey(workspaceId);
  const [unplaced, setUnplaced] = useState<FieldMessage[] | null>(null);

  const onSubmit = async (values: ApiKeyFormValues) => {
    setUnplaced(null);
    try {
      const key = await create.mutateAsync({ name: values.name.trim(), permissions: values.permissions });
      notifications.show({ color: "green", message: `API key “${key.name}” created.` });
      onCreated(key);
    } catch (error) {
      setUnplaced(applyFieldErrors(error, form.setError, { fields: ["name", "permissions"] }));
    }
  };

  return (
    <FormProvider {...form}>
      <form onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="Create API key">
        <Stack>
          <FormTextField<ApiKeyFormValues>
            name="name"
            label="Name"
            rules={NAME_RULES}
            description="Say who uses it, e.g. “Newsletter sync”."
            autoComplete="off"
            required
          />
          <Controller
            control={form.control}
            name="permissions"
            render={({ field, fieldState }) => (
              <Checkbox.Group
                label="Permissions"
                description="What the key may do. Keys can never manage members or other keys."
                value={field.value}
                onChange={field.onChange}
                error={fieldState.error?.message}
                withAsterisk
              >
                <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
                  {grantable.map((permission) => (
                    <Checkbox
                      key={permission}
                      value={permission}
                      label={PERMISSION_LABELS[permission]}
                      description={<Code>{permission}</Code>}
                      onBlur={field.onBlur}
                    />
                  ))}
                </SimpleGrid>
              </Checkbox.Group>
            )}
          />
          {create.error && (
            <ProblemAlert
              error={create.error}
              title="The key was not created"
              message={unplaced?.length === 0 ? "Correct the fields marked above, then try again." : undefined}
              unplaced={unplaced ?? undefined}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={form.formState.isSubmitting}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}

function ApiKeySecret({ apiKey, onDone }: { apiKey: ApiKeyCreated; onDone: () => void }) {
  return (
    <Stack>
      <Text size="sm" role="status">
        API key “{apiKey.name}” is ready.
      </Text>
      <ShownOnceSecret label="API key secret" value={apiKey.secret} copyLabel="Copy secret" autoFocus>
        <Text size="sm">
          Store it in the system that will call Brandflow and send it as <Code>Authorization: Bearer …</Code>. Lost it?
          Revoke this key and create another.
        </Text>
      </ShownOnceSecret>
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}
