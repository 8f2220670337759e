import { Button, Group, Modal, Paper, PasswordInput, Select, Stack, Table, Text, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { isApiError, problemMessage } from "../../api/problem";
import { ProblemAlert } from "../../components/ProblemAlert";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../lib/format";
import { meQuery } from "../workspaces/queries";
import { PROVIDER_LABELS } from "./ai-settings-form";
import { type ProviderKey, providerKeysQuery, useCreateProviderKey, useDeleteProviderKey, useUpdateProviderKey } from "./queries";

const KEY_PROVIDERS = (["openai", "anthropic", "google"] as const).map((value) => ({ value, label: PROVIDER_LABELS[value] }));

/** The organization's provider keys, for its owners and admins. A key's text is write-only. */
export function ProviderKeysSection({ organizationId, organizationName }: { organizationId: string; organizationName: string }) {
  const query = useQuery(providerKeysQuery(organizationId));
  const [editing, setEditing] = useState<ProviderKey | "new" | null>(null);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="provider-keys-title">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} size="h3" id="provider-keys-title">
            Provider keys of {organizationName}
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Keys to model providers that every workspace of the organization may route to. They are stored encrypted and never shown again.
          </Text>
        </div>
        <Button onClick={() => setEditing("new")}>Add provider key</Button>
      </Group>
      <QueryState query={query} loadingLabel="Loading the provider keys">
        {(keys) =>
          keys.length === 0 ? (
            <Text size="sm">No provider keys yet.</Text>
          ) : (
            <Table aria-label="Provider keys" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Provider</Table.Th>
                  <Table.Th>Endpoint</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Rotated</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.map((key) => (
                  <KeyRow key={key.id} organizationId={organizationId} providerKey={key} onEdit={() => setEditing(key)} />
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? "Add provider key" : "Edit provider key"} size="lg">
        {editing !== null && <KeyForm organizationId={organizationId} existing={editing === "new" ? null : editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Paper>
  );
}

function KeyRow({ organizationId, providerKey, onEdit }: { organizationId: string; providerKey: ProviderKey; onEdit: () => void }) {
  const remove = useDeleteProviderKey(organizationId);
  const { data: me } = useQuery(meQuery());
  const onDelete = () => {
    if (!window.confirm(`Delete the provider key “${providerKey.name}”?`)) return;
    remove.mutate(providerKey.id, { onSuccess: () => notifications.show({ color: "green", message: `Provider key “${providerKey.name}” deleted.` }) });
  };
  return (
    <>
      <Table.Tr>
        <Table.Td>{providerKey.name}</Table.Td>
        <Table.Td>{PROVIDER_LABELS[providerKey.provider]}</Table.Td>
        <Table.Td>{providerKey.base_url ?? "Public API"}</Table.Td>
        <Table.Td>{providerKey.key_hint ? `…${providerKey.key_hint}` : "Hidden"}</Table.Td>
        <Table.Td>{formatDateTime(providerKey.rotated_at)}</Table.Td>
        <Table.Td>
          <Group gap="xs" justify="flex-end" wrap="nowrap">
            <Button size="compact-sm" variant="default" onClick={onEdit} aria-label={`Edit or rotate ${providerKey.name}`}>
              Edit or rotate
            </Button>
            <Button size="compact-sm" variant="subtle" color="red" onClick={onDelete} loading={remove.isPending} aria-label={`Delete ${providerKey.name}`}>
              Delete
            </Button>
          </Group>
        </Table.Td>
      </Table.Tr>
      {remove.error && (
        <Table.Tr>
          <Table.Td colSpan={6}>
            <Text size="sm" c="red.8" role="alert">
              {problemMessage(remove.error)}
              {inUseBy(remove.error, me?.workspaces ?? [])}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

/** The 409's `workspace_ids`, as the workspace names the person knows. */
function inUseBy(error: unknown, workspaces: { workspace_id: string; workspace_name: string }[]): string {
  if (!isApiError(error) || error.status !== 409) return "";
  const ids = (error.problem as { workspace_ids?: unknown }).workspace_ids;
  if (!Array.isArray(ids)) return "";
  const names = ids.map((id) => workspaces.find((w) => w.workspace_id === id)?.workspace_name ?? "a workspace you are not in");
  return names.length ? ` In use by: ${names.join(", ")}.` : "";
}

function KeyForm({ organizationId, existing, onDone }: { organizationId: string; existing: ProviderKey | null; onDone: () => void }) {
  const [name, setName] = useState(existing?.name ?? "");
  const [provider, setProvider] = useState<ProviderKey["provider"]>(existing?.provider ?? "openai");
  const [baseUrl, setBaseUrl] = useState(existing?.base_url ?? "");
  const [secret, setSecret] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useCreateProviderKey(organizationId);
  const update = useUpdateProviderKey(organizationId);
  const mutation = existing ? update : create;

  const onSubmit = async () => {
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = "Name the key, e.g. “OpenAI production”.";
    if (baseUrl.trim() && !/^https?:\/\/\S+$/.test(baseUrl.trim())) found.base_url = "Use an http(s) URL.";
    if (!existing && !secret.trim()) found.api_key = "Paste the key from the provider.";
    if (secret.trim() && !/^[\x21-\x7e]+$/.test(secret.trim())) found.api_key = "A key is printable ASCII without spaces.";
    setErrors(found);
    if (Object.keys(found).length) return;
    const apiKey = secret.trim() || null;
    try {
      if (existing) {
        await update.mutateAsync({ keyId: existing.id, body: { name: name.trim(), base_url: baseUrl.trim() || null, api_key: apiKey } });
      } else {
        await create.mutateAsync({ name: name.trim(), provider, base_url: baseUrl.trim() || null, api_key: apiKey ?? "" });
      }
      // The key text lives only in this form's state; closing drops it.
      setSecret("");
      notifications.show({ color: "green", message: existing ? `Provider key “${name.trim()}” saved.` : `Provider key “${name.trim()}” added.` });
      onDone();
    } catch (error) {
      if (isApiError(error)) {
        const fromApi: Record<string, string> = {};
        for (const e of error.errors) {
          const field = String(e.loc.at(-1));
          if (["name", "base_url", "api_key"].includes(field)) fromApi[field] = e.msg;
        }
        setErrors(fromApi);
      }
    }
  };

  return (
    <form
      aria-label={existing ? "Edit provider key" : "Add provider key"}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit();
      }}
    >
      <Stack>
        <TextInput label="Name" value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.name} withAsterisk autoComplete="off" />
        <Select
          label="Provider"
          data={KEY_PROVIDERS}
          value={provider}
          onChange={(value) => value && setProvider(value as ProviderKey["provider"])}
          allowDeselect={false}
          disabled={existing !== null}
          description={existing ? "A key's provider cannot change: add a new key instead." : "OpenAI-compatible covers OpenAI, Azure OpenAI, vLLM, Ollama and OpenRouter."}
        />
        <TextInput label="Endpoint" value={baseUrl} onChange={(event) => setBaseUrl(event.currentTarget.value)} error={errors.base_url} placeholder="The provider's public API" />
        <PasswordInput
          label={existing ? "New API key" : "API key"}
          description={existing ? `Leave empty to keep the stored key${existing.key_hint ? ` (…${existing.key_hint})` : ""}; a new one rotates it.` : "Stored encrypted; it is never shown again."}
          value={secret}
          onChange={(event) => setSecret(event.currentTarget.value)}
          error={errors.api_key}
          withAsterisk={!existing}
          autoComplete="new-password"
        />
        {mutation.error && Object.keys(errors).length === 0 && <ProblemAlert error={mutation.error} title="The key was not saved" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {existing ? "Save key" : "Add key"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
