"""Brand kit use cases: read the current kit, save the next version, browse versions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from brandflow.contexts.brand_kit import schemas
from brandflow.contexts.brand_kit.domain import (
    BrandKit,
    BrandKitUpdated,
    change_summary,
    changed_fields,
    changed_sections,
    kit_etag,
)
from brandflow.contexts.brand_kit.orm import BrandKitRow, BrandKitVersionRow
from brandflow.contexts.brand_kit.repository import BrandKitRepository, DuplicateVersion
from brandflow.contexts.identity.public import WorkspaceAccess
from brandflow.kernel.errors import NotFound, PreconditionFailed
from brandflow.kernel.etag import require_match
from brandflow.kernel.pagination import (
    Page,
    PageParams,
    decode_json_cursor,
    encode_json_cursor,
    split_page,
)
from brandflow.kernel.uow import UnitOfWork


def parse_kit(body: dict[str, Any]) -> BrandKit:
    return BrandKit.model_validate(body)


@dataclass(frozen=True, slots=True)
class BrandKitSnapshot:
    """A workspace's current kit and which version it is (0: never saved, empty)."""

    workspace_id: uuid.UUID
    kit: BrandKit
    version: int
    saved: BrandKitVersionRow | None = None

    @property
    def etag(self) -> str:
        return kit_etag(self.workspace_id, self.version)


async def load_snapshot(repo: BrandKitRepository, workspace_id: uuid.UUID) -> BrandKitSnapshot:
    current = await repo.current(workspace_id)
    if current is None:
        return BrandKitSnapshot(workspace_id, BrandKit(), 0)
    _, version = current
    return BrandKitSnapshot(workspace_id, parse_kit(version.body), version.number, version)


def _author(version: BrandKitVersionRow) -> schemas.BrandKitAuthor:
    return schemas.BrandKitAuthor(type=version.author_type, id=version.author_id)


def to_read(snapshot: BrandKitSnapshot) -> schemas.BrandKitRead:
    saved = snapshot.saved
    return schemas.BrandKitRead(
        **dict(snapshot.kit),
        workspace_id=snapshot.workspace_id,
        version=snapshot.version,
        etag=snapshot.etag,
        updated_at=saved.created_at if saved else None,
        updated_by=_author(saved) if saved else None,
    )


def to_version_read(version: BrandKitVersionRow) -> schemas.BrandKitVersionRead:
    return schemas.BrandKitVersionRead(
        **dict(parse_kit(version.body)),
        workspace_id=version.workspace_id,
        number=version.number,
        etag=kit_etag(version.workspace_id, version.number),
        created_at=version.created_at,
        author=_author(version),
    )


def _before_number(position: Any) -> int:
    number = position["before"]
    if not isinstance(number, int):
        raise TypeError(number)
    return number


class BrandKitService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.repo = BrandKitRepository(uow.session)

    async def current(self, access: WorkspaceAccess) -> BrandKitSnapshot:
        return await load_snapshot(self.repo, access.workspace_id)

    async def save(
        self, access: WorkspaceAccess, kit: BrandKit, if_match: str | None
    ) -> BrandKitSnapshot:
        """Write version n+1 if ``if_match`` names version n, the current one.

        The kit's row lock serialises writers: the second of two writers holding the same
        ETag waits, then sees the bumped version and gets 412. The unique
        (workspace_id, number) constraint is the backstop. A kit equal to the current one
        writes nothing (no version, no event).
        """
        workspace_id = access.workspace_id
        row = await self.repo.lock(workspace_id)
        if row is None:
            raise NotFound("Workspace not found.")
        require_match(if_match, kit_etag(workspace_id, row.current_version))
        previous = (
            await self._version(workspace_id, row.current_version) if row.current_version else None
        )
        before = parse_kit(previous.body) if previous else BrandKit()
        fields = changed_fields(before, kit)
        if not fields:
            return BrandKitSnapshot(workspace_id, before, row.current_version, previous)
        version = await self._write(access, row, kit)
        self.uow.record(
            BrandKitUpdated(
                workspace_id=workspace_id,
                subject_id=row.id,
                number=version.number,
                changed_sections=changed_sections(fields),
                changed_fields=fields,
                changes={
                    "version": [version.number - 1, version.number],
                    **change_summary(before, kit),
                },
            )
        )
        return BrandKitSnapshot(workspace_id, kit, version.number, version)

    async def _write(
        self, access: WorkspaceAccess, row: BrandKitRow, kit: BrandKit
    ) -> BrandKitVersionRow:
        actor = access.principal.actor
        version = BrandKitVersionRow(
            workspace_id=access.workspace_id,
            number=row.current_version + 1,
            body=kit.model_dump(mode="json"),
            author_type=actor.type,
            author_id=actor.id,
        )
        try:
            await self.repo.insert_version(version)
        except DuplicateVersion as exc:
            raise PreconditionFailed(
                "Another version was saved at the same time. Reload and retry."
            ) from exc
        row.current_version = version.number
        await self.uow.session.flush()
        return version

    async def _version(self, workspace_id: uuid.UUID, number: int) -> BrandKitVersionRow:
        version = await self.repo.version(workspace_id, number)
        if version is None:
            raise NotFound(f"Version {number} of the brand kit does not exist.")
        return version

    async def versions(
        self, access: WorkspaceAccess, page: PageParams
    ) -> Page[schemas.BrandKitVersionRead]:
        before = decode_json_cursor(page.cursor, _before_number) if page.cursor else None
        rows = await self.repo.versions(access.workspace_id, limit=page.limit, before_number=before)
        items, next_cursor = split_page(
            rows, page.limit, lambda v: encode_json_cursor({"before": v.number})
        )
        return Page(items=[to_version_read(v) for v in items], next_cursor=next_cursor)

    async def version(self, access: WorkspaceAccess, number: int) -> schemas.BrandKitVersionRead:
        return to_version_read(await self._version(access.workspace_id, number))
