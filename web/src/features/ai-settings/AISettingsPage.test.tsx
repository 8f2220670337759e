import { createMemoryHistory } from "@tanstack/react-router";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it, vi } from "vitest";

import type { Permission } from "../../api/types";
import { App, createApp } from "../../app/App";
import { seriousViolations } from "../../test/axe";
import { type FakeApi, installFakeApi, json, problem } from "../../test/fake-api";
import type { AISettings, AISettingsUpdate, ProviderKey } from "./queries";

configure({ asyncUtilTimeout: 4000 });
const SLOW = { timeout: 30_000 };

const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
const ORG = "00000000-0000-4000-8000-0000000000b1";
const KEY_ID = "00000000-0000-4000-8000-0000000000c1";
const USER = { id: "00000000-0000-4000-8000-0000000000e1", email: "o@northwind.example", display_name: "Olivia Owner" };
const MANAGER: Permission[] = ["workspace:read", "content:read", "ai_settings:manage"];
const WRITER: Permission[] = ["workspace:read", "content:read"];
const at = "2030-01-01T00:00:00Z";

const KEY: ProviderKey = {
  id: KEY_ID,
  organization_id: ORG,
  name: "OpenAI production",
  provider: "openai",
  base_url: null,
  key_hint: "x9Qz",
  created_at: at,
  updated_at: at,
  rotated_at: at,
};

beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./AISettingsPage")]);
});

interface Server {
  fake: FakeApi;
  current: () => AISettings;
  colleagueSaves: (change: Partial<AISettingsUpdate>) => void;
  keys: ProviderKey[];
}

function backend(permissions: Permission[], orgRole: "owner" | "member" = "member"): Server {
  let revision = 0;
  let settings: AISettingsUpdate = { min_check_score: 70, tone_judge: false, routing: { generate: [], rewrite: [], check: [] }, near_limit: null };
  const keys: ProviderKey[] = [KEY];
  const current = (): AISettings => ({ ...settings, workspace_id: WORKSPACE, revision, etag: `"ai-${revision}"`, updated_at: revision ? at : null, updated_by: null });
  const store = (next: AISettingsUpdate) => {
    settings = next;
    revision += 1;
  };
  const fake = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user: USER, csrf_token: "csrf-1", expires_at: "2999-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () =>
      json({
        user: USER,
        organizations: [{ organization_id: ORG, organization_name: "Northwind", role: orgRole }],
        workspaces: [{ workspace_id: WORKSPACE, workspace_name: "Acme Running", organization_id: ORG, role: "manager" }],
      }),
    )
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: ORG, name: "Acme Running", slug: "acme", role: "manager", permissions, created_at: at }),
    )
    .on("GET /api/v1/workspaces/{id}/ai-settings", () => json(current(), { headers: { ETag: current().etag } }))
    .on("GET /api/v1/workspaces/{id}/ai-settings/provider-keys", () =>
      json(keys.map(({ id, name, provider, base_url }) => ({ id, name, provider, base_url }))),
    )
    .on("PUT /api/v1/workspaces/{id}/ai-settings", async (request) => {
      if (!request.headers.get("If-Match")) return problem(428, "Precondition required", "Send If-Match.");
      if (request.headers.get("If-Match") !== current().etag) return problem(412, "Precondition failed", "The AI settings changed since you read them.");
      store((await request.json()) as AISettingsUpdate);
      return json(current(), { headers: { ETag: current().etag } });
    })
    // The templates section has its own tests (PromptTemplatesSection.test.tsx).
    .on("GET /api/v1/workspaces/{id}/prompt-templates", () => json({ items: [] }))
    .on("GET /api/v1/organizations/{id}/provider-keys", () => json(keys))
    .on("POST /api/v1/organizations/{id}/provider-keys", async (request) => {
      const body = (await request.json()) as { name: string; provider: ProviderKey["provider"]; base_url: string | null; api_key: string };
      const created = { ...KEY, id: "00000000-0000-4000-8000-0000000000c2", name: body.name, provider: body.provider, base_url: body.base_url, key_hint: body.api_key.slice(-4) };
      keys.push(created);
      return json(created, { status: 201 });
    })
    .on("DELETE /api/v1/organizations/{id}/provider-keys/{id}", () =>
      problem(409, "Conflict", "The provider key 'OpenAI production' is used by the AI settings of 1 workspace(s); route them elsewhere first.", {
        workspace_ids: [WORKSPACE],
      }),
    );
  return { fake, current, keys, colleagueSaves: (change) => store({ ...settings, ...change }) };
}

