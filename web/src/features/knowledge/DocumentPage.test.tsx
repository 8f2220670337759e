import { createMemoryHistory } from "@tanstack/react-router";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import { seriousViolations } from "../../test/axe";
import { problem } from "../../test/fake-api";
import { EDITOR, READER, WORKSPACE, chunk, document, knowledgeBackend } from "./knowledge-test-backend";

configure({ asyncUtilTimeout: 4000 });
const SLOW = { timeout: 20_000 };

beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./DocumentPage")]);
});

function renderDocument(id: string, search = "") {
  const app = createApp(createMemoryHistory({ initialEntries: [`/w/${WORKSPACE}/knowledge/${id}${search}`] }));
  return { app, ...render(<App app={app} />) };
}

const guide = () => document("d1", { title: "Brand guide", filename: "brand-guide.pdf", document_type: "pdf", tags: ["brand"], page_count: 2 });

describe("a knowledge document", SLOW, () => {
  it("shows its passages and marks the one a citation points to", async () => {
    const server = knowledgeBackend(EDITOR, [guide()]);
    server.chunks.set("d1", [chunk("d1", 0, "Our voice is warm.", 1), chunk("d1", 1, "Grip that holds on wet rock.", 2)]);
    const { container } = renderDocument("d1", "?chunk=1");

    expect(await screen.findByRole("heading", { level: 1, name: "Brand guide" })).toBeInTheDocument();
    const passages = await screen.findByRole("list", { name: "Passages" });
    const cited = within(passages).getByRole("listitem", { name: "Passage 2" });
    expect(cited).toHaveAttribute("aria-current", "location");
    expect(cited).toHaveTextContent("p. 2");
    expect(cited).toHaveTextContent("Grip that holds on wet rock.");
    await waitFor(() => expect(cited).toHaveFocus());
    expect(within(passages).getByRole("listitem", { name: "Passage 1" })).not.toHaveAttribute("aria-current");
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("saves new tags and a title, sending only what changed", async () => {
    const server = knowledgeBackend(EDITOR, [guide()]);
    renderDocument("d1");

    const form = await screen.findByRole("form", { name: "Document details" });
    const tags = within(form).getByRole("textbox", { name: "Tags" });
    await userEvent.type(tags, "Voice,");
    await userEvent.click(within(form).getByRole("button", { name: "Save details" }));

    await waitFor(() => expect(server.documents[0]?.tags).toEqual(["brand", "voice"]));
    const patch = server.fake.requests.find((request) => request.method === "PATCH");
    expect(await patch?.json()).toEqual({ tags: ["brand", "voice"] });
    expect(patch?.headers.get("X-CSRF-Token")).toBe("csrf-1");
  });

  it("puts the API's field errors on the fields", async () => {
    const server = knowledgeBackend(EDITOR, [guide()]);
    server.fake.on("PATCH /api/v1/workspaces/{id}/knowledge/documents/{id}", () =>
      problem(422, "Request validation failed", "body.title: too long", {
        errors: [{ loc: ["body", "title"], msg: "String should have at most 300 characters", type: "string_too_long" }],
      }),
    );
    renderDocument("d1");

    const title = await screen.findByRole("textbox", { name: /^Title/ });
    await userEvent.clear(title);
    await userEvent.type(title, "Guide 2031");
    await userEvent.click(screen.getByRole("button", { name: "Save details" }));

    expect(await screen.findByText("String should have at most 300 characters")).toBeInTheDocument();
    expect(title).toHaveAttribute("aria-invalid", "true");
  });

  it("explains a failure and offers re-ingest; refreshes while indexing", async () => {
    const failed = document("d2", { title: "Leaflet", status: "failed", failure_reason: "The PDF has no text layer.", indexed_at: null });
    knowledgeBackend(EDITOR, [failed]);
    renderDocument("d2");

    expect(await screen.findByText("The PDF has no text layer.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Re-ingest Leaflet" }));
    expect(await screen.findByText("Being indexed")).toBeInTheDocument();
    failed.status = "indexed";
    failed.indexed_at = "2030-01-03T00:00:00Z";
    await waitFor(() => expect(screen.queryByText("Being indexed")).not.toBeInTheDocument(), { timeout: 6000 });
    expect(await screen.findByText("No passages")).toBeInTheDocument();
  });

  it("is read only without knowledge:write", async () => {
    knowledgeBackend(READER, [guide()]);
    const { container } = renderDocument("d1");

    await screen.findByRole("heading", { level: 1, name: "Brand guide" });
    expect(screen.queryByRole("form", { name: "Document details" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Re-ingest|Delete/ })).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Download brand-guide.pdf" })).toBeInTheDocument();
    expect(await seriousViolations(container)).toEqual([]);
  });
});
