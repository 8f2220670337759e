import { createMemoryHistory } from "@tanstack/react-router";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import type { Invitation, Member, Permission } from "../../api/types";
import { seriousViolations } from "../../test/axe";
import { installFakeApi, json, problem } from "../../test/fake-api";

const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
const owner = { id: "00000000-0000-4000-8000-000000000001", email: "owner@northwind.example", display_name: "Olivia Owner" };
const writerId = "00000000-0000-4000-8000-000000000002";
const MANAGER: Permission[] = ["workspace:read", "members:read", "members:manage"];

function member(userId: string, displayName: string, role: Member["role"]): Member {
  return { user_id: userId, email: `${displayName.split(" ")[0]?.toLowerCase()}@northwind.example`, display_name: displayName, role, joined_at: "2030-01-01T00:00:00Z" };
}

function invitation(email: string, overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: `inv-${email}`,
    workspace_id: WORKSPACE,
    email,
    role: "editor",
    expires_at: "2999-01-01T00:00:00Z",
    accepted_at: null,
    revoked_at: null,
    created_at: "2030-01-01T00:00:00Z",
    ...overrides,
  };
}

/** A workspace with two members; PATCH changes the stored role, as the server would. */
function backend(permissions: Permission[] = MANAGER) {
  const members = [member(owner.id, "Olivia Owner", "manager"), member(writerId, "Walter Writer", "editor")];
  let invitations = [invitation("new@acme.example"), invitation("old@acme.example", { accepted_at: "2030-01-02T00:00:00Z" })];
  const fake = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user: owner, csrf_token: "csrf-1", expires_at: "2999-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () => json({ user: owner, organizations: [], workspaces: [] }))
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: "o1", name: "Acme", slug: "acme", role: "manager", permissions, created_at: "2030-01-01T00:00:00Z" }),
    )
    .on("GET /api/v1/workspaces/{id}/members", () => json(members))
    .on("PATCH /api/v1/workspaces/{id}/members/{id}", async (request, match) => {
      const target = members.find((item) => item.user_id === match[2]);
      if (!target) return problem(404, "Not found", "Member not found.");
      const { role } = (await request.json()) as { role: Member["role"] };
      target.role = role;
      return json(target);
    })
    .on("GET /api/v1/workspaces/{id}/invitations", () => json(invitations))
    .on("POST /api/v1/workspaces/{id}/invitations", async (request) => {
      const body = (await request.json()) as { email: string; role: Member["role"] };
      const created = invitation(body.email, { role: body.role });
      invitations = [created, ...invitations];
      return json({ ...created, token: "inv-token-secret-123" }, { status: 201, headers: { "Cache-Control": "no-store" } });
    });
  return fake;
}

// Each test boots the whole app (session, workspace, lazy screens) on a 2-core machine that may
// be busy: wait longer than the defaults before calling a test failed.
configure({ asyncUtilTimeout: 4000 });
const SLOW = { timeout: 20_000 };

// The router loads screens lazily; load them once up front so no test spends its wait on that.
beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./MembersPage")]);
});

/** An option of a Mantine Select's own listbox (every row's Select keeps one). */
async function optionOf(select: HTMLElement, name: string) {
  const listbox = await waitFor(() => {
    const element = document.getElementById(select.getAttribute("aria-controls") ?? "");
    if (!element) throw new Error("the role list is not open");
    return element;
  });
  return within(listbox).getByRole("option", { name, hidden: true });
}

function renderAt(path: string) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  const result = render(<App app={app} />);
  return { app, ...result };
}