function renderAt(path: string) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  return render(<App app={app} />);
}

async function optionOf(select: HTMLElement, name: string) {
  const listbox = await waitFor(() => {
    const element = document.getElementById(select.getAttribute("aria-controls") ?? "");
    if (!element) throw new Error("the list is not open");
    return element;
  });
  return within(listbox).getByRole("option", { name, hidden: true });
}

const settingsForm = () => screen.findByRole("form", { name: "AI settings" });
const puts = (fake: FakeApi) => fake.requests.filter((request) => request.method === "PUT");

describe("the AI settings screen", SLOW, () => {
  it("adds a generate route with a stored key and saves it with If-Match", async () => {
    const server = backend(MANAGER);
    const { container } = renderAt(`/w/${WORKSPACE}/ai-settings`);

    const form = await settingsForm();
    expect(within(form).getAllByText(/deployment default \(offline composer unless configured\)/)).toHaveLength(3);
    await userEvent.click(within(form).getByRole("button", { name: "Add generate route" }));
    await userEvent.type(within(form).getByRole("textbox", { name: "Generate route 1 model" }), "gpt-4o-mini");
    const keyPicker = within(form).getByRole("textbox", { name: "Generate route 1 provider key" });
    await userEvent.click(keyPicker);
    await userEvent.click(await optionOf(keyPicker, "OpenAI production"));
    const score = within(form).getByRole("textbox", { name: /Minimum check score/ });
    await userEvent.clear(score);
    await userEvent.type(score, "85");
    expect(await seriousViolations(container)).toEqual([]);
    await userEvent.click(within(form).getByRole("button", { name: "Save AI settings" }));

    expect(await screen.findByText("Revision 1")).toBeInTheDocument();
    const [put] = puts(server.fake);
    expect(put?.headers.get("If-Match")).toBe('"ai-0"');
    const body = (await put?.json()) as AISettingsUpdate;
    expect(body.min_check_score).toBe(85);
    expect(body.routing?.generate).toEqual([
      { provider: "openai", model: "gpt-4o-mini", credential_id: KEY_ID, base_url: null, timeout_seconds: null, max_retries: null },
    ]);
    expect(body.near_limit).toBeNull();
  });

  it("refuses an empty model, a score above 100 and an empty near-limit route before sending", async () => {
    const server = backend(MANAGER);
    renderAt(`/w/${WORKSPACE}/ai-settings`);

    const form = await settingsForm();
    await userEvent.click(within(form).getByRole("button", { name: "Add check route" }));
    const score = within(form).getByRole("textbox", { name: /Minimum check score/ });
    await userEvent.clear(score);
    await userEvent.type(score, "150");
    await userEvent.click(within(form).getByRole("switch", { name: "Use a cheaper route near the limit" }));
    await userEvent.click(within(form).getByRole("button", { name: "Save AI settings" }));

    expect(await within(form).findByText("Name the model, e.g. gpt-4o-mini.")).toBeInTheDocument();
    expect(within(form).getByText("Use 0 to 100.")).toBeInTheDocument();
    expect(within(form).getByText("Add the cheaper route, or turn the near-limit route off.")).toBeInTheDocument();
    expect(puts(server.fake)).toHaveLength(0);
  });

  it("shows the API's field errors on the route's field", async () => {
    const server = backend(MANAGER);
    server.fake.on("PUT /api/v1/workspaces/{id}/ai-settings", () =>
      problem(422, "Request validation failed", "Some fields are not valid.", {
        errors: [{ loc: ["body", "routing", "rewrite", 0, "credential_id"], msg: "No such provider key in this organization", type: "value_error" }],
      }),
    );
    renderAt(`/w/${WORKSPACE}/ai-settings`);

    const form = await settingsForm();
    await userEvent.click(within(form).getByRole("button", { name: "Add rewrite route" }));
    await userEvent.type(within(form).getByRole("textbox", { name: "Rewrite route 1 model" }), "claude-x");
    await userEvent.click(within(form).getByRole("button", { name: "Save AI settings" }));

    expect(await within(form).findByText("No such provider key in this organization")).toBeInTheDocument();
    expect(within(form).getByText("The AI settings were not saved")).toBeInTheDocument();
  });

  it("on 412 reloads the colleague's settings, or keeps mine and saves over them", async () => {
    const server = backend(MANAGER);
    renderAt(`/w/${WORKSPACE}/ai-settings`);

    const form = await settingsForm();
    server.colleagueSaves({ tone_judge: true });
    const score = within(form).getByRole("textbox", { name: /Minimum check score/ });
    await userEvent.clear(score);
    await userEvent.type(score, "60");
    await userEvent.click(within(form).getByRole("button", { name: "Save AI settings" }));

    // Not just any alert: the "saved" notification may still be leaving the screen.
    const conflict = (await screen.findByText("The AI settings changed since you read them.")).closest("[role=alert]");
    expect(conflict).not.toBeNull();
    await userEvent.click(within(form).getByRole("button", { name: "Keep my changes" }));
    await waitFor(() => expect(screen.queryByText("The AI settings changed since you read them.")).not.toBeInTheDocument());
    expect(within(form).getByRole("textbox", { name: /Minimum check score/ })).toHaveValue("60");
    await userEvent.click(within(form).getByRole("button", { name: "Save AI settings" }));

    expect(await screen.findByText("Revision 2")).toBeInTheDocument();
    expect(puts(server.fake).map((request) => request.headers.get("If-Match"))).toEqual(['"ai-0"', '"ai-1"']);
    expect(server.current().min_check_score).toBe(60);

    // Reload instead: the colleague's values replace mine.
    server.colleagueSaves({ min_check_score: 99 });
    await userEvent.clear(score);
    await userEvent.type(score, "10");
    await userEvent.click(within(form).getByRole("button", { name: "Save AI settings" }));
    await userEvent.click(await screen.findByRole("button", { name: "Reload" }));
    await waitFor(() => expect(within(form).getByRole("textbox", { name: /Minimum check score/ })).toHaveValue("99"));
  });

  it("is read-only without ai_settings:manage and never asks for the keys", async () => {
    const server = backend(WRITER);
    renderAt(`/w/${WORKSPACE}/ai-settings`);

    const form = await settingsForm();
    expect(screen.getByText("Read only")).toBeInTheDocument();
    expect(within(form).queryByRole("button", { name: "Save AI settings" })).not.toBeInTheDocument();
    expect(within(form).queryByRole("button", { name: "Add generate route" })).not.toBeInTheDocument();
    expect(within(form).getByRole("switch", { name: /^Tone judge/ })).toBeDisabled();
    expect(screen.queryByRole("region", { name: /Provider keys/ })).not.toBeInTheDocument();
    expect(server.fake.requests.some((request) => request.url.includes("provider-keys"))).toBe(false);
  });
});

