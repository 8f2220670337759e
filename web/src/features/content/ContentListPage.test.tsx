import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import type { Content, Permission } from "../../api/types";
import { seriousViolations } from "../../test/axe";
import { json, problem } from "../../test/fake-api";
import { CAMPAIGN, CONTENT, READER, WORKSPACE, WRITER, contentBackend } from "./content-test-backend";

const LIST = "/api/v1/workspaces/{w}/campaigns/{c}/contents";

function item(title: string, channel: Content["channel"] = "x"): Content {
  return {
    id: `id-${title}`,
    workspace_id: WORKSPACE,
    campaign_id: CAMPAIGN,
    channel,
    title,
    current_version: 2,
    created_by: null,
    created_at: "2030-01-01T00:00:00Z",
    updated_at: "2030-01-02T00:00:00Z",
  };
}

/** Two pages of content (cursor "p2" opens the second); a channel filter answers one item of it. */
function backend(permissions: Permission[] = WRITER, pages: Content[][] = [[item("First page")], [item("Second page")]]) {
  const listed: URLSearchParams[] = [];
  const { fake } = contentBackend({ permissions });
  fake.on(`GET ${LIST}`, (request) => {
    const params = new URL(request.url).searchParams;
    listed.push(params);
    const channel = params.get("channel") as Content["channel"] | null;
    if (channel) return json({ items: [item(`Only ${channel}`, channel)], next_cursor: null });
    return params.get("cursor") === "p2"
      ? json({ items: pages[1] ?? [], next_cursor: null })
      : json({ items: pages[0] ?? [], next_cursor: pages.length > 1 ? "p2" : null });
  });
  return { fake, listed };
}

function renderList(query = "") {
  const app = createApp(createMemoryHistory({ initialEntries: [`/w/${WORKSPACE}/campaigns/${CAMPAIGN}/contents${query}`] }));
  const view = render(<App app={app} />);
  return { app, ...view };
}


// The router loads screens lazily; load them once up front so no test's first wait includes
// compiling the screen's module graph.
beforeAll(() => Promise.all([import("./ContentListPage"), import("./ContentEditorPage")]), 30_000);

