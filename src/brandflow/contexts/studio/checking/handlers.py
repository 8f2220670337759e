"""The checking consumer: every new version is checked, whoever wrote it.

Version 1 arrives with ``content.content_created``, later ones with
``content.version_created``. The kernel runs a consumer once per event id; beyond that,
``current_check`` stores nothing when the version already has a check against the current
kit (a generated variant checked by its pipeline, a replay of the event under another id).
"""

from __future__ import annotations

import uuid

from brandflow.contexts.content.public import stored_version
from brandflow.contexts.studio.checking.service import current_check
from brandflow.kernel.events import Envelope
from brandflow.kernel.messaging.consumers import Consumer
from brandflow.kernel.uow import UnitOfWork


async def check_new_version(uow: UnitOfWork, envelope: Envelope) -> None:
    workspace_id = envelope.workspace_id
    if workspace_id is None:
        return
    content_id = uuid.UUID(str(envelope.payload["subject_id"]))
    number = int(envelope.payload.get("number", 1))  # content_created: version 1
    version = await stored_version(uow.session, workspace_id, content_id, number)
    if version is None:
        return  # deleted since
    await current_check(uow.session, workspace_id, version)


CONSUMERS = [
    Consumer(
        name="studio.check_versions",
        patterns=("content.content_created", "content.version_created"),
        handler=check_new_version,
    )
]
