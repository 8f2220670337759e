import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Campaign, Me, Permission, Workspace } from "../api/types";
import { type FakeApi, installFakeApi, json, problem } from "../test/fake-api";
import { seriousViolations } from "../test/axe";
import { App, createApp } from "./App";

const ORG = "00000000-0000-4000-8000-000000000001";
const ACME = "00000000-0000-4000-8000-0000000000a1";
const GLOBEX = "00000000-0000-4000-8000-0000000000b1";

const strategist = { id: "u-strategist", email: "strategist@northwind.example", display_name: "Sam Strategist" };
const client = { id: "u-client", email: "client@acme.example", display_name: "Casey Client" };

const session = (user: typeof strategist) => ({ user, csrf_token: "csrf-1", expires_at: "2030-01-01T00:00:00Z" });

function workspace(id: string, name: string, permissions: Permission[]): Workspace {
  return { id, organization_id: ORG, name, slug: name.toLowerCase(), role: "editor", permissions, created_at: "2030-01-01T00:00:00Z" };
}

const campaign: Campaign = {
  id: "00000000-0000-4000-8000-0000000000c1",
  workspace_id: ACME,
  name: "Trail season",
  objective: "",
  audience: "",
  key_messages: [],
  channels: ["email"],
  start_date: null,
  end_date: null,
  budget: null,
  status: "active",
  revision: 1,
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};

function fakeBackend(me: Me, permissions: Permission[]): FakeApi {
  return installFakeApi()
    .on("GET /api/v1/me", () => json(me))
    .on("GET /api/v1/workspaces/{id}", (_request, match) =>
      json(workspace(match[1] ?? "", match[1] === ACME ? "Acme Running" : "Globex Coffee", permissions)),
    )
    .on("GET /api/v1/workspaces/{id}/campaigns", () => json({ items: [campaign], next_cursor: null }));
}

function renderApp(path: string) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  const view = render(<App app={app} />);
  return { ...view, app };
}

describe("the app", () => {
  it("sends a signed-out person to sign in, then back where they were going", async () => {
    const me: Me = {
      user: strategist,
      organizations: [{ organization_id: ORG, organization_name: "Northwind Agency", role: "member" }],
      workspaces: [
        { workspace_id: ACME, workspace_name: "Acme Running", organization_id: ORG, role: "editor" },
        { workspace_id: GLOBEX, workspace_name: "Globex Coffee", organization_id: ORG, role: "editor" },
      ],
    };
    let signedIn = false;
    const fake = fakeBackend(me, ["workspace:read", "members:read", "campaigns:read", "campaigns:write", "content:read"])
      .on("GET /api/v1/auth/session", () => (signedIn ? json(session(strategist)) : problem(401, "Authentication required")))
      .on("POST /api/v1/auth/session", () => {
        signedIn = true;
        return json(session(strategist));
      });
    const { app, container } = renderApp(`/w/${ACME}/campaigns?view=list`);

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(app.router.state.location.search).toEqual({ redirect: `/w/${ACME}/campaigns?view=list` });
    expect(await seriousViolations(container)).toEqual([]);

    await userEvent.type(screen.getByRole("textbox", { name: /Email/ }), "strategist@northwind.example");
    await userEvent.type(screen.getByLabelText(/Password/), "brandflow-demo");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("heading", { name: "Campaigns", level: 1 })).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "Trail season" })).toBeInTheDocument();
    expect(app.router.state.location.pathname).toBe(`/w/${ACME}/campaigns`);
    expect(document.title).toBe("Campaigns · Brandflow");

    const signInRequest = fake.requests.find((request) => request.method === "POST");
    expect(await signInRequest?.json()).toEqual({ email: "strategist@northwind.example", password: "brandflow-demo" });

    // Navigation offers only what the role allows (no api_keys:manage, no audit:read).
    const nav = await screen.findByRole("navigation", { name: "Workspace" });
    await within(nav).findByRole("link", { name: "Campaigns" });
    expect(within(nav).getByRole("link", { name: "Members" })).toBeInTheDocument();
    expect(within(nav).queryByRole("link", { name: "API keys" })).not.toBeInTheDocument();
    expect(within(nav).queryByRole("link", { name: "Audit log" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New campaign" })).toBeInTheDocument();
    expect(screen.getByRole("main")).toBeInTheDocument();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("shows a client user only their own workspace", async () => {
    const me: Me = {
      user: client,
      organizations: [],
      workspaces: [{ workspace_id: ACME, workspace_name: "Acme Running", organization_id: ORG, role: "client_approver" }],
    };
    fakeBackend(me, ["workspace:read", "campaigns:read", "content:read"]).on("GET /api/v1/auth/session", () =>
      json(session(client)),
    );
    const { app } = renderApp("/");

    expect(await screen.findByRole("link", { name: "Trail season" })).toBeInTheDocument();
    expect(app.router.state.location.pathname).toBe(`/w/${ACME}/campaigns`);
    expect(screen.queryByRole("textbox", { name: "Organization" })).not.toBeInTheDocument();
    const switcher = screen.getByRole("textbox", { name: "Workspace" });
    expect(switcher).toHaveValue("Acme Running");
    await userEvent.click(switcher);
    const listbox = document.getElementById(switcher.getAttribute("aria-controls") ?? "");
    expect(listbox).not.toBeNull();
    const options = within(listbox as HTMLElement).getAllByRole("option", { hidden: true });
    expect(options.map((option) => option.textContent)).toEqual(["Acme Running"]);
    // Read-only role: no way to create a campaign.
    expect(screen.queryByRole("button", { name: "New campaign" })).not.toBeInTheDocument();
  });

  it("signs out: the session is deleted with the CSRF header and sign-in is shown", async () => {
    const me: Me = { user: client, organizations: [], workspaces: [] };
    let signedIn = true;
    const fake = installFakeApi()
      .on("GET /api/v1/me", () => json(me))
      .on("GET /api/v1/auth/session", () => (signedIn ? json(session(client)) : problem(401, "Authentication required")))
      .on("DELETE /api/v1/auth/session", () => {
        signedIn = false;
        return new Response(null, { status: 204 });
      });
    renderApp("/");

    expect(await screen.findByRole("heading", { name: "You are not in any workspace yet" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: /Casey Client.*Account menu/ }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Sign out" }));

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    const signOut = fake.requests.find((request) => request.method === "DELETE");
    expect(signOut?.headers.get("X-CSRF-Token")).toBe("csrf-1");
    await waitFor(() => expect(document.title).toBe("Sign in · Brandflow"));
  });

  it("shows the API's reason when signing in fails", async () => {
    installFakeApi()
      .on("GET /api/v1/auth/session", () => problem(401, "Authentication required"))
      .on("POST /api/v1/auth/session", () =>
        problem(401, "Authentication required", "The email or password is not correct."),
      );
    renderApp("/sign-in");

    await userEvent.type(await screen.findByRole("textbox", { name: /Email/ }), "owner@northwind.example");
    await userEvent.type(screen.getByLabelText(/Password/), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not sign in");
    expect(alert).toHaveTextContent("The email or password is not correct.");
  });
});
