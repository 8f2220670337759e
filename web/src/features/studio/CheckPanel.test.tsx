import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { ContentBody } from "../../api/types";
import { seriousViolations } from "../../test/axe";
import { problem } from "../../test/fake-api";
import { renderWithProviders } from "../../test/render";
import { CAMPAIGN, WORKSPACE } from "../content/content-test-backend";
import { CheckPanel } from "./CheckPanel";
import { BANNED, CHEAP, MISSING_DISCLAIMER, studioBackend } from "./studio-test-backend";

const scope = { workspaceId: WORKSPACE, campaignId: CAMPAIGN };

function renderCheck(options: Parameters<typeof studioBackend>[0] = {}, canFix = true) {
  const backend = studioBackend(options);
  const onVersionCreated = vi.fn();
  const result = renderWithProviders(
    <CheckPanel scope={scope} item={{ data: backend.detail(), etag: '"v1"' }} canFix={canFix} onVersionCreated={onVersionCreated} />,
  );
  return { ...result, backend, onVersionCreated };
}

const versionPosts = (backend: ReturnType<typeof studioBackend>) =>
  backend.fake.requests.filter((request) => request.method === "POST" && request.url.endsWith("/versions"));

describe("compliance check", { timeout: 20_000 }, () => {
  it("marks each finding's span in the text, counting code points as the API does", async () => {
    const { container } = renderCheck({ findings: [BANNED, CHEAP] });

    expect(await screen.findByText("Score 64 of 100")).toBeInTheDocument();
    expect(screen.getByText("Below the minimum")).toBeInTheDocument();
    expect(screen.getByText(/Minimum score to submit for review: 70/)).toBeInTheDocument();
    // After the emoji (two UTF-16 units, one code point), exactly the flagged words.
    const marks = [...container.querySelectorAll("mark")];
    expect(marks.map((mark) => mark.textContent)).toEqual(["Major banned term: injury-proof", "Minor banned term: cheap"]);
    expect(marks.map((mark) => mark.dataset.severity)).toEqual(["major", "minor"]);
    // Each mark is followed by its number, which leads to the finding in the list.
    const toFirst = screen.getByRole("link", { name: "Finding 1" });
    await userEvent.click(toFirst);
    const findings = screen.getByRole("list", { name: "Findings" });
    expect(within(findings).getAllByRole("listitem")[0]?.querySelector("[tabindex='-1']")).toHaveFocus();
  });

  it("lists each finding with its severity in words, the rule it rests on and its fix", async () => {
    renderCheck({ findings: [MISSING_DISCLAIMER, BANNED] });

    const items = within(await screen.findByRole("list", { name: "Findings" })).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("Blocker");
    expect(items[0]).toHaveTextContent("Missing disclaimer");
    expect(items[0]).toHaveTextContent("Rule: Brand kit · disclaimers #2 “free-returns”");
    expect(within(items[0] as HTMLElement).queryByRole("button")).not.toBeInTheDocument();
    expect(items[1]).toHaveTextContent("Major");
    expect(items[1]).toHaveTextContent("Rule: Brand kit · banned terms #1 “injury-proof”");
    expect(items[1]).toHaveTextContent("Fix: Replace “injury-proof” with “supportive”");
    expect(screen.getByText("Blocked")).toBeInTheDocument();
  });

  it("applies a fix as the next version, with If-Match", async () => {
    const { backend, onVersionCreated } = renderCheck({ findings: [BANNED, CHEAP] });

    await userEvent.click(await screen.findByRole("button", { name: "Apply fix for finding 1" }));

    await waitFor(() => expect(onVersionCreated).toHaveBeenCalled());
    const [post] = versionPosts(backend);
    expect(post?.headers.get("If-Match")).toBe('"v1"');
    const { body } = (await post?.json()) as { body: ContentBody };
    expect(body).toEqual({ channel: "x", text: "🏃 Our supportive shoe is cheap." });
  });

  it("applies every fix at once", async () => {
    const { backend } = renderCheck({ findings: [BANNED, CHEAP] });

    await userEvent.click(await screen.findByRole("button", { name: "Apply all 2 fixes" }));

    await waitFor(() => expect(versionPosts(backend)).toHaveLength(1));
    const { body } = (await versionPosts(backend)[0]?.json()) as { body: ContentBody };
    expect(body).toEqual({ channel: "x", text: "🏃 Our supportive shoe is great value." });
  });

  it("says so when a newer version was saved meanwhile (412)", async () => {
    const { backend } = renderCheck({ findings: [BANNED] });
    backend.fake.on("POST /api/v1/workspaces/{w}/campaigns/{c}/contents/{id}/versions", () =>
      problem(412, "Precondition failed", "The content has a newer version than the one you edited."),
    );

    await userEvent.click(await screen.findByRole("button", { name: "Apply fix for finding 1" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Someone saved a newer version meanwhile");
  });

  it("is read only without ai:generate, and reports a clean version", async () => {
    renderCheck({ findings: [BANNED] }, false);
    await screen.findByRole("list", { name: "Findings" });
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("says when nothing was found", async () => {
    renderCheck({ findings: [] });
    expect(await screen.findByText("No findings: this version follows every rule checked (9).")).toBeInTheDocument();
    expect(screen.getByText("Passes")).toBeInTheDocument();
  });

  it("has no serious accessibility violations", async () => {
    const { container } = renderCheck({ findings: [MISSING_DISCLAIMER, BANNED, CHEAP] });
    await screen.findByRole("list", { name: "Findings" });
    expect(await seriousViolations(container)).toEqual([]);
  });
});