describe("the organization's provider keys", SLOW, () => {
  it("adds a key whose text is write-only, and says which workspaces use a key it cannot delete", async () => {
    const server = backend(MANAGER, "owner");
    renderAt(`/w/${WORKSPACE}/ai-settings`);

    const section = await screen.findByRole("region", { name: "Provider keys of Northwind" });
    expect(await within(section).findByText("…x9Qz")).toBeInTheDocument();
    await userEvent.click(within(section).getByRole("button", { name: "Add provider key" }));
    const dialog = await screen.findByRole("dialog", { name: "Add provider key" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Add key" }));
    expect(await within(dialog).findByText("Paste the key from the provider.")).toBeInTheDocument();
    await userEvent.type(within(dialog).getByRole("textbox", { name: /^Name/ }), "Staging");
    await userEvent.type(within(dialog).getByLabelText(/^API key/), "sk-fake-secret-1234ABCD");
    await userEvent.click(within(dialog).getByRole("button", { name: "Add key" }));

    expect(await within(section).findByText("Staging")).toBeInTheDocument();
    expect(within(section).getByText("…ABCD")).toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain("sk-fake-secret-1234ABCD");
    const post = server.fake.requests.find((request) => request.method === "POST");
    expect(await post?.json()).toEqual({ name: "Staging", provider: "openai", base_url: null, api_key: "sk-fake-secret-1234ABCD" });

    vi.stubGlobal("confirm", () => true);
    await userEvent.click(within(section).getByRole("button", { name: "Delete OpenAI production" }));
    expect(await within(section).findByText(/In use by: Acme Running\./)).toBeInTheDocument();
    expect(within(section).getByText("OpenAI production")).toBeInTheDocument();
  });
});
