import { createMemoryHistory } from "@tanstack/react-router";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import { seriousViolations } from "../../test/axe";
import { EDITOR, READER, WORKSPACE, deferred, document, installFakeXhr, knowledgeBackend } from "./knowledge-test-backend";
import type { XhrReply } from "./knowledge-test-backend";

configure({ asyncUtilTimeout: 4000 });
const SLOW = { timeout: 20_000 };

beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./KnowledgeLibraryPage")]);
});

function renderLibrary(search = "") {
  const app = createApp(createMemoryHistory({ initialEntries: [`/w/${WORKSPACE}/knowledge${search}`] }));
  return { app, ...render(<App app={app} />) };
}

const guide = document("d1", { title: "Brand guide", filename: "brand-guide.pdf", document_type: "pdf", tags: ["brand"], page_count: 12 });
const broken = document("d2", { title: "Scanned leaflet", filename: "leaflet.pdf", document_type: "pdf", status: "failed", failure_reason: "The PDF has no text layer." });

describe("knowledge library", SLOW, () => {
  it("lists documents with their status, the reason of a failure, and tags", async () => {
    knowledgeBackend(EDITOR, [guide, broken]);
    const { container } = renderLibrary();

    const table = await screen.findByRole("table", { name: "Documents, newest first" });
    const guideRow = within(table).getByRole("link", { name: "Brand guide" }).closest("tr") as HTMLElement;
    expect(guideRow).toHaveTextContent("Indexed");
    expect(within(guideRow).getByRole("list", { name: "Tags" })).toHaveTextContent("brand");
    const brokenRow = within(table).getByRole("link", { name: "Scanned leaflet" }).closest("tr") as HTMLElement;
    expect(brokenRow).toHaveTextContent("Failed");
    expect(brokenRow).toHaveTextContent("The PDF has no text layer.");
    expect(within(brokenRow).getByRole("link", { name: "Download leaflet.pdf" })).toHaveAttribute(
      "href",
      `/api/v1/workspaces/${WORKSPACE}/knowledge/documents/d2/file`,
    );
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("uploads several files, each with its own progress and outcome", async () => {
    const server = knowledgeBackend(EDITOR, [guide]);
    const held = deferred<XhrReply>();
    const calls = installFakeXhr((call) => {
      const name = (call.body.get("file") as File).name;
      if (name === "new.md") return held.promise;
      if (name === "again.pdf") {
        return { status: 409, body: { type: "about:blank", title: "Conflict", status: 409, detail: "This file is already in the knowledge base as “Brand guide”.", document_id: "d1" } };
      }
      return { status: 415, body: { type: "about:blank", title: "Unsupported file type", status: 415, detail: "The bytes are a PNG image." } };
    });
    const { container } = renderLibrary();

    await userEvent.type(await screen.findByRole("textbox", { name: "Tags for the next upload" }), "Launch{enter}");
    const picker = container.querySelector<HTMLInputElement>('input[type="file"]');
    if (!picker) throw new Error("no file input");
    await userEvent.upload(picker, [new File(["# New"], "new.md"), new File(["%PDF-"], "again.pdf"), new File(["\x89PNG"], "photo.txt")]);

    // Two at a time: "new.md" is held half sent, the duplicate is answered.
    const uploads = await screen.findByRole("list", { name: "Uploads" });
    const progress = await within(uploads).findByRole("progressbar", { name: "Uploading new.md" });
    await waitFor(() => expect(progress).toHaveAttribute("aria-valuenow", "50"));
    expect(await within(uploads).findByText(/already in the knowledge base as “Brand guide”/)).toBeInTheDocument();
    expect(within(uploads).getByRole("link", { name: "Open the existing document" })).toHaveAttribute("href", `/w/${WORKSPACE}/knowledge/d1`);
    expect(await within(uploads).findByText(/Not a supported file type/)).toBeInTheDocument();

    server.documents.unshift(document("d9", { title: "new.md", filename: "new.md", status: "queued", chunk_count: 0, indexed_at: null }));
    held.resolve({ status: 201, body: server.documents[0] });
    expect(await within(uploads).findByRole("link", { name: "Open “new.md”" })).toBeInTheDocument();
    expect(calls.map((call) => call.body.getAll("tags"))).toEqual([["launch"], ["launch"], ["launch"]]);
    expect(calls.every((call) => call.headers["x-csrf-token"] === "csrf-1")).toBe(true);

    // The list was read again and shows the new document, being indexed.
    const table = screen.getByRole("table", { name: "Documents, newest first" });
    const row = (await within(table).findByRole("link", { name: "new.md" })).closest("tr") as HTMLElement;
    expect(row).toHaveTextContent("Queued");
    expect(screen.getByText("3 of 3 uploads finished, 1 added to the library.")).toBeInTheDocument();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("refreshes by itself while a document is being indexed", async () => {
    const queued = document("d3", { title: "Price list", status: "parsing", indexed_at: null });
    const server = knowledgeBackend(EDITOR, [queued]);
    renderLibrary();

    const row = (await screen.findByRole("link", { name: "Price list" })).closest("tr") as HTMLElement;
    expect(row).toHaveTextContent("Processing");
    queued.status = "indexed";
    await waitFor(() => expect(row).toHaveTextContent("Indexed"), { timeout: 6000 });
    const lists = server.fake.requests.filter((request) => request.method === "GET" && new URL(request.url).pathname.endsWith("/documents"));
    expect(lists.length).toBeGreaterThan(1);
  });

  it("re-ingests a failed document and deletes one after confirming", async () => {
    const server = knowledgeBackend(EDITOR, [guide, broken]);
    renderLibrary();

    await userEvent.click(await screen.findByRole("button", { name: "Re-ingest Scanned leaflet" }));
    const row = screen.getByRole("link", { name: "Scanned leaflet" }).closest("tr") as HTMLElement;
    await waitFor(() => expect(row).toHaveTextContent("Queued"));

    await userEvent.click(screen.getByRole("button", { name: "Delete Brand guide" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete “Brand guide”?" });
    expect(server.documents).toHaveLength(2);
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete document" }));
    await waitFor(() => expect(screen.queryByRole("link", { name: "Brand guide" })).not.toBeInTheDocument());
    expect(server.documents.map((item) => item.id)).toEqual(["d2"]);
  });

  it("keeps filters in the URL and sends them to the API", async () => {
    const server = knowledgeBackend(EDITOR, [guide, broken]);
    const { app } = renderLibrary("?status=%22indexed%22&tag=%5B%22brand%22%5D");

    await screen.findByRole("table", { name: "Documents, newest first" });
    const list = server.fake.requests.find((request) => new URL(request.url).pathname.endsWith("/documents"));
    const params = new URL(list?.url ?? "").searchParams;
    expect(params.get("status")).toBe("indexed");
    expect(params.getAll("tag")).toEqual(["brand"]);
    expect(app.router.state.location.search).toMatchObject({ status: "indexed", tag: ["brand"] });
    expect(screen.getByRole("link", { name: "Brand guide" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Scanned leaflet" })).not.toBeInTheDocument();
  });

  it("offers no upload, re-ingest or delete to a role that may only read", async () => {
    knowledgeBackend(READER, [guide, broken]);
    const { container } = renderLibrary();

    await screen.findByRole("link", { name: "Brand guide" });
    expect(screen.queryByRole("region", { name: "Upload documents" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Re-ingest|Delete/ })).not.toBeInTheDocument();
    expect(screen.getAllByRole("link", { name: /^Download/ })).toHaveLength(2);
    expect(await seriousViolations(container)).toEqual([]);
  });
});
