"""FinOps: the usage ledger, prices, monthly budgets with soft and hard limits, usage reports."""
