import { createMemoryHistory } from "@tanstack/react-router";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { App, createApp } from "../../app/App";
import { seriousViolations } from "../../test/axe";
import { CLIENT, REVIEWER, WORKSPACE, costsBackend, usageGroup } from "./costs-test-backend";
import { addDays, todayUtc } from "./period";

const SLOW = { timeout: 30_000 };

beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./CostsPage")]);
});

// jsdom lays nothing out: give every element a size, so the charts draw (and do not warn).
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 800, 280));
});

function renderAt(path: string) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  return { app, ...render(<App app={app} />) };
}

const usageRequests = (requests: Request[]) =>
  requests.filter((request) => new URL(request.url).pathname.endsWith("/usage")).map((request) => Object.fromEntries(new URL(request.url).searchParams));

describe("the cost dashboard", SLOW, () => {
  it("shows the totals, the days and every breakdown with readable names", async () => {
    const server = costsBackend({ permissions: REVIEWER });
    const { container } = renderAt(`/w/${WORKSPACE}/costs`);

    const total = async (label: string) => (await screen.findByText(label, { selector: "dt" })).nextElementSibling;
    expect(await total("Cost")).toHaveTextContent("$1.25");
    expect(await total("Calls")).toHaveTextContent("8");
    expect(await total("Tokens in")).toHaveTextContent("24,000");
    expect(await total("Cached input tokens")).toHaveTextContent("4,000");
    expect(await total("Cache hits")).toHaveTextContent("2");
    const perDay = screen.getByRole("img", { name: /^Cost per day, Jan 1 to Jan 3: \$1\.25 in all; highest \$1\.25 on Jan 2\.$/ });
    await waitFor(() => expect(perDay.querySelectorAll(".recharts-bar-rectangle").length).toBeGreaterThan(0));

    const models = await screen.findByRole("table", { name: "Usage by model, costliest first" });
    expect(within(models).getByRole("rowheader", { name: "gpt-4o (openai)" }).closest("tr")).toHaveTextContent("$1.25");
    expect(within(models).getByRole("rowheader", { name: "all-MiniLM-L6-v2 (local)" }).closest("tr")).toHaveTextContent("$0.0042");
    const campaigns = await screen.findByRole("table", { name: "Usage by campaign, costliest first" });
    expect(await within(campaigns).findByRole("rowheader", { name: "Spring Trail Launch" })).toBeInTheDocument();
    expect(within(campaigns).getByRole("rowheader", { name: "No campaign" })).toBeInTheDocument();
    const people = await screen.findByRole("table", { name: "Usage by person, costliest first" });
    expect(within(people).getByRole("rowheader", { name: "You" })).toBeInTheDocument();
    expect(await within(people).findByRole("rowheader", { name: "Wendy Writer" })).toBeInTheDocument();
    expect(within(people).getByRole("rowheader", { name: "Brandflow (background work)" })).toBeInTheDocument();
    const tasks = await screen.findByRole("table", { name: "Usage by task, costliest first" });
    expect(within(tasks).getByRole("rowheader", { name: "Generate" }).closest("tr")).toHaveTextContent("$1.25");
    expect(within(tasks).getByRole("rowheader", { name: "Embeddings" })).toBeInTheDocument();

    // The chart's numbers, as a table.
    const toggle = screen.getByRole("button", { name: "Show the numbers" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(toggle);
    const days = screen.getByRole("table", { name: "Usage per day" });
    expect(within(days).getAllByRole("row")).toHaveLength(4);
    expect(within(days).getByRole("rowheader", { name: "Jan 1" }).closest("tr")).toHaveTextContent("$0.0042");
    expect(await seriousViolations(container)).toEqual([]);

    // This month, UTC, for every report.
    const today = todayUtc();
    const reports = usageRequests(server.fake.requests);
    expect(new Set(reports.map((query) => query.group_by))).toEqual(new Set(["day", "model", "campaign", "user", "task"]));
    expect(reports.every((query) => query.from === `${today.slice(0, 8)}01` && query.to === today)).toBe(true);
  });

  it("changes the period from the presets and a custom range, in the URL", async () => {
    const server = costsBackend();
    const { app } = renderAt(`/w/${WORKSPACE}/costs`);
    await screen.findByRole("table", { name: "Usage by model, costliest first" });

    await userEvent.click(screen.getByRole("radio", { name: "Last 30 days" }));
    const today = todayUtc();
    await waitFor(() => expect(app.router.state.location.search).toEqual({ period: "30d" }));
    await waitFor(() => expect(usageRequests(server.fake.requests).some((query) => query.from === addDays(today, -29))).toBe(true));

    await userEvent.click(screen.getByRole("radio", { name: "Custom" }));
    const custom = screen.getByRole("form", { name: "Custom period" });
    fireEvent.change(within(custom).getByLabelText("First day"), { target: { value: "2030-01-10" } });
    fireEvent.change(within(custom).getByLabelText("Last day"), { target: { value: "2030-01-05" } });
    await userEvent.click(within(custom).getByRole("button", { name: "Show period" }));
    expect(await within(custom).findByText("The last day is before the first.")).toBeInTheDocument();
    expect(within(custom).getByLabelText("Last day")).toHaveAttribute("aria-invalid", "true");

    fireEvent.change(within(custom).getByLabelText("Last day"), { target: { value: "2030-01-20" } });
    await userEvent.click(within(custom).getByRole("button", { name: "Show period" }));
    await waitFor(() => expect(app.router.state.location.search).toEqual({ period: "custom", from: "2030-01-10", to: "2030-01-20" }));
    await waitFor(() =>
      expect(usageRequests(server.fake.requests).some((query) => query.group_by === "model" && query.from === "2030-01-10" && query.to === "2030-01-20")).toBe(true),
    );
    expect(screen.getByText(/Jan 10, 2030 – Jan 20, 2030 \(UTC\)/)).toBeInTheDocument();
  });

  it("explains an empty period", async () => {
    const quiet = usageGroup("2030-01-01", "0", { calls: 0, cache_hits: 0, input_tokens: 0, output_tokens: 0, cached_tokens: 0 });
    costsBackend({ usage: { day: [quiet] } });
    const { container } = renderAt(`/w/${WORKSPACE}/costs`);

    expect(await screen.findByRole("heading", { name: "No AI usage in this period" })).toBeInTheDocument();
    expect(screen.getByText(/Costs show up here once someone generates/)).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("says that calls without a price are left out of the cost", async () => {
    costsBackend({ usage: { day: [usageGroup("2030-01-01", "0.5", { unpriced_calls: 3 })] } });
    renderAt(`/w/${WORKSPACE}/costs`);
    expect(await screen.findByText(/3 calls used a model with no known price/)).toBeInTheDocument();
  });

  it("shows the API's problem for a period it refuses, with a retry", async () => {
    costsBackend();
    renderAt(`/w/${WORKSPACE}/costs?period=custom&from=2030-02-01&to=2030-01-01`);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The costs could not be loaded");
    expect(alert).toHaveTextContent("`to` must not be before `from`.");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("announces loading until the report arrives", async () => {
    const server = costsBackend();
    server.fake.on("GET /api/v1/workspaces/{id}/usage", () => new Promise<Response>(() => undefined));
    renderAt(`/w/${WORKSPACE}/costs`);
    expect(await screen.findByText("Loading costs…")).toBeInTheDocument();
  });

  it("is not offered to a role without usage:read", async () => {
    costsBackend({ permissions: CLIENT });
    renderAt(`/w/${WORKSPACE}/costs`);
    expect(await screen.findByRole("alert")).toHaveTextContent("usage:read");
    const nav = screen.getByRole("navigation", { name: "Workspace" });
    await waitFor(() => expect(within(nav).getAllByRole("link").length).toBeGreaterThan(0));
    expect(within(nav).queryByRole("link", { name: "Costs" })).not.toBeInTheDocument();
  });
});
