"""What other contexts (and the composition root) may import from the studio.

The review context gates submissions with ``submission_gate``; the composition root wires
the generation job (``StudioRuntime``, ``studio_consumers``) and warms the guardrails up.
"""

from brandflow.contexts.studio.checking.domain import GateResult, StoredCheck
from brandflow.contexts.studio.checking.service import (
    check_version,
    latest_check,
    submission_gate,
)
from brandflow.contexts.studio.guardrails import warm_up as warm_up_guardrails
from brandflow.contexts.studio.handlers import studio_consumers
from brandflow.contexts.studio.pipeline.job import StudioRuntime
from brandflow.contexts.studio.settings.service import (
    AISettingsView,
    ai_settings_of,
    chain_for_task,
)

__all__ = [
    "AISettingsView",
    "GateResult",
    "StoredCheck",
    "StudioRuntime",
    "ai_settings_of",
    "chain_for_task",
    "check_version",
    "latest_check",
    "studio_consumers",
    "submission_gate",
    "warm_up_guardrails",
]