// Whole-app renders with axe runs take seconds each on a 2-core CI machine.
describe("content list", { timeout: 20_000 }, () => {
  it("lists the campaign's content and pages through it", async () => {
    backend();
    const { app } = renderList();

    const first = await screen.findByRole("link", { name: "First page" });
    expect(first).toHaveAttribute("href", `/w/${WORKSPACE}/campaigns/${CAMPAIGN}/contents/id-First page`.replace(" ", "%20"));
    const row = first.closest("tr");
    expect(row).toHaveTextContent("X");
    expect(row).toHaveTextContent("2");

    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    expect(await screen.findByRole("link", { name: "Second page" })).toBeInTheDocument();
    expect(app.router.state.location.search).toMatchObject({ cursor: "p2" });
    await userEvent.click(screen.getByRole("button", { name: "Previous page" }));
    expect(await screen.findByRole("link", { name: "First page" })).toBeInTheDocument();
  });

  it("filters by channel through the URL", async () => {
    const { listed } = backend();
    const { app } = renderList();

    await screen.findByRole("link", { name: "First page" });
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Channel" }), "Search ad");

    expect(await screen.findByRole("link", { name: "Only search_ad" })).toBeInTheDocument();
    expect(app.router.state.location.search).toEqual({ channel: "search_ad" });
    expect(listed.at(-1)?.get("channel")).toBe("search_ad");
  });

  it("creates content for one of the campaign's channels and opens it", async () => {
    const { fake } = backend();
    fake.on(`POST ${LIST}`, async (request) => {
      const sent = (await request.json()) as { title: string; body: { channel: "x"; text: string } };
      const version = { content_id: CONTENT, number: 1, created_at: "2030-01-01T00:00:00Z", author: { type: "user", id: "u" }, etag: '"v1"', body: sent.body };
      return json({ ...item(sent.title), id: CONTENT, current_version: 1, current: version }, { status: 201, headers: { ETag: '"v1"' } });
    });
    renderList();

    await userEvent.click(await screen.findByRole("button", { name: "New content" }));
    const dialog = await screen.findByRole("dialog", { name: "New content" });
    const channel = within(dialog).getByRole("combobox", { name: /^Channel/ });
    // The campaign runs on X and search ads only.
    expect(within(channel).getAllByRole("option").map((option) => option.textContent)).toEqual(["Choose a channel", "X", "Search ad"]);
    await userEvent.selectOptions(channel, "X");
    await userEvent.type(within(dialog).getByRole("textbox", { name: /^Title/ }), "Launch post");
    await userEvent.type(within(dialog).getByRole("textbox", { name: /^Text/ }), "TrailFlow 3 is out.");
    await userEvent.click(within(dialog).getByRole("button", { name: "Create content" }));

    expect(await screen.findByRole("heading", { name: "Launch post", level: 1 })).toBeInTheDocument();
    const post = fake.requests.find((request) => request.method === "POST");
    expect(await post?.json()).toEqual({ title: "Launch post", body: { channel: "x", text: "TrailFlow 3 is out." } });
  });

  it("puts the API's validation messages on the dialog's fields", async () => {
    const { fake } = backend();
    fake.on(`POST ${LIST}`, () =>
      problem(422, "Request validation failed", "body.title: Title taken", {
        errors: [
          { loc: ["body", "title"], msg: "Title taken", type: "value_error" },
          { loc: ["body", "body", "x", "text"], msg: "Text refused", type: "value_error" },
        ],
      }),
    );
    renderList();

    await userEvent.click(await screen.findByRole("button", { name: "New content" }));
    const dialog = await screen.findByRole("dialog", { name: "New content" });
    await userEvent.selectOptions(within(dialog).getByRole("combobox", { name: /^Channel/ }), "X");
    await userEvent.type(within(dialog).getByRole("textbox", { name: /^Title/ }), "Launch post");
    await userEvent.type(within(dialog).getByRole("textbox", { name: /^Text/ }), "Hello");
    await userEvent.click(within(dialog).getByRole("button", { name: "Create content" }));

    expect(await within(dialog).findByText("Title taken")).toBeInTheDocument();
    expect(within(dialog).getByText("Text refused")).toBeInTheDocument();
    expect(within(dialog).getByRole("textbox", { name: /^Text/ })).toHaveAttribute("aria-invalid", "true");
    expect(within(dialog).getByRole("alert")).toHaveTextContent("Correct the fields marked above");
  });

  it("shows the empty state, without 'New content' for a role that cannot write", async () => {
    backend(READER, [[]]);
    renderList();

    expect(await screen.findByRole("heading", { name: "No content yet" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New content" })).not.toBeInTheDocument();
  });

  it("shows the problem's detail when the list cannot be loaded", async () => {
    const { fake } = backend();
    fake.on(`GET ${LIST}`, () => problem(403, "Permission denied", "Your role lacks content:read."));
    renderList();

    expect(await screen.findByRole("alert")).toHaveTextContent("Your role lacks content:read.");
  });

  it("has no serious accessibility violations, on the list or in the dialog", async () => {
    backend();
    const { container } = renderList();
    await screen.findByRole("link", { name: "First page" });
    expect(await seriousViolations(container)).toEqual([]);

    await userEvent.click(screen.getByRole("button", { name: "New content" }));
    const dialog = await screen.findByRole("dialog", { name: "New content" });
    await userEvent.selectOptions(within(dialog).getByRole("combobox", { name: /^Channel/ }), "Search ad");
    await waitFor(() => expect(within(dialog).getByRole("group", { name: "Headlines" })).toBeInTheDocument());
    expect(await seriousViolations(document.body)).toEqual([]);
  });
});
