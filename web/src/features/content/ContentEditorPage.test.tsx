import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import type { Campaign, ContentBody } from "../../api/types";
import { seriousViolations } from "../../test/axe";
import { problem } from "../../test/fake-api";
import { CAMPAIGN, CONTENT, LANDING, READER, SEARCH_AD, WORKSPACE, X_POST, campaign, contentBackend } from "./content-test-backend";

const X_POST_TEXT = (X_POST as { text: string }).text;

function renderEditor() {
  const app = createApp(createMemoryHistory({ initialEntries: [`/w/${WORKSPACE}/campaigns/${CAMPAIGN}/contents/${CONTENT}`] }));
  return render(<App app={app} />);
}

const textInput = () => screen.getByRole("textbox", { name: /^Text/ });
const versionPosts = (fake: ReturnType<typeof contentBackend>["fake"]) =>
  fake.requests.filter((request) => request.method === "POST" && request.url.endsWith("/versions"));


// The router loads screens lazily; load them once up front so no test's first wait includes
// compiling the screen's module graph.
beforeAll(() => Promise.all([import("./ContentEditorPage")]), 30_000);

// Whole-app renders with axe runs take seconds each on a 2-core CI machine.
describe("content editor", { timeout: 20_000 }, () => {
  it("shows the current version with a live counter that turns into 'over the limit'", async () => {
    contentBackend();
    renderEditor();

    expect(await screen.findByRole("heading", { name: "Launch post", level: 1 })).toBeInTheDocument();
    expect(screen.getByText("Version 1", { selector: ".mantine-Badge-label" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "History" })).toHaveAttribute(
      "href",
      `/w/${WORKSPACE}/campaigns/${CAMPAIGN}/contents/${CONTENT}/versions`,
    );
    expect(await screen.findByText(`${X_POST_TEXT.length} of at most 280 characters`)).toBeInTheDocument();

    await userEvent.clear(textInput());
    // Emoji count once, as the API counts code points.
    await userEvent.type(textInput(), "🏃".repeat(5));
    expect(screen.getByText("5 of at most 280 characters")).toBeInTheDocument();

    await userEvent.clear(textInput());
    await userEvent.click(textInput());
    await userEvent.paste("a".repeat(283));
    expect(screen.getByText("3 characters over the limit of 280")).toBeInTheDocument();
  });

  it("refuses an over-long text in place, without calling the API", async () => {
    const { fake } = contentBackend();
    renderEditor();

    await userEvent.clear(await screen.findByRole("textbox", { name: /^Text/ }));
    await userEvent.click(textInput());
    await userEvent.paste("a".repeat(281));
    await userEvent.click(screen.getByRole("button", { name: "Save version" }));

    expect(await screen.findByText("Use at most 280 characters; this has 281.")).toBeInTheDocument();
    expect(textInput()).toHaveAttribute("aria-invalid", "true");
    expect(versionPosts(fake)).toHaveLength(0);
  });

  it("saves the next version with If-Match and the channel's body", async () => {
    const { fake } = contentBackend();
    renderEditor();

    await userEvent.clear(await screen.findByRole("textbox", { name: /^Text/ }));
    await userEvent.type(textInput(), "  TrailFlow 4 is out.  ");
    await userEvent.click(screen.getByRole("button", { name: "Save version" }));

    expect(await screen.findByText("Version 2", { selector: ".mantine-Badge-label" })).toBeInTheDocument();
    const [post] = versionPosts(fake);
    expect(post?.headers.get("If-Match")).toBe('"v1"');
    expect(post?.headers.get("X-CSRF-Token")).toBe("csrf-1");
    expect(await post?.json()).toEqual({ body: { channel: "x", text: "TrailFlow 4 is out." } });
  });

  it("puts the API's field errors in place and lists the ones no field can show", async () => {
    const { fake } = contentBackend({ bodies: [SEARCH_AD] });
    fake.on("POST /api/v1/workspaces/{w}/campaigns/{c}/contents/{id}/versions", () =>
      problem(422, "Request validation failed", "body.body.search_ad.headlines.1: …", {
        errors: [
          { loc: ["body", "body", "search_ad", "headlines", 1], msg: "Headline taken", type: "value_error" },
          { loc: ["body", "body", "search_ad"], msg: "Value error, Display path 2 needs display path 1.", type: "value_error" },
        ],
      }),
    );
    renderEditor();

    await userEvent.type(await screen.findByRole("textbox", { name: /^Display path 2/ }), "shoes");
    await userEvent.click(screen.getByRole("button", { name: "Save version" }));

    expect(await screen.findByText("Headline taken")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Headline 2/ })).toHaveAttribute("aria-invalid", "true");
    const alert = screen.getByText("The version was not saved").closest('[role="alert"]');
    expect(alert).toHaveTextContent("Correct the fields marked above and the points below, then try again.");
    expect(alert).toHaveTextContent("Search ad: Display path 2 needs display path 1.");
    expect(alert).not.toHaveTextContent("Value error");
  });

  it("adds and removes list entries within the contract's counts", async () => {
    contentBackend({ bodies: [SEARCH_AD] });
    renderEditor();

    const headlines = await screen.findByRole("group", { name: "Headlines" });
    expect(within(headlines).getByText("3 of at most 15 headlines")).toBeInTheDocument();
    await userEvent.click(within(headlines).getByRole("button", { name: "Add headline" }));
    expect(within(headlines).getByRole("textbox", { name: /^Headline 4/ })).toHaveFocus();
    await userEvent.click(within(headlines).getByRole("button", { name: "Remove headline 4" }));
    await userEvent.click(within(headlines).getByRole("button", { name: "Remove headline 3" }));
    await userEvent.click(screen.getByRole("button", { name: "Save version" }));

    expect(await within(headlines).findByText("Add at least 3 headlines.")).toBeInTheDocument();
  });

  it("edits landing page sections as groups", async () => {
    const { fake } = contentBackend({ bodies: [LANDING], campaign: campaign(["landing_page"]) });
    renderEditor();

    const sections = await screen.findByRole("group", { name: "Sections" });
    await userEvent.click(within(sections).getByRole("button", { name: "Add section" }));
    const second = within(sections).getByRole("group", { name: "Section 2" });
    await userEvent.type(within(second).getByRole("textbox", { name: /^Heading/ }), "How");
    await userEvent.type(within(second).getByRole("textbox", { name: /^Body \(Markdown\)/ }), "Step by step.");
    await userEvent.click(screen.getByRole("button", { name: "Save version" }));

    await waitFor(() => expect(versionPosts(fake)).toHaveLength(1));
    const sent = (await versionPosts(fake)[0]?.json()) as { body: ContentBody };
    expect(sent.body).toMatchObject({
      sections: [
        { heading: "Why", body_markdown: "Because." },
        { heading: "How", body_markdown: "Step by step." },
      ],
    });
  });

  it("on 412 offers Compare, then saves the person's change on top of the newer version", async () => {
    const backend = contentBackend({ bodies: [SEARCH_AD] });
    renderEditor();

    const url = await screen.findByRole("textbox", { name: /^Final URL/ });
    backend.colleagueSaves({ ...SEARCH_AD, headlines: ["Acme TrailFlow 3", "Grip on Wet Rock", "Free returns, always"] } as ContentBody);
    await userEvent.clear(url);
    await userEvent.type(url, "https://acme-running.example/trail-2");
    await userEvent.click(screen.getByRole("button", { name: "Save version" }));

    const conflict = await screen.findByRole("alert");
    expect(conflict).toHaveTextContent("The content has a newer version than the one you edited.");
    await userEvent.click(within(conflict).getByRole("button", { name: "Compare" }));
    const table = await screen.findByRole("table", { name: /Your changes next to version 2/ });
    expect(within(table).getByRole("rowheader", { name: /Final URL/ }).closest("tr")).toHaveTextContent("trail-2");
    expect(within(table).getByRole("rowheader", { name: /Headlines/ }).closest("tr")).toHaveTextContent("Free returns, always");

    await userEvent.click(screen.getByRole("button", { name: "Keep my changes" }));
    await userEvent.click(screen.getByRole("button", { name: "Save version" }));

    expect(await screen.findByText("Version 3", { selector: ".mantine-Badge-label" })).toBeInTheDocument();
    expect(versionPosts(backend.fake).map((request) => request.headers.get("If-Match"))).toEqual(['"v1"', '"v2"']);
    // The colleague's headline survives; the person's URL is on top.
    expect(backend.versions.at(-1)?.body).toMatchObject({
      headlines: ["Acme TrailFlow 3", "Grip on Wet Rock", "Free returns, always"],
      final_url: "https://acme-running.example/trail-2",
    });
  });

  it("on 412, Reload discards the person's changes for the newer version", async () => {
    const backend = contentBackend();
    renderEditor();

    await userEvent.clear(await screen.findByRole("textbox", { name: /^Text/ }));
    backend.colleagueSaves({ channel: "x", text: "Colleague's text" });
    await userEvent.type(textInput(), "Mine");
    await userEvent.click(screen.getByRole("button", { name: "Save version" }));
    await userEvent.click(await screen.findByRole("button", { name: "Reload" }));

    expect(await screen.findByDisplayValue("Colleague's text")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("is read only for a role without content:write", async () => {
    contentBackend({ permissions: READER });
    renderEditor();

    expect(await screen.findByText("Your role can read this content but not change it.")).toBeInTheDocument();
    // Read only, not disabled: still focusable and legible.
    expect(textInput()).toHaveAttribute("readonly");
    expect(textInput()).toBeEnabled();
    expect(screen.queryByRole("button", { name: "Save version" })).not.toBeInTheDocument();
  });

  it("offers no list changes when read only", async () => {
    contentBackend({ permissions: READER, bodies: [SEARCH_AD] });
    renderEditor();

    const headlines = await screen.findByRole("group", { name: "Headlines" });
    expect(within(headlines).getByRole("textbox", { name: /^Headline 1/ })).toHaveAttribute("readonly");
    expect(within(headlines).queryByRole("button")).not.toBeInTheDocument();
  });

  it("is read only while the campaign is archived", async () => {
    contentBackend({ campaign: { ...campaign(), status: "archived" } satisfies Campaign });
    renderEditor();

    expect(await screen.findByText("This campaign is archived; its content can no longer change.")).toBeInTheDocument();
    expect(textInput()).toHaveAttribute("readonly");
  });

  it("shows the problem's detail when the content cannot be loaded", async () => {
    contentBackend().fake.on("GET /api/v1/workspaces/{w}/campaigns/{c}/contents/{id}", () =>
      problem(404, "Not found", "Content not found."),
    );
    renderEditor();

    expect(await screen.findByRole("alert")).toHaveTextContent("Content not found.");
  });

  it("has no serious accessibility violations", async () => {
    contentBackend({ bodies: [LANDING], campaign: campaign(["landing_page"]) });
    const { container } = renderEditor();
    await screen.findByRole("button", { name: "Save version" });
    expect(await seriousViolations(container)).toEqual([]);
  });
});
