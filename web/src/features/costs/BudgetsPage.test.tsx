import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import { seriousViolations } from "../../test/axe";
import { problem } from "../../test/fake-api";
import { MARATHON, REVIEWER, SPRING, WORKSPACE, costsBackend } from "./costs-test-backend";
import type { BudgetsUpdate } from "./types";

const SLOW = { timeout: 30_000 };

beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./BudgetsPage")]);
});

function renderAt(path = `/w/${WORKSPACE}/costs/budgets`) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  return { app, ...render(<App app={app} />) };
}

const SPRING_BUDGET: BudgetsUpdate = {
  workspace: { monthly_limit: "500", soft_threshold_percent: 80, hard_limit: true },
  campaigns: [{ campaign_id: SPRING.id, monthly_limit: "100", soft_threshold_percent: 90, hard_limit: false }],
};

const budgetForm = () => screen.findByRole("form", { name: "Budgets" });
const section = (form: HTMLElement, name: string) => within(form).getByRole("region", { name });

async function replace(field: HTMLElement, text: string) {
  await userEvent.clear(field);
  if (text) await userEvent.type(field, text);
}

describe("the budget settings", SLOW, () => {
  it("sets the workspace's budget with If-Match and shows where spend stands", async () => {
    const server = costsBackend();
    const { container } = renderAt();

    const form = await budgetForm();
    expect(screen.getByText(/\$12\.50 spent this month\. No budget\./)).toBeInTheDocument();
    const workspace = section(form, "Workspace budget");
    await userEvent.click(within(workspace).getByRole("checkbox", { name: "Set a monthly budget for the whole workspace" }));
    await userEvent.type(within(workspace).getByRole("textbox", { name: /^Monthly limit \(USD\)/ }), "$250");
    await replace(within(workspace).getByRole("textbox", { name: /^Warn at/ }), "75");
    expect(await seriousViolations(container)).toEqual([]);
    await userEvent.click(within(form).getByRole("button", { name: "Save budgets" }));

    expect(await screen.findByRole("progressbar", { name: "Workspace: spent, 5% of the limit" })).toBeInTheDocument();
    expect(screen.getByText(/spent of \$250\.00 \(5%\) · \$237\.50 left/)).toBeInTheDocument();
    const put = server.fake.requests.find((request) => request.method === "PUT");
    expect(put?.headers.get("If-Match")).toBe('"budgets-1"');
    expect(put?.headers.get("X-CSRF-Token")).toBe("csrf-1");
    expect(server.saved).toEqual([{ workspace: { monthly_limit: "250", soft_threshold_percent: 75, hard_limit: true }, campaigns: [] }]);
    expect(within(form).getByText("No unsaved changes.")).toBeInTheDocument();
  });

  it("adds a campaign's budget from the picker and removes another", async () => {
    const server = costsBackend({ budgets: SPRING_BUDGET, spend: { "": { spent: "450", reserved: "10" }, [SPRING.id]: { spent: "95", reserved: "0" } } });
    renderAt();

    const form = await budgetForm();
    expect(screen.getByRole("progressbar", { name: "Workspace: spent, 90% of the limit" })).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Workspace: reserved by calls in progress" })).toBeInTheDocument();
    expect(await screen.findByRole("progressbar", { name: "Spring Trail Launch: spent, 95% of the limit" })).toBeInTheDocument();
    expect(screen.getAllByText("Warning reached")).toHaveLength(2);

    const campaigns = section(form, "Campaign budgets");
    await userEvent.selectOptions(within(campaigns).getByRole("combobox", { name: "Campaign" }), MARATHON.name);
    await userEvent.click(within(campaigns).getByRole("button", { name: "Add campaign budget" }));
    const marathon = within(campaigns).getByRole("group", { name: `Budget of ${MARATHON.name}` });
    await userEvent.type(within(marathon).getByRole("textbox", { name: /^Monthly limit/ }), "1,200.5");
    await userEvent.click(within(marathon).getByRole("checkbox", { name: /^Hard limit/ }));
    // Every campaign has a budget now: no picker.
    expect(within(campaigns).queryByRole("combobox", { name: "Campaign" })).not.toBeInTheDocument();
    await userEvent.click(within(campaigns).getByRole("button", { name: `Remove the budget of ${SPRING.name}` }));
    await userEvent.click(within(form).getByRole("button", { name: "Save budgets" }));

    await waitFor(() => expect(server.saved).toHaveLength(1));
    expect(server.saved[0]).toEqual({
      workspace: { monthly_limit: "500.00", soft_threshold_percent: 80, hard_limit: true },
      campaigns: [{ campaign_id: MARATHON.id, monthly_limit: "1200.5", soft_threshold_percent: 80, hard_limit: false }],
    });
    expect(await screen.findByRole("progressbar", { name: `${MARATHON.name}: spent, 0% of the limit` })).toBeInTheDocument();
  });

  it("checks the fields before sending anything", async () => {
    const server = costsBackend();
    renderAt();

    const form = await budgetForm();
    const workspace = section(form, "Workspace budget");
    await userEvent.click(within(workspace).getByRole("checkbox", { name: "Set a monthly budget for the whole workspace" }));
    await userEvent.type(within(workspace).getByRole("textbox", { name: /^Monthly limit/ }), "12.345");
    await replace(within(workspace).getByRole("textbox", { name: /^Warn at/ }), "150");
    await userEvent.click(within(form).getByRole("button", { name: "Save budgets" }));

    expect(await within(workspace).findByText("Enter an amount in dollars, like 500 or 49.99 (at most two decimals).")).toBeInTheDocument();
    expect(within(workspace).getByText("Enter a whole percentage from 1 to 100.")).toBeInTheDocument();
    expect(within(workspace).getByRole("textbox", { name: /^Monthly limit/ })).toHaveAttribute("aria-invalid", "true");
    expect(server.fake.requests.some((request) => request.method === "PUT")).toBe(false);
  });

  it("shows the API's field errors on their fields and lists the rest", async () => {
    const server = costsBackend({ budgets: SPRING_BUDGET });
    server.fake.on("PUT /api/v1/workspaces/{id}/budgets", () =>
      problem(422, "Unprocessable", "A budget names a campaign this workspace does not have.", {
        errors: [
          { loc: ["body", "campaigns", 0, "campaign_id"], msg: "No such campaign in this workspace.", type: "not_found" },
          { loc: ["body", "workspace", "monthly_limit"], msg: "Input should be less than or equal to 1000000000", type: "less_than_equal" },
          { loc: ["body", "currency"], msg: "Extra inputs are not permitted", type: "extra_forbidden" },
        ],
      }),
    );
    renderAt();

    const form = await budgetForm();
    await replace(within(section(form, "Workspace budget")).getByRole("textbox", { name: /^Monthly limit/ }), "600");
    await userEvent.click(within(form).getByRole("button", { name: "Save budgets" }));

    const spring = within(form).getByRole("group", { name: `Budget of ${SPRING.name}` });
    expect(await within(spring).findByText("No such campaign in this workspace.")).toBeInTheDocument();
    const limit = within(section(form, "Workspace budget")).getByRole("textbox", { name: /^Monthly limit/ });
    expect(limit).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByText("Input should be less than or equal to 1000000000")).toBeInTheDocument();
    expect(within(form).getByText("The budgets were not saved")).toBeInTheDocument();
    expect(within(form).getByText("currency: Extra inputs are not permitted")).toBeInTheDocument();
  });

  it("on 412 compares, then keeps my changes over the colleague's", async () => {
    const server = costsBackend({ budgets: SPRING_BUDGET });
    renderAt();

    const form = await budgetForm();
    server.colleagueSaves((current) => ({ ...current, campaigns: [{ campaign_id: SPRING.id, monthly_limit: "150", soft_threshold_percent: 90, hard_limit: false }] }));
    await replace(within(section(form, "Workspace budget")).getByRole("textbox", { name: /^Monthly limit/ }), "750");
    await userEvent.click(within(form).getByRole("button", { name: "Save budgets" }));

    const conflict = await screen.findByRole("alert");
    expect(conflict).toHaveTextContent("The budgets changed since you read them.");
    await userEvent.click(within(conflict).getByRole("button", { name: "Compare" }));
    const table = await screen.findByRole("table", { name: "Your values next to the saved ones" });
    expect(within(table).getByRole("rowheader", { name: /Workspace/ }).closest("tr")).toHaveTextContent("$750.00 a month");
    expect(within(table).getByRole("rowheader", { name: new RegExp(SPRING.name) }).closest("tr")).toHaveTextContent("$150.00 a month");

    await userEvent.click(screen.getByRole("button", { name: "Keep my changes" }));
    await userEvent.click(within(form).getByRole("button", { name: "Save budgets" }));

    await waitFor(() => expect(server.saved).toHaveLength(1));
    const ifMatches = server.fake.requests.filter((request) => request.method === "PUT").map((request) => request.headers.get("If-Match"));
    expect(ifMatches).toEqual(['"budgets-1"', '"budgets-2"']);
    expect(server.saved[0]).toEqual({
      workspace: { monthly_limit: "750", soft_threshold_percent: 80, hard_limit: true },
      campaigns: [{ campaign_id: SPRING.id, monthly_limit: "150.00", soft_threshold_percent: 90, hard_limit: false }],
    });
  });

  it("on 412 reloads the saved budgets when asked", async () => {
    const server = costsBackend({ budgets: SPRING_BUDGET });
    renderAt();

    const form = await budgetForm();
    server.colleagueSaves((current) => ({ ...current, workspace: { monthly_limit: "321", soft_threshold_percent: 60, hard_limit: true } }));
    await replace(within(section(form, "Workspace budget")).getByRole("textbox", { name: /^Monthly limit/ }), "750");
    await userEvent.click(within(form).getByRole("button", { name: "Save budgets" }));
    await userEvent.click(within(await screen.findByRole("alert")).getByRole("button", { name: "Reload" }));

    await waitFor(() => expect(within(section(form, "Workspace budget")).getByRole("textbox", { name: /^Monthly limit/ })).toHaveValue("321.00"));
    expect(within(section(form, "Workspace budget")).getByRole("textbox", { name: /^Warn at/ })).toHaveValue("60");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(server.saved).toEqual([]);
  });

  it("is read only without budgets:manage", async () => {
    costsBackend({ permissions: REVIEWER, budgets: SPRING_BUDGET });
    const { container } = renderAt();

    expect(await screen.findByText(/Your role can see the budgets but not change them/)).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Workspace: spent, 2.5% of the limit" })).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Budgets" })).not.toBeInTheDocument();
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save budgets" })).not.toBeInTheDocument();
    expect(await seriousViolations(container)).toEqual([]);
  });
});
