import { Button } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";

import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { usePermissions } from "../workspaces/queries";
import { ApiKeysTable } from "./ApiKeysTable";
import { grantablePermissions } from "./api-key-form";
import { CreateApiKeyModal } from "./CreateApiKeyModal";
import { apiKeysQuery } from "./queries";

const route = getRouteApi("/authed/w/$workspaceId/api-keys");

/** The workspace's API keys: create (the secret is shown once) and revoke. Needs api_keys:manage. */
export function ApiKeysPage() {
  const { workspaceId } = route.useParams();
  const query = useQuery(apiKeysQuery(workspaceId));
  const { can } = usePermissions(workspaceId);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const canManage = can("api_keys:manage");
  const createButton = canManage ? <Button onClick={openCreate}>Create API key</Button> : null;

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let other systems call the Brandflow API for this workspace, with the permissions you give them."
        actions={createButton}
      />
      <QueryState
        query={query}
        loadingLabel="Loading API keys"
        isEmpty={(keys) => keys.length === 0}
        empty={{ title: "No API keys yet", description: "Create one for each system that calls the API." }}
      >
        {(keys) => <ApiKeysTable workspaceId={workspaceId} keys={keys} />}
      </QueryState>
      {canManage && (
        <CreateApiKeyModal
          workspaceId={workspaceId}
          grantable={grantablePermissions(can)}
          opened={creating}
          onClose={closeCreate}
        />
      )}
    </>
  );
}
