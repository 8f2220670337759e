"""The AI studio: grounded generation with guardrails, provenance and metered cost."""
