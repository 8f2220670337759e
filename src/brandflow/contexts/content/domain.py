"""Content rules, version diffs and events. Pure: no I/O.

A content item targets one channel; its text lives in immutable, numbered versions
(1, 2, ...). The item points at its current version; writing a new version needs the
ETag of the current one, so two writers who read the same version cannot both win.
"""

from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from brandflow.contexts.campaigns.public import CampaignStatus, Channel
from brandflow.contexts.content.bodies import ChannelBody
from brandflow.kernel.errors import Conflict, Unprocessable
from brandflow.kernel.etag import make_etag
from brandflow.kernel.events import DomainEvent


def version_etag(content_id: uuid.UUID, number: int) -> str:
    """The ETag of one version of a content item (the item's ETag is its current one's)."""
    return make_etag(content_id, number)


def check_campaign_open(status: CampaignStatus) -> None:
    if status == CampaignStatus.ARCHIVED:
        raise Conflict("The campaign is archived; its content cannot change.")


def check_campaign_channel(campaign_channels: frozenset[Channel], channel: Channel) -> None:
    """Content is written for one of the campaign's channels; add a channel to the brief first."""
    if channel not in campaign_channels:
        planned = ", ".join(sorted(c.value for c in campaign_channels)) or "none yet"
        raise Unprocessable(
            f"`{channel}` is not one of this campaign's channels ({planned}); "
            "add it to the campaign's brief first.",
            errors=[
                {
                    "loc": ["body", "body", "channel"],
                    "msg": f"not a channel of this campaign ({planned})",
                    "type": "channel_not_in_campaign",
                }
            ],
        )


def check_channel(item_channel: Channel, body_channel: str) -> None:
    if body_channel != item_channel.value:
        raise Unprocessable(
            f"This content item is for `{item_channel}`; a new version must be a "
            f"`{item_channel}` body, not `{body_channel}`.",
            errors=[
                {
                    "loc": ["body", "body", "channel"],
                    "msg": f"must be {item_channel.value!r}",
                    "type": "channel_mismatch",
                }
            ],
        )


# --- diffs ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    kind: Literal["added", "removed", "changed"]
    before: Any
    after: Any


def _body_fields(body: ChannelBody) -> dict[str, Any]:
    data = body.model_dump(mode="json")
    data.pop("channel", None)
    return data


def field_changes(before: ChannelBody, after: ChannelBody) -> list[FieldChange]:
    """Top-level fields whose value differs, in the body's declared field order."""
    old, new = _body_fields(before), _body_fields(after)
    changes: list[FieldChange] = []
    for name in dict.fromkeys([*old, *new]):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        empty_a, empty_b = a in (None, "", []), b in (None, "", [])
        if empty_a:
            changes.append(FieldChange(field=name, kind="added", before=a, after=b))
        elif empty_b:
            changes.append(FieldChange(field=name, kind="removed", before=a, after=b))
        else:
            changes.append(FieldChange(field=name, kind="changed", before=a, after=b))
    return changes


def _render(value: Any, indent: str = "  ") -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [indent + line for line in value.splitlines()] or [indent]
    if isinstance(value, list):
        lines: list[str] = []
        for item in value:
            rendered = _render(item, indent + "  ")
            if rendered:
                lines.append(indent + "- " + rendered[0].lstrip())
                lines.extend(rendered[1:])
        return lines
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            lines.append(f"{indent}{key}:")
            lines.extend(_render(item, indent + "  "))
        return lines
    return [indent + str(value)]


def render_text(body: ChannelBody) -> list[str]:
    """A line-oriented rendering of a body, so a text diff shows changed lines."""
    lines: list[str] = []
    for name, value in _body_fields(body).items():
        lines.append(f"{name}:")
        lines.extend(_render(value))
    return lines


def unified_diff(
    before: ChannelBody, after: ChannelBody, *, before_label: str, after_label: str
) -> str:
    return "\n".join(
        difflib.unified_diff(
            render_text(before),
            render_text(after),
            fromfile=before_label,
            tofile=after_label,
            lineterm="",
        )
    )


# --- events ---------------------------------------------------------------------------


class ContentCreated(DomainEvent):
    name: ClassVar[str] = "content.content_created"
    subject_type: ClassVar[str] = "content"
    campaign_id: uuid.UUID
    channel: Channel
    title: str


class VersionCreated(DomainEvent):
    name: ClassVar[str] = "content.version_created"
    subject_type: ClassVar[str] = "content"
    campaign_id: uuid.UUID
    channel: Channel
    number: int
    changed_fields: list[str]
