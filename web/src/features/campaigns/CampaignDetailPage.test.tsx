import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import type { Campaign, Permission } from "../../api/types";
import { type FakeApi, installFakeApi, json, problem } from "../../test/fake-api";

const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
const CAMPAIGN = "00000000-0000-4000-8000-0000000000c1";
const user = { id: "u1", email: "writer@northwind.example", display_name: "Wren Writer" };

const saved: Campaign = {
  id: CAMPAIGN,
  workspace_id: WORKSPACE,
  name: "Trail season",
  objective: "Sell trail shoes",
  audience: "Runners",
  key_messages: ["Grip on any ground"],
  channels: ["email"],
  start_date: null,
  end_date: null,
  budget: null,
  status: "planned",
  revision: 1,
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};

/** A backend whose campaign a colleague can change behind the screen's back. */
function backend(permissions: Permission[]) {
  const server = { campaign: saved, etag: '"r1"' };
  const fake: FakeApi = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user, csrf_token: "csrf-1", expires_at: "2030-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () => json({ user, organizations: [], workspaces: [] }))
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: "o1", name: "Acme Running", slug: "acme", role: "editor", permissions, created_at: saved.created_at }),
    )
    .on("GET /api/v1/workspaces/{id}/campaigns/{id}", () => json(server.campaign, { headers: { ETag: server.etag } }))
    .on("PATCH /api/v1/workspaces/{id}/campaigns/{id}", async (request) => {
      if (request.headers.get("If-Match") !== server.etag) {
        return problem(412, "Precondition failed", "The resource changed since you read it.");
      }
      server.campaign = { ...server.campaign, ...((await request.json()) as Partial<Campaign>), revision: 99 };
      server.etag = '"r99"';
      return json(server.campaign, { headers: { ETag: server.etag } });
    });
  const colleagueSaves = (change: Partial<Campaign>) => {
    server.campaign = { ...server.campaign, ...change, revision: 2 };
    server.etag = '"r2"';
  };
  return { fake, server, colleagueSaves };
}

function renderCampaign() {
  const app = createApp(createMemoryHistory({ initialEntries: [`/w/${WORKSPACE}/campaigns/${CAMPAIGN}`] }));
  render(<App app={app} />);
}

const nameInput = () => screen.getByRole("textbox", { name: /^Name/ });

describe("campaign brief editing", () => {
  it("saves with If-Match and sends only the changed fields", async () => {
    const { fake } = backend(["workspace:read", "campaigns:read", "campaigns:write"]);
    renderCampaign();

    await screen.findByRole("heading", { name: "Trail season", level: 1 });
    await userEvent.clear(nameInput());
    await userEvent.type(nameInput(), "Trail season 2030");
    await userEvent.click(screen.getByRole("button", { name: "Save brief" }));

    expect(await screen.findByRole("heading", { name: "Trail season 2030", level: 1 })).toBeInTheDocument();
    const patch = fake.requests.find((request) => request.method === "PATCH");
    expect(patch?.headers.get("If-Match")).toBe('"r1"');
    expect(patch?.headers.get("X-CSRF-Token")).toBe("csrf-1");
    expect(await patch?.json()).toEqual({ name: "Trail season 2030" });
  });

  it("on 412 offers Compare, then saves over the new version only when asked", async () => {
    const { fake, server, colleagueSaves } = backend(["workspace:read", "campaigns:read", "campaigns:write"]);
    renderCampaign();

    await screen.findByRole("heading", { name: "Trail season", level: 1 });
    colleagueSaves({ objective: "Sell more trail shoes" });
    await userEvent.clear(nameInput());
    await userEvent.type(nameInput(), "My name");
    await userEvent.click(screen.getByRole("button", { name: "Save brief" }));

    const conflict = await screen.findByRole("alert");
    expect(conflict).toHaveTextContent("Someone else changed this in the meantime");
    expect(conflict).toHaveTextContent("The resource changed since you read it.");

    await userEvent.click(within(conflict).getByRole("button", { name: "Compare" }));
    const table = await screen.findByRole("table", { name: "Your values next to the saved ones" });
    const objectiveRow = within(table).getByRole("rowheader", { name: /Objective/ }).closest("tr");
    expect(objectiveRow).toHaveTextContent("Sell trail shoes");
    expect(objectiveRow).toHaveTextContent("Sell more trail shoes");
    expect(within(table).getByRole("rowheader", { name: /Name/ }).closest("tr")).toHaveTextContent("My name");

    await userEvent.click(screen.getByRole("button", { name: "Keep my changes" }));
    await userEvent.click(screen.getByRole("button", { name: "Save brief" }));

    expect(await screen.findByRole("heading", { name: "My name", level: 1 })).toBeInTheDocument();
    const patches = fake.requests.filter((request) => request.method === "PATCH");
    expect(patches.map((request) => request.headers.get("If-Match"))).toEqual(['"r1"', '"r2"']);
    // Only the name was the person's change; the colleague's objective survives.
    expect(server.campaign.objective).toBe("Sell more trail shoes");
  });

  it("on 412, Reload discards the person's changes for the saved version", async () => {
    const { colleagueSaves } = backend(["workspace:read", "campaigns:read", "campaigns:write"]);
    renderCampaign();

    await screen.findByRole("heading", { name: "Trail season", level: 1 });
    colleagueSaves({ name: "Trail season (renamed)" });
    await userEvent.clear(nameInput());
    await userEvent.type(nameInput(), "Mine");
    await userEvent.click(screen.getByRole("button", { name: "Save brief" }));
    await userEvent.click(await screen.findByRole("button", { name: "Reload" }));

    expect(await screen.findByDisplayValue("Trail season (renamed)")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("is read only for a role without campaigns:write", async () => {
    backend(["workspace:read", "campaigns:read"]);
    renderCampaign();

    await screen.findByRole("heading", { name: "Trail season", level: 1 });
    expect(await screen.findByText("Your role can read this campaign but not change it.")).toBeInTheDocument();
    expect(nameInput()).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save brief" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Archive" })).not.toBeInTheDocument();
  });
});
