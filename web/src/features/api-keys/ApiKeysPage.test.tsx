import { createMemoryHistory } from "@tanstack/react-router";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import { permissionValues } from "../../api/schema.gen";
import type { ApiKey, Permission } from "../../api/types";
import { seriousViolations } from "../../test/axe";
import { installFakeApi, json, problem } from "../../test/fake-api";
import { grantablePermissions } from "./api-key-form";

const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
const SECRET = "bf_live_abcdef_this-is-the-secret";
const owner = { id: "00000000-0000-4000-8000-000000000001", email: "owner@northwind.example", display_name: "Olivia Owner" };

function apiKey(name: string, overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: `key-${name}`,
    workspace_id: WORKSPACE,
    name,
    prefix: `bf_${name.slice(0, 4).toLowerCase()}`,
    permissions: ["campaigns:read"],
    created_at: "2030-01-01T00:00:00Z",
    last_used_at: null,
    revoked_at: null,
    ...overrides,
  };
}

/** A workspace manager's view: one key; creating adds one, revoking marks it revoked. */
function backend(initial: ApiKey[] = [apiKey("Newsletter sync")]) {
  const keys = [...initial];
  const fake = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user: owner, csrf_token: "csrf-1", expires_at: "2999-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () => json({ user: owner, organizations: [], workspaces: [] }))
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: "o1", name: "Acme", slug: "acme", role: "manager", permissions: permissionValues, created_at: "2030-01-01T00:00:00Z" }),
    )
    .on("GET /api/v1/workspaces/{id}/api-keys", () => json(keys))
    .on("POST /api/v1/workspaces/{id}/api-keys", async (request) => {
      const body = (await request.json()) as { name: string; permissions: Permission[] };
      const created = apiKey(body.name, { permissions: body.permissions });
      keys.push(created);
      return json({ ...created, secret: SECRET }, { status: 201, headers: { "Cache-Control": "no-store" } });
    })
    .on("DELETE /api/v1/workspaces/{id}/api-keys/{id}", (_request, match) => {
      const key = keys.find((item) => item.id === decodeURIComponent(match[2] ?? ""));
      if (key) key.revoked_at = "2030-02-01T00:00:00Z";
      return new Response(null, { status: 204 });
    });
  return fake;
}

// Each test boots the whole app (session, workspace, lazy screens) on a 2-core machine that may
// be busy: wait longer than the defaults before calling a test failed.
configure({ asyncUtilTimeout: 4000 });
const SLOW = { timeout: 20_000 };

// The router loads screens lazily; load them once up front so no test spends its wait on that.
beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./ApiKeysPage")]);
});

function renderAt(path: string) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  const result = render(<App app={app} />);
  return { app, ...result };
}

describe("grantablePermissions", () => {
  it("never offers member or key management, nor what the creator lacks", () => {
    expect(grantablePermissions(() => true)).toEqual([
      "workspace:read",
      "members:read",
      "campaigns:read",
      "campaigns:write",
      "content:read",
      "content:write",
      "audit:read",
      "brand_kit:read",
      "brand_kit:write",
      "knowledge:read",
      "knowledge:write",
      "usage:read",
      "budgets:manage",
      "ai:generate",
      "ai_settings:manage",
    ]);
    const held = new Set<Permission>(["workspace:read", "campaigns:read", "api_keys:manage"]);
    expect(grantablePermissions((permission) => held.has(permission))).toEqual(["workspace:read", "campaigns:read"]);
  });
});

