import { describe, expect, it } from "vitest";

import { budgetAlert, budgetBar, budgetLevel } from "./budget-status";
import { SPRING, budgetsRead as budgetsWith } from "./costs-test-backend";

const LIMIT_100 = { monthly_limit: "100", soft_threshold_percent: 80, hard_limit: true };

describe("budget bars", () => {
  it("splits the limit into spent and reserved, capped at the limit", () => {
    const budgets = budgetsWith({ workspace: LIMIT_100 }, { "": { spent: "60", reserved: "30" } });
    expect(budgetBar(budgets.workspace)).toEqual({ spent: 60, reserved: 30 });
    const over = budgetsWith({ workspace: LIMIT_100 }, { "": { spent: "95", reserved: "30" } });
    expect(budgetBar(over.workspace)).toEqual({ spent: 95, reserved: 5 });
    const spentOver = budgetsWith({ workspace: LIMIT_100 }, { "": { spent: "150", reserved: "1" } });
    expect(budgetBar(spentOver.workspace)).toEqual({ spent: 100, reserved: 0 });
  });

  it("has no bar without a budget, and a full one for a zero limit once used", () => {
    expect(budgetBar(budgetsWith({ workspace: null }, {}).workspace)).toBeNull();
    const zero = budgetsWith({ workspace: { ...LIMIT_100, monthly_limit: "0" } }, { "": { spent: "0.0001", reserved: "0" } });
    expect(budgetBar(zero.workspace)).toEqual({ spent: 100, reserved: 0 });
  });

  it("tells ok, soft, blocked and over a warn-only limit apart", () => {
    expect(budgetLevel(budgetsWith({ workspace: LIMIT_100 }, { "": { spent: "10", reserved: "0" } }).workspace)).toBe("ok");
    expect(budgetLevel(budgetsWith({ workspace: LIMIT_100 }, { "": { spent: "85", reserved: "0" } }).workspace)).toBe("soft");
    expect(budgetLevel(budgetsWith({ workspace: LIMIT_100 }, { "": { spent: "100", reserved: "0" } }).workspace)).toBe("blocked");
    expect(budgetLevel(budgetsWith({ workspace: { ...LIMIT_100, hard_limit: false } }, { "": { spent: "120", reserved: "0" } }).workspace)).toBe("over");
  });
});

describe("the banner's alert", () => {
  it("is nothing while every budget is below its threshold", () => {
    expect(budgetAlert(budgetsWith({ workspace: LIMIT_100 }, { "": { spent: "79.99", reserved: "0" } }))).toBeNull();
  });

  it("is soft at the threshold, for the workspace or a campaign", () => {
    const alert = budgetAlert(
      budgetsWith({ workspace: LIMIT_100, campaigns: [{ ...LIMIT_100, campaign_id: SPRING.id }] }, { "": { spent: "80", reserved: "0" }, [SPRING.id]: { spent: "90", reserved: "0" } }),
    );
    expect(alert?.kind).toBe("soft");
    expect(alert?.scopes.map((scope) => scope.campaign_id)).toEqual([null, SPRING.id]);
  });

  it("is hard as soon as one hard limit refuses calls", () => {
    const alert = budgetAlert(
      budgetsWith({ workspace: LIMIT_100, campaigns: [{ ...LIMIT_100, campaign_id: SPRING.id }] }, { "": { spent: "85", reserved: "0" }, [SPRING.id]: { spent: "99", reserved: "1" } }),
    );
    expect(alert).toMatchObject({ kind: "hard", scopes: [{ campaign_id: SPRING.id }] });
  });
});
