// Short names for the finops schemas in the contract.
import type { components } from "../../api/schema.gen";

type Schemas = components["schemas"];

export type UsageReport = Schemas["UsageReport"];
export type UsageGroup = Schemas["UsageGroup"];
export type UsageTotals = Schemas["UsageTotals"];
export type GroupBy = UsageReport["group_by"];
export type Budgets = Schemas["BudgetsRead"];
export type BudgetStatus = Schemas["BudgetStatusRead"];
export type BudgetsUpdate = Schemas["BudgetsUpdate"];