describe("API keys", SLOW, () => {
  it("creates a key and shows its secret once, then forgets it", async () => {
    // setup() stands in a clipboard, so the Copy button can be checked.
    const user = userEvent.setup();
    const fake = backend();
    const { app } = renderAt(`/w/${WORKSPACE}/api-keys`);

    await user.click(await screen.findByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    expect(within(dialog).queryByRole("checkbox", { name: "Manage members" })).not.toBeInTheDocument();
    expect(within(dialog).queryByRole("checkbox", { name: "Manage API keys" })).not.toBeInTheDocument();
    await user.type(within(dialog).getByRole("textbox", { name: /^Name/ }), "CMS export");
    await user.click(within(dialog).getByRole("checkbox", { name: "Read campaigns" }));
    await user.click(within(dialog).getByRole("checkbox", { name: "Read content" }));
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));

    const secret = await within(dialog).findByRole("textbox", { name: "API key secret" });
    expect(secret).toHaveValue(SECRET);
    expect(secret).toHaveAttribute("readonly");
    expect(within(dialog).getByText(/shown only once/)).toBeInTheDocument();
    const post = fake.requests.find((request) => request.method === "POST");
    expect(await post?.json()).toEqual({ name: "CMS export", permissions: ["campaigns:read", "content:read"] });
    expect(await screen.findByRole("rowheader", { name: "CMS export" })).toBeInTheDocument();

    await user.click(within(dialog).getByRole("button", { name: "Copy secret" }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    await user.click(within(dialog).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(document.body).not.toHaveTextContent(SECRET);
    const cached = JSON.stringify([
      app.queryClient.getQueryCache().getAll().map((query) => query.state),
      app.queryClient.getMutationCache().getAll().map((mutation) => mutation.state),
    ]);
    expect(cached).toContain("CMS export");
    expect(cached).not.toContain(SECRET);

    await user.click(screen.getByRole("button", { name: "Create API key" }));
    const again = await screen.findByRole("dialog", { name: "Create API key" });
    expect(within(again).queryByRole("textbox", { name: "API key secret" })).not.toBeInTheDocument();
    expect(within(again).getByRole("textbox", { name: /^Name/ })).toHaveValue("");
  });

  it("asks for a name and a permission before calling the API", async () => {
    const fake = backend();
    renderAt(`/w/${WORKSPACE}/api-keys`);

    await userEvent.click(await screen.findByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Create key" }));

    expect(await within(dialog).findByText("Give the key a name, e.g. the system that will use it.")).toBeInTheDocument();
    expect(within(dialog).getByText("Choose at least one permission.")).toBeInTheDocument();
    expect(fake.requests.some((request) => request.method === "POST")).toBe(false);
  });

  it("shows the API's reason when the key is refused", async () => {
    backend().on("POST /api/v1/workspaces/{id}/api-keys", () =>
      problem(422, "Unprocessable", "An API key cannot hold permissions its creator lacks."),
    );
    renderAt(`/w/${WORKSPACE}/api-keys`);

    await userEvent.click(await screen.findByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    await userEvent.type(within(dialog).getByRole("textbox", { name: /^Name/ }), "Too strong");
    await userEvent.click(within(dialog).getByRole("checkbox", { name: "Read the audit log" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Create key" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("An API key cannot hold permissions its creator lacks.");
    expect(within(dialog).queryByRole("textbox", { name: "API key secret" })).not.toBeInTheDocument();
  });

  it("revokes a key after confirming", async () => {
    const fake = backend();
    renderAt(`/w/${WORKSPACE}/api-keys`);

    await userEvent.click(await screen.findByRole("button", { name: "Revoke Newsletter sync" }));
    const dialog = await screen.findByRole("dialog", { name: "Revoke “Newsletter sync”?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Revoke key" }));

    expect(await screen.findByText("API key “Newsletter sync” revoked.")).toBeInTheDocument();
    const row = screen.getByRole("rowheader", { name: "Newsletter sync" }).closest("tr");
    expect(await within(row as HTMLElement).findByText("Revoked")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Revoke Newsletter sync" })).not.toBeInTheDocument();
    const revoke = fake.requests.find((request) => request.method === "DELETE");
    expect(revoke?.headers.get("X-CSRF-Token")).toBe("csrf-1");
  });

  it("says so when there are no keys", async () => {
    backend([]);
    renderAt(`/w/${WORKSPACE}/api-keys`);
    expect(await screen.findByRole("heading", { name: "No API keys yet" })).toBeInTheDocument();
  });

  it("shows the problem's detail when the keys cannot be read", async () => {
    backend().on("GET /api/v1/workspaces/{id}/api-keys", () =>
      problem(403, "Permission denied", "Only workspace managers can manage API keys."),
    );
    renderAt(`/w/${WORKSPACE}/api-keys`);
    expect(await screen.findByRole("alert")).toHaveTextContent("Only workspace managers can manage API keys.");
  });

  it("has no serious accessibility violations, with the create dialog open too", async () => {
    backend([apiKey("Newsletter sync"), apiKey("Old", { revoked_at: "2030-01-05T00:00:00Z" })]);
    const { container } = renderAt(`/w/${WORKSPACE}/api-keys`);
    await screen.findByRole("button", { name: "Revoke Newsletter sync" });
    expect(await seriousViolations(container)).toEqual([]);

    await userEvent.click(screen.getByRole("button", { name: "Create API key" }));
    expect(await seriousViolations(await screen.findByRole("dialog", { name: "Create API key" }))).toEqual([]);
  });
});
