import { Alert, Group, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";

import { AnchorLink } from "../../components/links";
import { formatDate } from "../../lib/format";
import { usePermissions } from "../workspaces/queries";
import { type BudgetAlert, budgetAlert } from "./budget-status";
import { formatPercent } from "./format";
import { nextMonthStart } from "./period";
import { WARNING_TEXT } from "./tones";
import { budgetsQuery, campaignNamesQuery } from "./queries";
import type { BudgetStatus } from "./types";

const REFRESH_MS = 5 * 60_000;

// Soft warnings dismissed in this tab, by workspace and month. In memory on purpose: the app
// writes nothing to web storage, and a reload or a new month shows the warning again.
const dismissed = new Set<string>();
const listeners = new Set<() => void>();
const dismissals = {
  subscribe: (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  version: () => dismissed.size,
  dismiss: (key: string) => {
    dismissed.add(key);
    listeners.forEach((listener) => listener());
  },
};

/** Forgets every dismissal (tests start from a fresh tab). */
export function resetBudgetBannerDismissals() {
  dismissed.clear();
}

/**
 * The workspace's budget warning, above every screen, for people who may see costs: a soft
 * threshold reached (dismissible until the page is reloaded) or a hard limit reached (stays).
 */
export function BudgetBanner({ workspaceId }: { workspaceId: string }) {
  const { can } = usePermissions(workspaceId);
  const allowed = can("usage:read");
  // Spend moves without this screen doing anything: look again every few minutes.
  const budgets = useQuery({ ...budgetsQuery(workspaceId), enabled: allowed, staleTime: 60_000, refetchInterval: REFRESH_MS }).data?.data;
  const alert = budgets ? budgetAlert(budgets) : null;
  const needsNames = Boolean(alert?.scopes.some((status) => status.campaign_id !== null));
  const campaigns = useQuery({ ...campaignNamesQuery(workspaceId), enabled: allowed && needsNames && can("campaigns:read") }).data;
  useSyncExternalStore(dismissals.subscribe, dismissals.version);
  if (!allowed || !budgets || !alert) return null;

  const key = `${workspaceId}:${budgets.period}`;
  if (alert.kind === "soft" && dismissed.has(key)) return null;
  const nameOf = (status: BudgetStatus) =>
    campaigns?.find((campaign) => campaign.id === status.campaign_id)?.name ?? "A campaign";
  const resume = nextMonthStart(budgets.period);
  const until = resume ? formatDate(resume.toISOString().slice(0, 10)) : "next month";

  return (
    <Alert
      role="region"
      color={alert.kind === "hard" ? "red" : "orange"}
      variant="light"
      // Mantine's orange text is too light on its tint; red is darkened app-wide (global.css).
      vars={() => (alert.kind === "soft" ? { root: { "--alert-color": WARNING_TEXT } } : { root: {} })}
      mb="lg"
      title={title(alert, until)}
      withCloseButton={alert.kind === "soft"}
      closeButtonLabel="Dismiss the budget warning"
      onClose={() => dismissals.dismiss(key)}
    >
      <Group gap="xs" wrap="wrap">
        <Text size="sm">{describe(alert, nameOf)}</Text>
        <AnchorLink to="/w/$workspaceId/costs/budgets" params={{ workspaceId }} size="sm" fw={600}>
          Review the budgets
        </AnchorLink>
      </Group>
    </Alert>
  );
}

function title(alert: BudgetAlert, until: string): string {
  if (alert.kind === "soft") return "AI budget warning";
  const workspace = alert.scopes.some((status) => status.campaign_id === null);
  return workspace
    ? `AI budget reached: generation is paused until ${until}`
    : `Campaign AI budget reached: its generation is paused until ${until}`;
}

function describe(alert: BudgetAlert, nameOf: (status: BudgetStatus) => string): string {
  const parts = alert.scopes.map((status) => {
    const used = formatPercent(Math.floor(Number(status.percent_used ?? 0)));
    if (status.campaign_id === null) {
      return alert.kind === "hard"
        ? "This workspace has used its whole monthly AI budget: paid AI calls are refused."
        : `This workspace has used ${used} of its monthly AI budget.`;
    }
    const name = `“${nameOf(status)}”`;
    return alert.kind === "hard"
      ? `Campaign ${name} has used its whole monthly AI budget: its paid AI calls are refused.`
      : `Campaign ${name} has used ${used} of its monthly AI budget.`;
  });
  return parts.join(" ");
}
