import { createMemoryHistory } from "@tanstack/react-router";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import { permissionValues } from "../../api/schema.gen";
import type { AuditEvent } from "../../api/types";
import { seriousViolations } from "../../test/axe";
import { installFakeApi, json, problem } from "../../test/fake-api";

const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
const owner = { id: "00000000-0000-4000-8000-000000000001", email: "owner@northwind.example", display_name: "Olivia Owner" };
const writerId = "00000000-0000-4000-8000-000000000002";
const keyId = "00000000-0000-4000-8000-0000000000c1";

function event(id: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    event_id: id,
    workspace_id: WORKSPACE,
    action: "campaigns.campaign_updated",
    object_type: "campaign",
    object_id: "00000000-0000-4000-8000-0000000000b1",
    actor: { type: "user", id: owner.id },
    request_id: `req-${id}`,
    changes: { name: ["Spring", "Spring launch"] },
    occurred_at: "2030-01-02T10:00:00Z",
    recorded_at: "2030-01-02T10:00:01Z",
    ...overrides,
  };
}

/** Two pages of events (cursor "c2" opens the second); any filter but the actor finds nothing. */
function backend() {
  const auditRequests: URLSearchParams[] = [];
  const fake = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user: owner, csrf_token: "csrf-1", expires_at: "2999-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () => json({ user: owner, organizations: [], workspaces: [] }))
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: "o1", name: "Acme", slug: "acme", role: "manager", permissions: permissionValues, created_at: "2030-01-01T00:00:00Z" }),
    )
    .on("GET /api/v1/workspaces/{id}/members", () =>
      json([
        { user_id: owner.id, email: owner.email, display_name: "Olivia Owner", role: "manager", joined_at: "2030-01-01T00:00:00Z" },
        { user_id: writerId, email: "writer@northwind.example", display_name: "Walter Writer", role: "editor", joined_at: "2030-01-01T00:00:00Z" },
      ]),
    )
    .on("GET /api/v1/workspaces/{id}/api-keys", () =>
      json([{ id: keyId, workspace_id: WORKSPACE, name: "CMS export", prefix: "bf_cms", permissions: ["content:read"], created_at: "2030-01-01T00:00:00Z", last_used_at: null, revoked_at: null }]),
    )
    .on("GET /api/v1/workspaces/{id}/audit-events", (request) => {
      const params = new URL(request.url).searchParams;
      auditRequests.push(params);
      if (params.get("actor_id") === writerId) {
        return json({ items: [event("e-writer", { actor: { type: "user", id: writerId }, action: "members.member_role_changed" })], next_cursor: null });
      }
      if (["action", "object_type", "occurred_after", "occurred_before"].some((name) => params.has(name))) {
        return json({ items: [], next_cursor: null });
      }
      return params.get("cursor") === "c2"
        ? json({ items: [event("e-old", { actor: { type: "api_key", id: keyId }, request_id: null, changes: {} })], next_cursor: null })
        : json({
            items: [event("e-new"), event("e-gone", { actor: { type: "user", id: "00000000-0000-4000-8000-00000000dead" } })],
            next_cursor: "c2",
          });
    });
  return { fake, auditRequests };
}

const eventsTable = () => screen.findByRole("table", { name: "Audit events, newest first" });

// Each test boots the whole app (session, workspace, lazy screens) on a 2-core machine that may
// be busy: wait longer than the defaults before calling a test failed.
configure({ asyncUtilTimeout: 4000 });
const SLOW = { timeout: 20_000 };

// The router loads screens lazily; load them once up front so no test spends its wait on that.
beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./AuditLogPage")]);
});

function renderAt(path: string) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  const result = render(<App app={app} />);
  return { app, ...result };
}