describe("members", SLOW, () => {
  it("changes a member's role and says so", async () => {
    const fake = backend();
    renderAt(`/w/${WORKSPACE}/members`);

    const select = await screen.findByRole("textbox", { name: "Role for Walter Writer" });
    expect(select).toHaveValue("Editor");
    await userEvent.click(select);
    await userEvent.click(await optionOf(select, "Reviewer"));

    expect(await screen.findByText("Walter Writer is now Reviewer.")).toBeInTheDocument();
    const patch = fake.requests.find((request) => request.method === "PATCH");
    expect(new URL(patch?.url ?? "").pathname).toBe(`/api/v1/workspaces/${WORKSPACE}/members/${writerId}`);
    expect(await patch?.json()).toEqual({ role: "reviewer" });
    expect(patch?.headers.get("X-CSRF-Token")).toBe("csrf-1");
    await waitFor(() => expect(screen.getByRole("textbox", { name: "Role for Walter Writer" })).toHaveValue("Reviewer"));
  });

  it("shows the server's reason when the last manager would be demoted, and keeps the role", async () => {
    const fake = backend().on("PATCH /api/v1/workspaces/{id}/members/{id}", () =>
      problem(409, "Conflict", "A workspace keeps at least one manager; appoint another first."),
    );
    renderAt(`/w/${WORKSPACE}/members`);

    // By keyboard: arrows move through the options without changing anything; Enter picks one.
    const select = await screen.findByRole("textbox", { name: "Role for Olivia Owner" });
    select.focus();
    await userEvent.keyboard("{ArrowDown}{ArrowDown}");
    expect(fake.requests.some((request) => request.method === "PATCH")).toBe(false);
    await userEvent.keyboard("{Enter}");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The role of Olivia Owner was not changed");
    expect(alert).toHaveTextContent("A workspace keeps at least one manager; appoint another first.");
    expect(fake.requests.filter((request) => request.method === "PATCH")).toHaveLength(1);
    expect(screen.getByRole("textbox", { name: "Role for Olivia Owner" })).toHaveValue("Manager");
    expect(within(alert).getByRole("button", { name: "Reload members" })).toBeInTheDocument();
  });

  it("removes a member after confirming", async () => {
    let removed = false;
    backend().on("DELETE /api/v1/workspaces/{id}/members/{id}", () => {
      removed = true;
      return new Response(null, { status: 204 });
    });
    renderAt(`/w/${WORKSPACE}/members`);

    await userEvent.click(await screen.findByRole("button", { name: "Remove Walter Writer" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove Walter Writer?" });
    expect(removed).toBe(false);
    await userEvent.click(within(dialog).getByRole("button", { name: "Remove member" }));

    expect(await screen.findByText("Walter Writer was removed from the workspace.")).toBeInTheDocument();
    expect(removed).toBe(true);
  });

  it("invites someone and shows the token once", async () => {
    const fake = backend();
    const { app } = renderAt(`/w/${WORKSPACE}/members`);

    await userEvent.click(await screen.findByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog", { name: "Invite member" });
    await userEvent.type(within(dialog).getByRole("textbox", { name: /^Email/ }), "casey@acme.example");
    await userEvent.selectOptions(within(dialog).getByRole("combobox", { name: /^Role/ }), "Editor");
    await userEvent.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    const token = await within(dialog).findByRole("textbox", { name: "Invitation token" });
    expect(token).toHaveValue("inv-token-secret-123");
    expect(token).toHaveAttribute("readonly");
    expect(within(dialog).getByText(/shown only once/)).toBeInTheDocument();
    const post = fake.requests.find((request) => request.method === "POST");
    expect(await post?.json()).toEqual({ email: "casey@acme.example", role: "editor" });
    // The list of pending invitations is read again and shows the new one.
    expect(await screen.findByRole("rowheader", { name: "casey@acme.example" })).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(document.body).not.toHaveTextContent("inv-token-secret-123");
    expect(JSON.stringify(app.queryClient.getMutationCache().getAll().map((mutation) => mutation.state))).not.toContain(
      "inv-token-secret-123",
    );

    // Opening the dialog again starts from an empty form.
    await userEvent.click(screen.getByRole("button", { name: "Invite member" }));
    const again = await screen.findByRole("dialog", { name: "Invite member" });
    expect(within(again).getByRole("textbox", { name: /^Email/ })).toHaveValue("");
    expect(within(again).queryByRole("textbox", { name: "Invitation token" })).not.toBeInTheDocument();
  });

  it("shows why an invitation was refused", async () => {
    backend().on("POST /api/v1/workspaces/{id}/invitations", () =>
      problem(409, "Conflict", "walter@northwind.example is already a member of this workspace."),
    );
    renderAt(`/w/${WORKSPACE}/members`);

    await userEvent.click(await screen.findByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog", { name: "Invite member" });
    await userEvent.type(within(dialog).getByRole("textbox", { name: /^Email/ }), "walter@northwind.example");
    await userEvent.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("is already a member of this workspace.");
    expect(within(dialog).queryByRole("textbox", { name: "Invitation token" })).not.toBeInTheDocument();
  });

  it("lists only pending invitations", async () => {
    backend();
    renderAt(`/w/${WORKSPACE}/members`);

    const section = await screen.findByRole("region", { name: "Pending invitations" });
    expect(await within(section).findByRole("rowheader", { name: "new@acme.example" })).toBeInTheDocument();
    expect(within(section).queryByText("old@acme.example")).not.toBeInTheDocument();
    expect(within(section).getByRole("button", { name: "Revoke invitation for new@acme.example" })).toBeInTheDocument();
  });

  it("offers no changes to a member without members:manage", async () => {
    const fake = backend(["workspace:read", "members:read"]);
    renderAt(`/w/${WORKSPACE}/members`);

    expect(await screen.findByRole("rowheader", { name: /Walter Writer/ })).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: /^Role for/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Invite member" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Remove/ })).not.toBeInTheDocument();
    expect(fake.requests.some((request) => request.url.includes("/invitations"))).toBe(false);
  });

  it("shows the problem's detail when the list cannot be read", async () => {
    backend().on("GET /api/v1/workspaces/{id}/members", () =>
      problem(403, "Permission denied", "Your role cannot see this workspace's members."),
    );
    renderAt(`/w/${WORKSPACE}/members`);

    expect(await screen.findByRole("alert")).toHaveTextContent("Your role cannot see this workspace's members.");
  });

  it("has no serious accessibility violations, with the invite dialog open too", async () => {
    backend();
    const { container } = renderAt(`/w/${WORKSPACE}/members`);
    await screen.findByRole("textbox", { name: "Role for Walter Writer" });
    await screen.findByRole("rowheader", { name: "new@acme.example" });
    expect(await seriousViolations(container)).toEqual([]);

    await userEvent.click(screen.getByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog", { name: "Invite member" });
    expect(await seriousViolations(dialog)).toEqual([]);
  });
});
