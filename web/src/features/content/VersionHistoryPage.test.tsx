import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import { seriousViolations } from "../../test/axe";
import { problem } from "../../test/fake-api";
import { CAMPAIGN, COLLEAGUE, CONTENT, WORKSPACE, contentBackend } from "./content-test-backend";

function renderHistory(query = "") {
  const app = createApp(
    createMemoryHistory({ initialEntries: [`/w/${WORKSPACE}/campaigns/${CAMPAIGN}/contents/${CONTENT}/versions${query}`] }),
  );
  const view = render(<App app={app} />);
  return { app, ...view };
}

/** Three versions of an X post; the third by a colleague. */
function threeVersions() {
  const backend = contentBackend({
    bodies: [
      { channel: "x", text: "Grip on rock." },
      { channel: "x", text: "Grip on wet rock." },
    ],
  });
  backend.colleagueSaves({ channel: "x", text: "Grip on dry rock, all year." });
  return backend;
}

const diffRequests = (backend: ReturnType<typeof contentBackend>) =>
  backend.fake.requests.filter((request) => request.url.includes("/diff")).map((request) => {
    const url = new URL(request.url);
    return `${url.pathname.split("/versions/")[1]}?${url.searchParams.toString()}`;
  });

// The router loads screens lazily; load this one up front so no test's first wait includes
// compiling the screen's module graph.
beforeAll(() => import("./VersionHistoryPage"), 30_000);

// Whole-app renders with axe runs take seconds each on a 2-core CI machine.
describe("version history", { timeout: 20_000 }, () => {
  it("lists the versions with their authors", async () => {
    threeVersions();
    renderHistory();

    const table = await screen.findByRole("table", { name: "Versions, newest first" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getByRole("rowheader").textContent)).toEqual(["3 current", "2 ", "1 "]);
    expect(rows[0]).toHaveTextContent(COLLEAGUE.display_name);
    expect(rows[1]).toHaveTextContent("You");
  });

  it("shows what the current version changed, side by side, with removed and added words marked", async () => {
    const backend = threeVersions();
    renderHistory();

    const region = await screen.findByRole("region", { name: "Differences" });
    const table = await within(region).findByRole("table");
    expect(within(table).getAllByRole("columnheader").map((cell) => cell.textContent)).toEqual(["Field", "Version 2", "Version 3"]);
    const row = within(table).getByRole("rowheader", { name: /Text/ }).closest("tr");
    const [before, after] = within(row as HTMLElement).getAllByRole("cell");
    // <del>/<ins> carry the change, with words for screen readers, not colour alone.
    expect([...(before?.querySelectorAll("del") ?? [])].map((del) => del.textContent)).toEqual(["removed: wet"]);
    expect([...(after?.querySelectorAll("ins") ?? [])].map((ins) => ins.textContent)).toEqual(["added: dry", "added: , all year"]);
    expect(before).toHaveTextContent("Grip on removed: wet rock.");
    expect(diffRequests(backend)).toEqual(["3/diff?against=2"]);
  });

  it("compares the versions chosen in the pickers, through the URL", async () => {
    const backend = threeVersions();
    const { app } = renderHistory();

    await userEvent.selectOptions(await screen.findByRole("combobox", { name: "From version" }), "Version 1");
    await waitFor(() => expect(app.router.state.location.search).toEqual({ from: 1, to: 3 }));
    const region = screen.getByRole("region", { name: "Differences" });
    expect(await within(region).findByRole("columnheader", { name: "Version 1" })).toBeInTheDocument();
    expect(diffRequests(backend)).toContain("3/diff?against=1");

    await userEvent.selectOptions(screen.getByRole("combobox", { name: "To version" }), "Version 1");
    expect(await within(region).findByText("Choose two different versions to see what changed.")).toBeInTheDocument();
  });

  it("shows one version's changes from a row of the list, and moves focus to them", async () => {
    threeVersions();
    const { app } = renderHistory();

    await userEvent.click(await screen.findByRole("button", { name: "Show changes in version 2" }));

    await waitFor(() => expect(app.router.state.location.search).toEqual({ from: 1, to: 2 }));
    const region = screen.getByRole("region", { name: "Differences" });
    await waitFor(() => expect(region).toHaveFocus());
    expect(await within(region).findByRole("columnheader", { name: "Version 2" })).toBeInTheDocument();
  });

  it("says when there is nothing to compare", async () => {
    contentBackend();
    renderHistory();

    expect(await screen.findByText("There is only one version so far, so there is nothing to compare yet.")).toBeInTheDocument();
    expect(screen.queryByRole("combobox", { name: "From version" })).not.toBeInTheDocument();
  });

  it("shows the problem's detail when the diff cannot be loaded", async () => {
    const backend = threeVersions();
    backend.fake.on("GET /api/v1/workspaces/{w}/campaigns/{c}/contents/{id}/versions/{n}/diff", () =>
      problem(404, "Not found", "Version 9 of this content does not exist."),
    );
    renderHistory("?from=9&to=3");

    const region = await screen.findByRole("region", { name: "Differences" });
    expect(await within(region).findByRole("alert")).toHaveTextContent("Version 9 of this content does not exist.");
  });

  it("has no serious accessibility violations", async () => {
    threeVersions();
    const { container } = renderHistory();
    await within(await screen.findByRole("region", { name: "Differences" })).findByRole("table");
    await screen.findByRole("table", { name: "Versions, newest first" });
    expect(await seriousViolations(container)).toEqual([]);
  });
});
