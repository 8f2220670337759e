import { describe, expect, it } from "vitest";

import {
  type BudgetFormValues,
  budgetErrorField,
  budgetFormSchema,
  cleanAmount,
  compareRows,
  keepMyChanges,
  limitProblem,
  thresholdProblem,
  toBudgetsUpdate,
  toFormValues,
} from "./budget-form";
import { MARATHON, SPRING, budgetsRead as budgetsOf } from "./costs-test-backend";
import type { BudgetsUpdate } from "./types";

const BASE: BudgetsUpdate = {
  workspace: { monthly_limit: "500", soft_threshold_percent: 80, hard_limit: true },
  campaigns: [{ campaign_id: SPRING.id, monthly_limit: "100", soft_threshold_percent: 90, hard_limit: false }],
};

const issues = (values: BudgetFormValues) => {
  const result = budgetFormSchema.safeParse(values);
  return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
};

describe("budget form values", () => {
  it("round-trips the API's budgets", () => {
    const values = toFormValues(budgetsOf(BASE));
    expect(values).toEqual({
      workspace: { enabled: true, monthly_limit: "500.00", soft_threshold_percent: "80", hard_limit: true },
      campaigns: [{ campaign_id: SPRING.id, monthly_limit: "100.00", soft_threshold_percent: "90", hard_limit: false }],
    });
    expect(toBudgetsUpdate(values)).toEqual({
      workspace: { monthly_limit: "500.00", soft_threshold_percent: 80, hard_limit: true },
      campaigns: [{ campaign_id: SPRING.id, monthly_limit: "100.00", soft_threshold_percent: 90, hard_limit: false }],
    });
  });

  it("sends no workspace budget when it is switched off, whatever was typed", () => {
    const values = toFormValues(budgetsOf(BASE));
    values.workspace.enabled = false;
    values.workspace.monthly_limit = "garbage";
    expect(issues(values)).toEqual({});
    expect(toBudgetsUpdate(values).workspace).toBeNull();
  });

  it("sends amounts as exact strings without $ or thousands separators", () => {
    expect(cleanAmount(" $1,500.5 ")).toBe("1500.5");
    const values = toFormValues(budgetsOf({ workspace: null, campaigns: [] }));
    values.workspace = { enabled: true, monthly_limit: "$1,000,000,000", soft_threshold_percent: " 100 ", hard_limit: false };
    expect(toBudgetsUpdate(values).workspace).toEqual({ monthly_limit: "1000000000", soft_threshold_percent: 100, hard_limit: false });
  });
});

describe("budget form validation", () => {
  it.each([
    ["", "Enter the monthly limit in dollars."],
    ["abc", "Enter an amount in dollars, like 500 or 49.99 (at most two decimals)."],
    ["1.999", "Enter an amount in dollars, like 500 or 49.99 (at most two decimals)."],
    ["-5", "Enter an amount in dollars, like 500 or 49.99 (at most two decimals)."],
    ["1e3", "Enter an amount in dollars, like 500 or 49.99 (at most two decimals)."],
    ["١٠٠", "Enter an amount in dollars, like 500 or 49.99 (at most two decimals)."],
    ["1000000000.01", "At most $1,000,000,000 a month."],
  ])("refuses the limit %j", (text, message) => {
    expect(limitProblem(text)).toBe(message);
  });

  it("takes zero and cents", () => {
    expect(limitProblem("0")).toBeNull();
    expect(limitProblem("49.99")).toBeNull();
  });

  it.each(["0", "101", "50.5", "", "eighty"])("refuses the threshold %j", (text) => {
    expect(thresholdProblem(text)).toBe("Enter a whole percentage from 1 to 100.");
  });

  it("puts each message on its field, campaign rows included", () => {
    const values: BudgetFormValues = {
      workspace: { enabled: true, monthly_limit: "", soft_threshold_percent: "0", hard_limit: true },
      campaigns: [
        { campaign_id: SPRING.id, monthly_limit: "10", soft_threshold_percent: "80", hard_limit: true },
        { campaign_id: SPRING.id, monthly_limit: "x", soft_threshold_percent: "80", hard_limit: true },
        { campaign_id: "", monthly_limit: "1", soft_threshold_percent: "80", hard_limit: true },
      ],
    };
    expect(issues(values)).toEqual({
      "workspace.monthly_limit": "Enter the monthly limit in dollars.",
      "workspace.soft_threshold_percent": "Enter a whole percentage from 1 to 100.",
      "campaigns.1.campaign_id": "This campaign already has a budget above.",
      "campaigns.1.monthly_limit": "Enter an amount in dollars, like 500 or 49.99 (at most two decimals).",
      "campaigns.2.campaign_id": "Pick a campaign.",
    });
  });
});

