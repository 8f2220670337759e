// For the cost screens' tests only: a workspace's usage reports and budgets (with ETags) on the
// fake network of src/test/fake-api.ts.
import type { Permission } from "../../api/types";
import { type FakeApi, installFakeApi, json, problem } from "../../test/fake-api";
import type { BudgetStatus, Budgets, BudgetsUpdate, GroupBy, UsageGroup, UsageReport } from "./types";

export const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
export const USER = { id: "00000000-0000-4000-8000-0000000000e1", email: "strategist@northwind.example", display_name: "Sam Strategist" };
export const COLLEAGUE = "00000000-0000-4000-8000-0000000000e2";
export const SPRING = { id: "00000000-0000-4000-8000-0000000000c1", name: "Spring Trail Launch" };
export const MARATHON = { id: "00000000-0000-4000-8000-0000000000c2", name: "City Marathon Partnership" };
export const PERIOD = "2030-01";

export const MANAGER: Permission[] = ["workspace:read", "campaigns:read", "members:read", "usage:read", "budgets:manage"];
export const REVIEWER: Permission[] = ["workspace:read", "campaigns:read", "members:read", "usage:read"];
export const CLIENT: Permission[] = ["workspace:read", "campaigns:read"];

const at = "2030-01-01T00:00:00Z";

export function usageGroup(key: string | null, cost: string, overrides: Partial<UsageGroup> = {}): UsageGroup {
  return {
    key,
    calls: 4,
    cache_hits: 1,
    unpriced_calls: 0,
    input_tokens: 12_000,
    output_tokens: 3_000,
    cached_tokens: 2_000,
    cost,
    provider: null,
    actor_type: null,
    ...overrides,
  };
}

/** Reports by `group_by`, each with its groups; totals are summed like the API's. */
export const USAGE: Record<GroupBy, UsageGroup[]> = {
  day: [usageGroup("2030-01-01", "0.0042"), usageGroup("2030-01-02", "1.25"), usageGroup("2030-01-03", "0", { calls: 0, cache_hits: 0, input_tokens: 0, output_tokens: 0, cached_tokens: 0 })],
  model: [usageGroup("gpt-4o", "1.25", { provider: "openai" }), usageGroup("all-MiniLM-L6-v2", "0.0042", { provider: "local" })],
  campaign: [usageGroup(SPRING.id, "1.2", {}), usageGroup(null, "0.0542")],
  user: [usageGroup(USER.id, "1", { actor_type: "user" }), usageGroup(COLLEAGUE, "0.25", { actor_type: "user" }), usageGroup("system", "0.0042", { actor_type: "system" })],
  task: [usageGroup("generate", "1.25"), usageGroup("embed", "0.0042")],
};

function report(groupBy: GroupBy, groups: UsageGroup[], from: string, to: string): UsageReport {
  const sum = (pick: (group: UsageGroup) => number) => groups.reduce((total, group) => total + pick(group), 0);
  return {
    workspace_id: WORKSPACE,
    group_by: groupBy,
    from,
    to,
    campaign_id: null,
    currency: "USD",
    totals: {
      calls: sum((g) => g.calls),
      cache_hits: sum((g) => g.cache_hits),
      unpriced_calls: sum((g) => g.unpriced_calls),
      input_tokens: sum((g) => g.input_tokens),
      output_tokens: sum((g) => g.output_tokens),
      cached_tokens: sum((g) => g.cached_tokens),
      cost: String(Math.round(sum((g) => Number(g.cost)) * 1e6) / 1e6),
    },
    groups,
  };
}

export interface Spend {
  spent: string;
  reserved: string;
}

function status(campaignId: string | null, settings: BudgetsUpdate["workspace"] | null, spend: Spend): BudgetStatus {
  if (!settings) {
    return { campaign_id: campaignId, monthly_limit: null, soft_threshold_percent: null, hard_limit: null, ...spend, remaining: null, percent_used: null, soft_reached: false, hard_blocked: false };
  }
  const limit = Number(settings.monthly_limit);
  const spent = Number(spend.spent);
  const used = spent + Number(spend.reserved);
  const threshold = settings.soft_threshold_percent ?? 80;
  const hard = settings.hard_limit ?? true;
  return {
    campaign_id: campaignId,
    monthly_limit: limit.toFixed(2),
    soft_threshold_percent: threshold,
    hard_limit: hard,
    ...spend,
    remaining: Math.max(0, limit - used).toFixed(2),
    percent_used: limit === 0 ? (spent > 0 ? "100" : "0") : ((spent * 100) / limit).toFixed(2),
    soft_reached: spent >= (limit * threshold) / 100,
    hard_blocked: hard && used >= limit,
  };
}

