// The budget settings form: its values (strings, as typed), its validation (the API's limits),
// the conversions to and from the API, where API errors go, and the 412 rebase.
import type { Path } from "react-hook-form";
import * as z from "zod";

import type { CompareRow } from "../../components/CompareValues";
import { formatUsd } from "./format";
import type { Budgets, BudgetsUpdate } from "./types";

/** The API's limits (finops schemas: MonthlyLimit, soft_threshold_percent, MAX_CAMPAIGN_BUDGETS). */
export const BUDGET_LIMITS = { maxLimit: 1_000_000_000, maxCampaigns: 500, defaultThreshold: 80 } as const;

/** "$1,500.5" → "1500.5": what people type around an amount is not part of it. */
export const cleanAmount = (text: string) => text.trim().replace(/^\$/, "").replace(/,/g, "").trim();

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;
const PERCENT = /^\d{1,3}$/;

/** The message for a typed monthly limit, or null when the API will take it. */
export function limitProblem(text: string): string | null {
  const amount = cleanAmount(text);
  if (!amount) return "Enter the monthly limit in dollars.";
  if (!AMOUNT.test(amount)) return "Enter an amount in dollars, like 500 or 49.99 (at most two decimals).";
  if (Number(amount) > BUDGET_LIMITS.maxLimit) return "At most $1,000,000,000 a month.";
  return null;
}

/** The message for a typed soft threshold, or null when the API will take it. */
export function thresholdProblem(text: string): string | null {
  const value = text.trim();
  if (!PERCENT.test(value) || Number(value) < 1 || Number(value) > 100) return "Enter a whole percentage from 1 to 100.";
  return null;
}

const settingsSchema = z.object({
  monthly_limit: z.string(),
  soft_threshold_percent: z.string(),
  hard_limit: z.boolean(),
});

type Settings = z.infer<typeof settingsSchema>;

function checkSettings(settings: Settings, ctx: z.RefinementCtx, at: (string | number)[]) {
  const limit = limitProblem(settings.monthly_limit);
  if (limit) ctx.addIssue({ code: "custom", path: [...at, "monthly_limit"], message: limit });
  const threshold = thresholdProblem(settings.soft_threshold_percent);
  if (threshold) ctx.addIssue({ code: "custom", path: [...at, "soft_threshold_percent"], message: threshold });
}

export const budgetFormSchema = z
  .object({
    workspace: settingsSchema.extend({ enabled: z.boolean() }),
    campaigns: z
      .array(settingsSchema.extend({ campaign_id: z.string() }))
      .max(BUDGET_LIMITS.maxCampaigns, `At most ${BUDGET_LIMITS.maxCampaigns} campaign budgets.`),
  })
  .superRefine((values, ctx) => {
    if (values.workspace.enabled) checkSettings(values.workspace, ctx, ["workspace"]);
    const seen = new Set<string>();
    values.campaigns.forEach((row, index) => {
      if (!row.campaign_id) ctx.addIssue({ code: "custom", path: ["campaigns", index, "campaign_id"], message: "Pick a campaign." });
      else if (seen.has(row.campaign_id)) {
        ctx.addIssue({ code: "custom", path: ["campaigns", index, "campaign_id"], message: "This campaign already has a budget above." });
      }
      seen.add(row.campaign_id);
      checkSettings(row, ctx, ["campaigns", index]);
    });
  });

export type BudgetFormValues = z.infer<typeof budgetFormSchema>;
export type CampaignBudgetValues = BudgetFormValues["campaigns"][number];

const DISABLED_WORKSPACE = { enabled: false, monthly_limit: "", soft_threshold_percent: String(BUDGET_LIMITS.defaultThreshold), hard_limit: true };

export const blankCampaignBudget = (campaignId: string): CampaignBudgetValues => ({
  campaign_id: campaignId,
  monthly_limit: "",
  soft_threshold_percent: String(BUDGET_LIMITS.defaultThreshold),
  hard_limit: true,
});

export function toFormValues(budgets: Budgets): BudgetFormValues {
  const workspace = budgets.workspace;
  return {
    workspace:
      workspace.monthly_limit === null
        ? DISABLED_WORKSPACE
        : {
            enabled: true,
            monthly_limit: workspace.monthly_limit,
            soft_threshold_percent: String(workspace.soft_threshold_percent ?? BUDGET_LIMITS.defaultThreshold),
            hard_limit: workspace.hard_limit ?? true,
          },
    campaigns: budgets.campaigns.flatMap((status) =>
      status.campaign_id && status.monthly_limit !== null
        ? [
            {
              campaign_id: status.campaign_id,
              monthly_limit: status.monthly_limit,
              soft_threshold_percent: String(status.soft_threshold_percent ?? BUDGET_LIMITS.defaultThreshold),
              hard_limit: status.hard_limit ?? true,
            },
          ]
        : [],
    ),
  };
}

