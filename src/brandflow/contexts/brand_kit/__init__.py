"""The brand kit of a workspace: voice, rules and per-channel overrides, versioned."""
