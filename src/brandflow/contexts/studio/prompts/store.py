"""Prompt templates as versioned data: a workspace's saved versions, else the built-in one.

Saving writes version n+1 of the task's template (never an update); generations use the
newest. Version 0 is the built-in template, which a workspace that never saved one uses.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.identity.public import WorkspaceAccess
from brandflow.contexts.studio import schemas
from brandflow.contexts.studio.domain import PromptTask, PromptTemplateChanged
from brandflow.contexts.studio.orm import PromptTemplate
from brandflow.contexts.studio.prompts.defaults import BUILT_IN
from brandflow.contexts.studio.prompts.engine import CheckedTemplate, check_template
from brandflow.contexts.studio.prompts.variables import ALLOWED, REQUIRED
from brandflow.contexts.studio.repository import DuplicateTemplateVersion, StudioRepository
from brandflow.kernel.errors import Conflict
from brandflow.kernel.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ActiveTemplate:
    """The template a generation renders, and how provenance names it."""

    checked: CheckedTemplate
    id: uuid.UUID | None
    version: int

    @property
    def builtin(self) -> bool:
        return self.id is None

    def ref(self) -> dict[str, Any]:
        return {
            "id": str(self.id) if self.id else None,
            "task": self.checked.task.value,
            "version": self.version,
            "builtin": self.builtin,
            "sha256": self.checked.sha256,
        }


async def active_template(
    session: AsyncSession, workspace_id: uuid.UUID, task: PromptTask
) -> ActiveTemplate:
    row = await StudioRepository(session).current_template(workspace_id, task)
    if row is None:
        return ActiveTemplate(CheckedTemplate(task, BUILT_IN[task]), None, 0)
    return ActiveTemplate(CheckedTemplate(task, row.source), row.id, row.version)


def _built_in_read(task: PromptTask, *, current: bool) -> schemas.TemplateRead:
    source = BUILT_IN[task]
    return schemas.TemplateRead(
        id=None,
        task=task,
        version=0,
        builtin=True,
        current=current,
        template=source,
        sha256=CheckedTemplate(task, source).sha256,
        note="Built in",
        variables=dict(ALLOWED[task]),
        required=sorted(REQUIRED[task]),
        created_by=None,
        created_at=None,
    )


def _read(row: PromptTemplate, *, current: bool) -> schemas.TemplateRead:
    task = PromptTask(row.task)
    return schemas.TemplateRead(
        id=row.id,
        task=task,
        version=row.version,
        builtin=False,
        current=current,
        template=row.source,
        sha256=CheckedTemplate(task, row.source).sha256,
        note=row.note,
        variables=dict(ALLOWED[task]),
        required=sorted(REQUIRED[task]),
        created_by=schemas.Actor(type=row.created_by_type, id=row.created_by_id),
        created_at=row.created_at,
    )


class TemplateService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = StudioRepository(uow.session)

    async def current(self, access: WorkspaceAccess) -> schemas.TemplateList:
        saved = await self.repo.current_templates(access.workspace_id)
        return schemas.TemplateList(
            items=[
                _read(saved[task], current=True)
                if task in saved
                else _built_in_read(task, current=True)
                for task in PromptTask
            ]
        )

    async def versions(
        self, access: WorkspaceAccess, task: PromptTask
    ) -> list[schemas.TemplateRead]:
        """Newest first, ending with the built-in version 0."""
        rows = await self.repo.templates(access.workspace_id, task)
        return [
            *(_read(row, current=index == 0) for index, row in enumerate(rows)),
            _built_in_read(task, current=not rows),
        ]

    async def save(
        self, access: WorkspaceAccess, task: PromptTask, data: schemas.TemplateWrite
    ) -> schemas.TemplateRead:
        """Check the template (422 naming what is wrong), then store it as the next version."""
        check_template(task, data.template)
        current = await self.repo.current_template(access.workspace_id, task)
        actor = access.principal.actor
        row = PromptTemplate(
            workspace_id=access.workspace_id,
            task=task.value,
            version=(current.version if current else 0) + 1,
            source=data.template,
            note=data.note,
            created_by_type=actor.type,
            created_by_id=actor.id,
        )
        try:
            await self.repo.add_template(row)
        except DuplicateTemplateVersion as exc:
            raise Conflict(
                "Someone saved this template at the same time. Reload and retry."
            ) from exc
        self.uow.record(
            PromptTemplateChanged(
                workspace_id=access.workspace_id,
                subject_id=row.id,
                task=task,
                template_version=row.version,
                changes={"version": [current.version if current else 0, row.version]},
            )
        )
        return _read(row, current=True)