/** The API's answer for these budgets and this month's spend per scope ("" is the workspace). */
export function budgetsRead(settings: BudgetsUpdate, spend: Record<string, Spend> = {}, etag = '"budgets-1"'): Budgets {
  const spendOf = (scope: string) => spend[scope] ?? { spent: "0", reserved: "0" };
  return {
    workspace_id: WORKSPACE,
    currency: "USD",
    period: PERIOD,
    etag,
    workspace: status(null, settings.workspace ?? null, spendOf("")),
    campaigns: (settings.campaigns ?? []).map((item) => status(item.campaign_id, item, spendOf(item.campaign_id))),
  };
}

export interface CostsServer {
  fake: FakeApi;
  usage: Record<GroupBy, UsageGroup[]>;
  /** The budgets as saved now, as the API would answer them. */
  budgets: () => Budgets;
  /** Every PUT body the app sent. */
  saved: BudgetsUpdate[];
  /** A colleague saves budgets behind the screen's back. */
  colleagueSaves: (change: (current: BudgetsUpdate) => BudgetsUpdate) => void;
}

export interface CostsBackendOptions {
  permissions?: Permission[];
  usage?: Partial<Record<GroupBy, UsageGroup[]>>;
  budgets?: BudgetsUpdate;
  /** This month's spend per scope ("" is the workspace). */
  spend?: Record<string, Spend>;
}

export function costsBackend(options: CostsBackendOptions = {}): CostsServer {
  const usage = { ...USAGE, ...options.usage };
  const spend = options.spend ?? { "": { spent: "12.5", reserved: "0" } };
  let settings: BudgetsUpdate = options.budgets ?? { workspace: null, campaigns: [] };
  let version = 1;
  const etag = () => `"budgets-${version}"`;
  const budgets = () => budgetsRead(settings, spend, etag());
  const saved: BudgetsUpdate[] = [];
  const permissions = options.permissions ?? MANAGER;
  const refused = (permission: Permission) =>
    permissions.includes(permission) ? null : problem(403, "Forbidden", `This needs the ${permission} permission.`);
  const fake = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user: USER, csrf_token: "csrf-1", expires_at: "2999-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () => json({ user: USER, organizations: [], workspaces: [] }))
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: "o1", name: "Acme Running", slug: "acme", role: "manager", permissions, created_at: at }),
    )
    .on("GET /api/v1/workspaces/{id}/members", () =>
      json([
        { user_id: USER.id, email: USER.email, display_name: USER.display_name, role: "manager", joined_at: at },
        { user_id: COLLEAGUE, email: "w@x.example", display_name: "Wendy Writer", role: "editor", joined_at: at },
      ]),
    )
    .on("GET /api/v1/workspaces/{id}/campaigns", () => json({ items: [SPRING, MARATHON], next_cursor: null }))
    .on("GET /api/v1/workspaces/{id}/usage", (request) => {
      const forbidden = refused("usage:read");
      if (forbidden) return forbidden;
      const url = new URL(request.url);
      const groupBy = (url.searchParams.get("group_by") ?? "day") as GroupBy;
      const from = url.searchParams.get("from") ?? "2030-01-01";
      const to = url.searchParams.get("to") ?? "2030-01-03";
      if (to < from) return problem(422, "Unprocessable", "`to` must not be before `from`.");
      return json(report(groupBy, usage[groupBy], from, to));
    })
    .on("GET /api/v1/workspaces/{id}/budgets", () => refused("usage:read") ?? json(budgets(), { headers: { ETag: etag() } }))
    .on("PUT /api/v1/workspaces/{id}/budgets", async (request) => {
      const forbidden = refused("budgets:manage");
      if (forbidden) return forbidden;
      const ifMatch = request.headers.get("If-Match");
      if (ifMatch && ifMatch !== etag()) return problem(412, "Precondition failed", "The budgets changed since you read them. Reload and retry.");
      const body = (await request.json()) as BudgetsUpdate;
      saved.push(body);
      settings = body;
      version += 1;
      return json(budgets(), { headers: { ETag: etag() } });
    });
  return {
    fake,
    usage,
    budgets,
    saved,
    colleagueSaves: (change) => {
      settings = change(settings);
      version += 1;
    },
  };
}