const toSettings = (settings: Settings) => ({
  // A string: the API reads it as an exact decimal.
  monthly_limit: cleanAmount(settings.monthly_limit),
  soft_threshold_percent: Number(settings.soft_threshold_percent.trim()),
  hard_limit: settings.hard_limit,
});

/** Every budget to PUT: the API replaces the workspace's budgets with exactly these. */
export function toBudgetsUpdate(values: BudgetFormValues): Required<BudgetsUpdate> {
  return {
    workspace: values.workspace.enabled ? toSettings(values.workspace) : null,
    campaigns: values.campaigns.map((row) => ({ campaign_id: row.campaign_id, ...toSettings(row) })),
  };
}

type Form = BudgetFormValues;

/**
 * Where an API field error belongs in this form, or null when no field shows it. The body's
 * campaigns are the form's rows, in the same order.
 */
export function budgetErrorField(path: string, values: Form): Path<Form> | null {
  const [scope, first, second] = path.split(".");
  const field = (name: string | undefined): "monthly_limit" | "soft_threshold_percent" | "hard_limit" | null =>
    name === "monthly_limit" || name === "soft_threshold_percent" || name === "hard_limit" ? name : null;
  if (scope === "workspace") {
    if (!values.workspace.enabled) return null;
    return `workspace.${field(first) ?? "monthly_limit"}`;
  }
  if (scope === "campaigns") {
    if (first === undefined) return "campaigns";
    const index = Number(first);
    if (!/^\d+$/.test(first) || index >= values.campaigns.length) return "campaigns";
    return `campaigns.${index}.${field(second) ?? "campaign_id"}`;
  }
  return null;
}

// --- 412: compare and keep mine -------------------------------------------------------

/** Every scope's settings as typed: "" is the workspace, otherwise a campaign id. */
function scopes(values: Form): Map<string, Settings> {
  const map = new Map<string, Settings>();
  if (values.workspace.enabled) map.set("", values.workspace);
  for (const row of values.campaigns) if (row.campaign_id) map.set(row.campaign_id, row);
  return map;
}

const sameSettings = (a: Settings | undefined, b: Settings | undefined) =>
  a === undefined || b === undefined
    ? a === b
    : cleanAmount(a.monthly_limit) === cleanAmount(b.monthly_limit) &&
      a.soft_threshold_percent.trim() === b.soft_threshold_percent.trim() &&
      a.hard_limit === b.hard_limit;

function describe(settings: Settings | undefined): string {
  if (!settings) return "No budget";
  const amount = cleanAmount(settings.monthly_limit);
  const limit = AMOUNT.test(amount) ? formatUsd(amount) : settings.monthly_limit;
  return `${limit} a month, warn at ${settings.soft_threshold_percent.trim()}%, ${settings.hard_limit ? "hard limit" : "warn only"}`;
}

/** The person's budgets next to the saved ones, for the 412 "Compare" view. */
export function compareRows(mine: Form, saved: Budgets, campaignName: (id: string) => string): CompareRow[] {
  const ours = scopes(mine);
  const theirs = scopes(toFormValues(saved));
  const keys = [...new Set(["", ...ours.keys(), ...theirs.keys()])];
  return keys.map((key) => ({
    label: key === "" ? "Workspace" : campaignName(key),
    mine: describe(ours.get(key)),
    saved: describe(theirs.get(key)),
  }));
}

/**
 * Rebase after a 412: the saved budgets, with the scopes this person changed (against `base`,
 * what the form was filled from) put back on top: set, changed or removed. A colleague's
 * changes to other scopes survive.
 */
export function keepMyChanges(mine: Form, base: Budgets, latest: Budgets): Form {
  const original = scopes(toFormValues(base));
  const ours = scopes(mine);
  const result = scopes(toFormValues(latest));
  for (const key of new Set([...original.keys(), ...ours.keys()])) {
    const own = ours.get(key);
    if (sameSettings(own, original.get(key))) continue;
    if (own) result.set(key, own);
    else result.delete(key);
  }
  const workspace = result.get("");
  // Rows in the person's order, then the ones only the colleague added.
  const order = [...mine.campaigns.map((row) => row.campaign_id), ...[...result.keys()].filter((key) => key !== "")];
  const campaigns = [...new Set(order)].flatMap((id) => {
    const settings = id ? result.get(id) : undefined;
    return settings ? [{ ...pick(settings), campaign_id: id }] : [];
  });
  return {
    workspace: workspace ? { ...pick(workspace), enabled: true } : { ...mine.workspace, enabled: false },
    campaigns,
  };
}

const pick = (settings: Settings): Settings => ({
  monthly_limit: settings.monthly_limit,
  soft_threshold_percent: settings.soft_threshold_percent,
  hard_limit: settings.hard_limit,
});