describe("audit log", SLOW, () => {
  it("shows who did what, with the changes behind a disclosure", async () => {
    backend();
    renderAt(`/w/${WORKSPACE}/audit`);

    const table = await eventsTable();
    const row = (await within(table).findByText("req-e-new")).closest("tr") as HTMLElement;
    expect(within(row).getByText("campaigns.campaign_updated")).toBeInTheDocument();
    expect(await within(row).findByText("Olivia Owner")).toBeInTheDocument();
    expect(within(row).getByRole("link", { name: "00000000-0000-4000-8000-0000000000b1" })).toHaveAttribute(
      "href",
      `/w/${WORKSPACE}/campaigns/00000000-0000-4000-8000-0000000000b1`,
    );

    // Someone no longer in the workspace: by type and the end of the id (UUIDv7 ids share their start).
    const gone = (await within(table).findByText("req-e-gone")).closest("tr") as HTMLElement;
    expect(within(gone).getByText("User …0000dead")).toBeInTheDocument();

    const toggle = within(row).getByRole("button", { name: "Changed: name" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByText("Spring launch")).not.toBeInTheDocument();
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const changes = screen.getByRole("table", { name: /^Changes of campaigns.campaign_updated/ });
    expect(toggle).toHaveAttribute("aria-controls", changes.closest("tr")?.id);
    expect(within(changes).getByRole("rowheader", { name: "name" })).toBeInTheDocument();
    expect(within(changes).getByText("Spring")).toBeInTheDocument();
    expect(within(changes).getByText("Spring launch")).toBeInTheDocument();
    await userEvent.click(toggle);
    expect(screen.queryByRole("table", { name: /^Changes of/ })).not.toBeInTheDocument();
  });

  it("reads its filters from the URL and sends them to the API", async () => {
    const { auditRequests } = backend();
    renderAt(`/w/${WORKSPACE}/audit?action=campaigns.campaign_created&from=2030-01-05&to=2030-01-06`);

    expect(await screen.findByRole("heading", { name: "No events match these filters" })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Action" })).toHaveValue("campaigns.campaign_created");
    expect(screen.getByLabelText("From")).toHaveValue("2030-01-05");
    expect(screen.getByLabelText("To")).toHaveValue("2030-01-06");
    const sent = auditRequests.at(-1);
    expect(sent?.get("action")).toBe("campaigns.campaign_created");
    expect(sent?.get("occurred_after")).toBe(new Date(2030, 0, 5).toISOString());
    expect(sent?.get("occurred_before")).toBe(new Date(2030, 0, 7).toISOString());
  });

  it("puts applied filters in the URL, from the first page, and clears them", async () => {
    const { auditRequests } = backend();
    const { app } = renderAt(`/w/${WORKSPACE}/audit?cursor=c2`);

    expect(await within(await eventsTable()).findByText("API key “CMS export”")).toBeInTheDocument();
    const filters = screen.getByRole("search", { name: "Filter audit events" });
    const actor = within(filters).getByRole("combobox", { name: "Actor" });
    await waitFor(() => expect(within(actor).getByRole("option", { name: "Walter Writer" })).toBeInTheDocument());
    await userEvent.selectOptions(actor, "Walter Writer");
    await userEvent.type(within(filters).getByRole("textbox", { name: "Object type" }), " ");
    await userEvent.click(within(filters).getByRole("button", { name: "Apply filters" }));

    expect(await screen.findByText("members.member_role_changed")).toBeInTheDocument();
    expect(app.router.state.location.search).toEqual({ actor: writerId });
    expect(auditRequests.at(-1)?.get("actor_id")).toBe(writerId);
    expect(auditRequests.at(-1)?.has("cursor")).toBe(false);

    await userEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(app.router.state.location.search).toEqual({}));
    expect(await screen.findByText("req-e-new")).toBeInTheDocument();
  });

  it("refuses a date range that ends before it starts", async () => {
    const { auditRequests } = backend();
    const { app } = renderAt(`/w/${WORKSPACE}/audit?from=2030-02-02`);
    await screen.findByRole("heading", { name: "No events match these filters" });
    const before = auditRequests.length;

    await userEvent.type(screen.getByLabelText("To"), "2030-02-01");
    await userEvent.click(screen.getByRole("button", { name: "Apply filters" }));

    expect(await screen.findByText("“To” is before “From”.")).toBeInTheDocument();
    expect(app.router.state.location.search).toEqual({ from: "2030-02-02" });
    expect(auditRequests).toHaveLength(before);
  });

  it("pages with the cursor in the URL", async () => {
    backend();
    const { app } = renderAt(`/w/${WORKSPACE}/audit`);

    await screen.findByText("req-e-new");
    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    expect(await within(await eventsTable()).findByText("API key “CMS export”")).toBeInTheDocument();
    expect(app.router.state.location.search).toEqual({ cursor: "c2" });

    await userEvent.click(screen.getByRole("button", { name: "Previous page" }));
    expect(await screen.findByText("req-e-new")).toBeInTheDocument();
    expect(app.router.state.location.search).toEqual({});
  });

  it("shows the problem's detail when the log cannot be read", async () => {
    backend().fake.on("GET /api/v1/workspaces/{id}/audit-events", () =>
      problem(400, "Bad request", "The cursor is not valid for this list."),
    );
    renderAt(`/w/${WORKSPACE}/audit?cursor=bogus`);
    expect(await screen.findByRole("alert")).toHaveTextContent("The cursor is not valid for this list.");
  });

  it("has no serious accessibility violations", async () => {
    backend();
    const { container } = renderAt(`/w/${WORKSPACE}/audit`);
    await screen.findByText("req-e-new");
    await waitFor(() => expect(screen.getByRole("option", { name: "Walter Writer" })).toBeInTheDocument());
    await userEvent.click(screen.getAllByRole("button", { name: "Changed: name" })[0] as HTMLElement);
    expect(await seriousViolations(container)).toEqual([]);
  });
});
