// Where a budget stands this month, as the progress bars and the banner show it.
import { shareOf } from "./format";
import type { BudgetStatus, Budgets } from "./types";

export interface BudgetBar {
  /** Percent of the limit spent (0-100, capped). */
  spent: number;
  /** Percent of the limit held by calls in progress, after the spent part (capped at what is left). */
  reserved: number;
}

/** The widths of the spent and reserved parts of a budget's bar; null without a budget. */
export function budgetBar(status: BudgetStatus): BudgetBar | null {
  if (status.monthly_limit === null) return null;
  const limit = Number(status.monthly_limit);
  if (limit === 0) return { spent: Number(status.spent) > 0 ? 100 : 0, reserved: 0 };
  const spent = Math.min(100, shareOf(status.spent, limit));
  const reserved = Math.min(100 - spent, shareOf(status.reserved, limit));
  return { spent, reserved };
}

export type BudgetLevel = "ok" | "soft" | "blocked" | "over";

/** ok, soft threshold reached, hard limit reached (calls refused), or over a warn-only limit. */
export function budgetLevel(status: BudgetStatus): BudgetLevel {
  if (status.hard_blocked) return "blocked";
  if (status.monthly_limit !== null && !status.hard_limit && Number(status.spent) >= Number(status.monthly_limit)) return "over";
  return status.soft_reached ? "soft" : "ok";
}

export interface BudgetAlert {
  kind: "soft" | "hard";
  /** The scopes concerned: null is the workspace. */
  scopes: BudgetStatus[];
}

/**
 * What the workspace banner says: hard when any budget refuses calls (the workspace's first),
 * else soft when any reached its threshold; null when all is well.
 */
export function budgetAlert(budgets: Budgets): BudgetAlert | null {
  const all = [budgets.workspace, ...budgets.campaigns];
  const blocked = all.filter((status) => status.hard_blocked);
  if (blocked.length > 0) return { kind: "hard", scopes: blocked };
  const soft = all.filter((status) => status.soft_reached);
  return soft.length > 0 ? { kind: "soft", scopes: soft } : null;
}
