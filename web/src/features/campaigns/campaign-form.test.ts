import { describe, expect, it } from "vitest";

import type { Campaign } from "../../api/types";
import {
  type CampaignFormValues,
  campaignErrorField,
  campaignFormSchema,
  toCampaignCreate,
  toCampaignUpdate,
  toFormValues,
} from "./campaign-form";

const saved: Campaign = {
  id: "c1",
  workspace_id: "w1",
  name: "Trail season",
  objective: "Sell trail shoes",
  audience: "Runners",
  key_messages: ["Grip on any ground"],
  channels: ["email", "instagram"],
  start_date: "2030-03-01",
  end_date: "2030-05-31",
  budget: { amount: "12500.00", currency: "EUR" },
  status: "planned",
  revision: 3,
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-02T00:00:00Z",
};

/** An otherwise valid brief, to test one rule at a time. */
const named = (): CampaignFormValues => ({ ...toFormValues(), name: "Launch" });

function messages(values: CampaignFormValues): Record<string, string> {
  const result = campaignFormSchema.safeParse(values);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
}

describe("campaignFormSchema", () => {
  it("accepts a filled-in brief", () => {
    expect(messages(toFormValues(saved))).toEqual({});
  });

  it("requires a name", () => {
    expect(messages({ ...toFormValues(), name: "   " })).toEqual({ name: "Give the campaign a name." });
  });

  it("counts length in code points, as the API does", () => {
    const emoji = "🏃"; // two UTF-16 units, one code point
    expect(messages({ ...toFormValues(), name: emoji.repeat(200) })).toEqual({});
    expect(messages({ ...toFormValues(), name: emoji.repeat(201) })).toEqual({ name: "Use at most 200 characters." });
  });

  it("rejects an end date before the start date", () => {
    expect(messages({ ...toFormValues(saved), start_date: "2030-05-01", end_date: "2030-04-30" })).toEqual({
      end_date: "The end date is before the start date.",
    });
  });

  it("wants a budget's amount and currency together", () => {
    expect(messages({ ...named(), budget_amount: "100" })).toEqual({
      budget_currency: "Choose the budget's currency.",
    });
    expect(messages({ ...named(), budget_amount: "1,000", budget_currency: "EUR" })).toEqual({
      budget_amount: "Enter an amount such as 12500 or 12500.00.",
    });
  });

  it("rejects an empty key message", () => {
    expect(messages({ ...named(), key_messages: [{ text: " " }] })).toEqual({
      "key_messages.0.text": "Write the message or remove it.",
    });
  });
});

describe("conversions", () => {
  it("builds a CampaignCreate with trimmed text and null for empty dates and budget", () => {
    expect(toCampaignCreate({ ...toFormValues(), name: "  Launch  ", key_messages: [{ text: " Fast " }] })).toEqual({
      name: "Launch",
      objective: "",
      audience: "",
      key_messages: ["Fast"],
      channels: [],
      start_date: null,
      end_date: null,
      budget: null,
      status: "planned",
    });
  });

  it("sends only the changed fields in an update", () => {
    const values = { ...toFormValues(saved), name: "Trail season 2030", budget_amount: "15000.00" };
    expect(toCampaignUpdate(values, saved)).toEqual({
      name: "Trail season 2030",
      budget: { amount: "15000.00", currency: "EUR" },
    });
    expect(toCampaignUpdate(toFormValues(saved), saved)).toEqual({});
  });

  it("maps the API's field paths to the form's fields", () => {
    expect(campaignErrorField("name")).toBe("name");
    expect(campaignErrorField("key_messages.3")).toBe("key_messages.3.text");
    expect(campaignErrorField("budget.currency")).toBe("budget_currency");
    expect(campaignErrorField("budget.amount")).toBe("budget_amount");
    expect(campaignErrorField("workspace_id")).toBeNull();
  });
});
