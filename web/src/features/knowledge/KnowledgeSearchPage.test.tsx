import { createMemoryHistory } from "@tanstack/react-router";
import { configure, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import { seriousViolations } from "../../test/axe";
import { problem } from "../../test/fake-api";
import { READER, WORKSPACE, knowledgeBackend } from "./knowledge-test-backend";
import type { SearchResult } from "./types";

configure({ asyncUtilTimeout: 4000 });
const SLOW = { timeout: 20_000 };

beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./KnowledgeSearchPage")]);
});

function renderSearch(search = "") {
  const app = createApp(createMemoryHistory({ initialEntries: [`/w/${WORKSPACE}/knowledge/search${search}`] }));
  return { app, ...render(<App app={app} />) };
}

function result(overrides: Partial<SearchResult> = {}): SearchResult {
  return {
    chunk_id: "c1",
    document: { id: "d1", title: "Brand guide", filename: "brand-guide.pdf", document_type: "pdf", tags: ["brand"] },
    ordinal: 4,
    start_offset: 1200,
    end_offset: 1680,
    page: 3,
    text: "The whole passage. Grip that holds on wet rock, all season.",
    snippet: "…Grip that holds on <b>wet</b> rock…",
    highlights: [{ start: 20, end: 30 }],
    scores: { fused: 0.0325, lexical_rank: 1, lexical_score: 0.4, vector_rank: 2, vector_similarity: 0.7134 },
    ...overrides,
  };
}

describe("knowledge search", SLOW, () => {
  it("searches with the chosen mode and filters, and shows citations with marked matches", async () => {
    const server = knowledgeBackend(READER);
    server.searchResponse = (request) => ({
      query: request.query,
      mode: request.mode,
      embedding_model: null,
      results: [result(), result({ chunk_id: "c2", document: { id: "d2", title: "Notes", filename: "notes.md", document_type: "markdown", tags: [] }, ordinal: 0, page: null, start_offset: 120, end_offset: 480, highlights: [] })],
    });
    const { app, container } = renderSearch();

    await userEvent.type(await screen.findByRole("searchbox", { name: /Search for/ }), "wet rock");
    await userEvent.click(screen.getByRole("radio", { name: "Keywords" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "PDF" }));
    await userEvent.click(screen.getByRole("button", { name: "Search" }));

    const results = await screen.findByRole("list", { name: "Results, best first" });
    expect(server.searches.at(-1)).toEqual({ query: "wet rock", mode: "lexical", limit: 20, filters: { tags: null, document_types: ["pdf"] } });
    expect(app.router.state.location.search).toMatchObject({ q: "wet rock", mode: "lexical", type: ["pdf"] });

    const first = within(results).getByRole("article", { name: "Result 1: Brand guide, page 3" });
    expect(within(first).getByRole("link", { name: "Brand guide" })).toHaveAttribute("href", `/w/${WORKSPACE}/knowledge/d1?chunk=4`);
    expect(first).toHaveTextContent("p. 3");
    // The snippet is text: its markup shows as written, and the match is a <mark> from the offsets.
    const marks = first.querySelectorAll("mark");
    expect([...marks].map((mark) => mark.textContent)).toEqual(["<b>wet</b>"]);
    expect(first.querySelector("b")).toBeNull();
    expect(first).toHaveTextContent("score 0.033");
    expect(first).toHaveTextContent("keywords #1");
    expect(first).toHaveTextContent("meaning #2 (0.71)");
    const second = within(results).getByRole("article", { name: "Result 2: Notes, characters 120 to 480" });
    expect(second).toHaveTextContent("chars 120–480");
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("runs the search in the URL on arrival and says when nothing matched", async () => {
    const server = knowledgeBackend(READER);
    renderSearch("?q=%22trail%22&tag=%5B%22brand%22%5D");

    expect(await screen.findByRole("heading", { name: "No passages found" })).toBeInTheDocument();
    expect(server.searches).toEqual([{ query: "trail", mode: "hybrid", limit: 20, filters: { tags: ["brand"], document_types: null } }]);
    expect(screen.getByRole("searchbox", { name: /Search for/ })).toHaveValue("trail");
  });

  it("asks for words before searching, and shows the API's reason when a search fails", async () => {
    const server = knowledgeBackend(READER);
    server.fake.on("POST /api/v1/workspaces/{id}/knowledge/search", () =>
      problem(503, "Service unavailable", "The embedding model is not available; try the keywords mode."),
    );
    renderSearch();

    await userEvent.click(await screen.findByRole("button", { name: "Search" }));
    expect(await screen.findByText("Type what you are looking for.")).toBeInTheDocument();
    await userEvent.type(screen.getByRole("searchbox", { name: /Search for/ }), "grip{enter}");
    expect(await screen.findByText("The embedding model is not available; try the keywords mode.")).toBeInTheDocument();
  });
});