describe("budgetErrorField", () => {
  const values = toFormValues(budgetsOf(BASE));

  it("maps the API's locations onto the form's fields", () => {
    expect(budgetErrorField("workspace.monthly_limit", values)).toBe("workspace.monthly_limit");
    expect(budgetErrorField("workspace", values)).toBe("workspace.monthly_limit");
    expect(budgetErrorField("campaigns.0.campaign_id", values)).toBe("campaigns.0.campaign_id");
    expect(budgetErrorField("campaigns.0.soft_threshold_percent", values)).toBe("campaigns.0.soft_threshold_percent");
    expect(budgetErrorField("campaigns.0", values)).toBe("campaigns.0.campaign_id");
    expect(budgetErrorField("campaigns", values)).toBe("campaigns");
  });

  it("leaves what no field shows to the problem alert", () => {
    expect(budgetErrorField("campaigns.7.monthly_limit", values)).toBe("campaigns");
    expect(budgetErrorField("campaigns.x", values)).toBe("campaigns");
    expect(budgetErrorField("currency", values)).toBeNull();
    expect(budgetErrorField("workspace.monthly_limit", { ...values, workspace: { ...values.workspace, enabled: false } })).toBeNull();
  });
});

describe("after a 412", () => {
  const base = budgetsOf(BASE);

  it("keeps the scopes I changed and the colleague's changes to the others", () => {
    const mine = toFormValues(base);
    mine.workspace.monthly_limit = "750"; // I changed the workspace's limit
    mine.campaigns.push({ campaign_id: MARATHON.id, monthly_limit: "20", soft_threshold_percent: "50", hard_limit: true });
    // The colleague changed Spring's budget and lowered the workspace's.
    const latest = budgetsOf({
      workspace: { monthly_limit: "400", soft_threshold_percent: 70, hard_limit: true },
      campaigns: [{ campaign_id: SPRING.id, monthly_limit: "150", soft_threshold_percent: 90, hard_limit: false }],
    });
    expect(keepMyChanges(mine, base, latest)).toEqual({
      workspace: { enabled: true, monthly_limit: "750", soft_threshold_percent: "80", hard_limit: true },
      campaigns: [
        { campaign_id: SPRING.id, monthly_limit: "150.00", soft_threshold_percent: "90", hard_limit: false },
        { campaign_id: MARATHON.id, monthly_limit: "20", soft_threshold_percent: "50", hard_limit: true },
      ],
    });
  });

  it("keeps my removals, and budgets only the colleague added", () => {
    const mine = toFormValues(base);
    mine.workspace.enabled = false;
    mine.campaigns = [];
    const latest = budgetsOf({ ...BASE, campaigns: [...(BASE.campaigns ?? []), { campaign_id: MARATHON.id, monthly_limit: "5", soft_threshold_percent: 80, hard_limit: true }] });
    const merged = keepMyChanges(mine, base, latest);
    expect(merged.workspace.enabled).toBe(false);
    expect(merged.campaigns.map((row) => row.campaign_id)).toEqual([MARATHON.id]);
  });

  it("compares mine with the saved budgets, scope by scope", () => {
    const mine = toFormValues(base);
    mine.workspace.monthly_limit = "1,000";
    const rows = compareRows(mine, budgetsOf({ workspace: null, campaigns: BASE.campaigns }), (id) => (id === SPRING.id ? SPRING.name : id));
    expect(rows).toEqual([
      { label: "Workspace", mine: "$1,000.00 a month, warn at 80%, hard limit", saved: "No budget" },
      { label: SPRING.name, mine: "$100.00 a month, warn at 90%, warn only", saved: "$100.00 a month, warn at 90%, warn only" },
    ]);
  });
});
