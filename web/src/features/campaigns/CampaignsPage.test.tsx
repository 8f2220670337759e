import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import type { Campaign, CampaignStatus } from "../../api/types";
import { installFakeApi, json } from "../../test/fake-api";

const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
const user = { id: "u1", email: "owner@northwind.example", display_name: "Olivia Owner" };

function campaign(name: string, status: CampaignStatus = "planned"): Campaign {
  return {
    id: `id-${name}`,
    workspace_id: WORKSPACE,
    name,
    objective: "",
    audience: "",
    key_messages: [],
    channels: [],
    start_date: null,
    end_date: null,
    budget: null,
    status,
    revision: 1,
    created_at: "2030-01-01T00:00:00Z",
    updated_at: "2030-01-01T00:00:00Z",
  };
}

/** Two pages of campaigns (cursor "p2" opens the second); filters echo into the names. */
function backend() {
  const listRequests: URLSearchParams[] = [];
  const fake = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user, csrf_token: "t", expires_at: "2030-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () => json({ user, organizations: [], workspaces: [] }))
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: "o1", name: "Acme", slug: "acme", role: "manager", permissions: ["campaigns:read"], created_at: "2030-01-01T00:00:00Z" }),
    )
    .on("GET /api/v1/workspaces/{id}/campaigns", (request) => {
      const params = new URL(request.url).searchParams;
      listRequests.push(params);
      const status = params.get("status") as CampaignStatus | null;
      if (status) return json({ items: [campaign(`${status} one`, status)], next_cursor: null });
      if (params.get("q")) return json({ items: [campaign(`Match for ${params.get("q")}`)], next_cursor: null });
      return params.get("cursor") === "p2"
        ? json({ items: [campaign("Second page")], next_cursor: null })
        : json({ items: [campaign("First page")], next_cursor: "p2" });
    });
  return { fake, listRequests };
}

function renderAt(path: string) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  render(<App app={app} />);
  return app;
}

describe("campaigns list", () => {
  it("pages forward and back with the cursor in the URL", async () => {
    backend();
    const app = renderAt(`/w/${WORKSPACE}/campaigns`);

    expect(await screen.findByRole("link", { name: "First page" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Previous page" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Next page" }));

    expect(await screen.findByRole("link", { name: "Second page" })).toBeInTheDocument();
    expect(app.router.state.location.search).toMatchObject({ cursor: "p2" });
    await userEvent.click(screen.getByRole("button", { name: "Previous page" }));

    expect(await screen.findByRole("link", { name: "First page" })).toBeInTheDocument();
    expect(app.router.state.location.search).not.toHaveProperty("cursor");
  });

  it("searches once the person pauses typing, from the first page", async () => {
    const { listRequests } = backend();
    const app = renderAt(`/w/${WORKSPACE}/campaigns?cursor=p2`);

    await screen.findByRole("link", { name: "Second page" });
    await userEvent.type(screen.getByRole("searchbox", { name: "Search" }), "trail");

    expect(await screen.findByRole("link", { name: "Match for trail" })).toBeInTheDocument();
    expect(app.router.state.location.search).toEqual({ q: "trail" });
    // Debounced: one request for the whole word, none per keystroke.
    expect(listRequests.filter((params) => params.has("q")).map((params) => params.get("q"))).toEqual(["trail"]);
  });

  it("shows a board with a column per status", async () => {
    const { listRequests } = backend();
    renderAt(`/w/${WORKSPACE}/campaigns?view=board`);

    for (const [status, label] of [
      ["planned", "Planned"],
      ["active", "Active"],
      ["completed", "Completed"],
      ["archived", "Archived"],
    ] as const) {
      const column = await screen.findByRole("region", { name: label });
      expect(await within(column).findByRole("link", { name: `${status} one` })).toBeInTheDocument();
    }
    await waitFor(() => expect(listRequests.map((params) => params.get("status")).sort()).toEqual(["active", "archived", "completed", "planned"]));
  });

  it("drops a malformed filter from the URL instead of failing", async () => {
    backend();
    const app = renderAt(`/w/${WORKSPACE}/campaigns?status=bogus`);

    expect(await screen.findByRole("link", { name: "First page" })).toBeInTheDocument();
    expect(app.router.state.location.search.status).toBeUndefined();
  });
});
