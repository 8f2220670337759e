import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { renderWithRouter } from "../../test/render";
import { seriousViolations } from "../../test/axe";
import { BudgetBanner, resetBudgetBannerDismissals } from "./BudgetBanner";
import { CLIENT, SPRING, WORKSPACE, costsBackend } from "./costs-test-backend";

afterEach(() => resetBudgetBannerDismissals());

const LIMIT_100 = { monthly_limit: "100", soft_threshold_percent: 80, hard_limit: true };
const budgetCalls = (requests: Request[]) => requests.filter((request) => new URL(request.url).pathname.endsWith("/budgets"));

describe("the budget banner", () => {
  it("warns at the soft threshold, links to the budgets and can be dismissed for the session", async () => {
    const server = costsBackend({ budgets: { workspace: LIMIT_100 }, spend: { "": { spent: "85.25", reserved: "0" } } });
    const first = renderWithRouter(<BudgetBanner workspaceId={WORKSPACE} />);

    const banner = await screen.findByRole("region", { name: "AI budget warning" });
    expect(banner).toHaveTextContent("This workspace has used 85% of its monthly AI budget.");
    expect(await seriousViolations(first.container)).toEqual([]);
    await userEvent.click(within(banner).getByRole("button", { name: "Dismiss the budget warning" }));
    expect(screen.queryByRole("region", { name: "AI budget warning" })).not.toBeInTheDocument();

    // Another screen of the same tab: still dismissed.
    first.unmount();
    renderWithRouter(<BudgetBanner workspaceId={WORKSPACE} />);
    await waitFor(() => expect(budgetCalls(server.fake.requests)).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole("region")).not.toBeInTheDocument();
  });

  it("links to the budget settings", async () => {
    costsBackend({ budgets: { workspace: LIMIT_100 }, spend: { "": { spent: "80", reserved: "0" } } });
    renderWithRouter(<BudgetBanner workspaceId={WORKSPACE} />);

    await userEvent.click(await screen.findByRole("link", { name: "Review the budgets" }));
    expect(await screen.findByTestId("location")).toHaveTextContent(`/w/${WORKSPACE}/costs/budgets`);
  });

  it("says a hard limit pauses generation until the next month, and stays", async () => {
    costsBackend({ budgets: { workspace: LIMIT_100 }, spend: { "": { spent: "99.5", reserved: "0.5" } } });
    renderWithRouter(<BudgetBanner workspaceId={WORKSPACE} />);

    const banner = await screen.findByRole("region", { name: "AI budget reached: generation is paused until Feb 1, 2030" });
    expect(banner).toHaveTextContent("This workspace has used its whole monthly AI budget: paid AI calls are refused.");
    expect(within(banner).queryByRole("button")).not.toBeInTheDocument();
  });

  it("names the campaign whose budget is concerned", async () => {
    costsBackend({
      budgets: { workspace: null, campaigns: [{ ...LIMIT_100, campaign_id: SPRING.id, soft_threshold_percent: 90 }] },
      spend: { [SPRING.id]: { spent: "90", reserved: "0" } },
    });
    renderWithRouter(<BudgetBanner workspaceId={WORKSPACE} />);

    const banner = await screen.findByRole("region", { name: "AI budget warning" });
    await waitFor(() => expect(banner).toHaveTextContent("Campaign “Spring Trail Launch” has used 90% of its monthly AI budget."));
  });

  it("stays away below the threshold", async () => {
    const server = costsBackend({ budgets: { workspace: LIMIT_100 }, spend: { "": { spent: "79.99", reserved: "0" } } });
    renderWithRouter(<BudgetBanner workspaceId={WORKSPACE} />);
    await waitFor(() => expect(budgetCalls(server.fake.requests)).toHaveLength(1));
    expect(screen.queryByRole("region")).not.toBeInTheDocument();
  });

  it("is not shown, nor asked for, without usage:read", async () => {
    const server = costsBackend({ permissions: CLIENT, budgets: { workspace: LIMIT_100 }, spend: { "": { spent: "100", reserved: "0" } } });
    renderWithRouter(<BudgetBanner workspaceId={WORKSPACE} />);
    await waitFor(() => expect(server.fake.requests.some((request) => new URL(request.url).pathname === `/api/v1/workspaces/${WORKSPACE}`)).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(budgetCalls(server.fake.requests)).toEqual([]);
    expect(screen.queryByRole("region")).not.toBeInTheDocument();
  });
});
