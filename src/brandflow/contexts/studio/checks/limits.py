"""Channel limits, re-checked against the body's own schema.

The API refuses an over-long body when it is saved, but a version saved under older limits,
or imported, may not fit today's: checking it again reports by how much. Lengths and item
counts come from the model's field metadata (``text_fields.field_specs``); every other rule of
the model (Instagram's hashtag total, "display path 2 needs path 1", a hashtag's shape) is
found by validating the body again and reading the errors. All are blockers: the platform
would refuse the post.

An over-long text is reported over its overflow: ``field_text[limit:]``, the part that does
not fit. Lengths count code points, as the bodies do.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ValidationError

from brandflow.contexts.studio.checks.findings import (
    Finding,
    FindingKind,
    RuleRef,
    Section,
    Severity,
)
from brandflow.contexts.studio.checks.text_fields import BodyFields

# Length errors are found above, with their spans; validation reports the rest.
_LENGTH_ERRORS = frozenset({"string_too_long", "string_too_short", "too_long", "too_short"})
_INDEX = re.compile(r"\[\d+\]")


def _rule(path: str, what: str) -> RuleRef:
    # One rule per field of the schema: every headline shares "headlines[]: ...".
    return RuleRef(section=Section.CHANNEL_LIMITS, name=f"{_INDEX.sub('[]', path)}: {what}")


def _finding(
    path: str | None, message: str, rule: RuleRef, suggestion: str, span: tuple[int, int] | None
) -> Finding:
    return Finding(
        kind=FindingKind.CHANNEL_LIMIT,
        severity=Severity.BLOCKER,
        message=message,
        field=path,
        start=span[0] if span else None,
        end=span[1] if span else None,
        rule=rule,
        suggestion=suggestion,
    )


def find_limit_breaches(body: BaseModel, fields: BodyFields) -> tuple[list[Finding], int]:
    """The findings and the number of limits checked."""
    findings: list[Finding] = []
    checked = 0
    for text_field in fields.texts:
        path, size = text_field.path, len(text_field.text)
        if text_field.max_length is not None:
            checked += 1
            limit = text_field.max_length
            if size > limit:
                findings.append(
                    _finding(
                        path,
                        f"{path} has {size} characters; the {body_channel(body)} limit is {limit}.",
                        _rule(path, f"at most {limit} characters"),
                        f"Shorten it by {size - limit} characters.",
                        (limit, size),
                    )
                )
        if text_field.min_length:
            checked += 1
            if len(text_field.text.strip()) < text_field.min_length:
                findings.append(
                    _finding(
                        path,
                        f"{path} is empty; it is required.",
                        _rule(path, f"at least {text_field.min_length} characters"),
                        f"Write the {path}.",
                        None,
                    )
                )
    for items in fields.lists:
        if items.max_items is not None:
            checked += 1
            if items.count > items.max_items:
                findings.append(
                    _finding(
                        items.path,
                        f"{items.path} has {items.count} items; at most {items.max_items} "
                        "are allowed.",
                        _rule(items.path, f"at most {items.max_items} items"),
                        f"Remove {items.count - items.max_items}.",
                        None,
                    )
                )
        if items.min_items is not None:
            checked += 1
            if items.count < items.min_items:
                findings.append(
                    _finding(
                        items.path,
                        f"{items.path} has {items.count} items; at least {items.min_items} "
                        "are needed.",
                        _rule(items.path, f"at least {items.min_items} items"),
                        f"Add {items.min_items - items.count}.",
                        None,
                    )
                )
    checked += 1
    findings.extend(_other_rules(body))
    return findings, checked


def body_channel(body: BaseModel) -> str:
    return str(getattr(body, "channel", "channel"))


def _path(loc: tuple[int | str, ...]) -> str | None:
    path = ""
    for step in loc:
        path += f"[{step}]" if isinstance(step, int) else f".{step}" if path else str(step)
    return path or None


def _other_rules(body: BaseModel) -> list[Finding]:
    try:
        type(body).model_validate(body.model_dump(mode="json", warnings=False))
    except ValidationError as error:
        findings: list[Finding] = []
        for detail in error.errors(include_url=False):
            if detail["type"] in _LENGTH_ERRORS:
                continue
            path = _path(detail["loc"])
            message = str(detail["msg"]).removeprefix("Value error, ")
            findings.append(
                _finding(
                    path,
                    message if path is None else f"{path}: {message}",
                    _rule(path or body_channel(body), str(detail["type"])),
                    "Correct it to the channel's rules.",
                    None,
                )
            )
        return findings
    return []
