"""Studio settings: organization provider keys (encrypted at rest), and each workspace's
AI settings: model routing per task, the minimum check score, the tone judge, a cheaper
route near the budget limit. ``service.chain_for_task`` and ``service.ai_settings_of`` are
what the generation pipeline and the checks read."""
