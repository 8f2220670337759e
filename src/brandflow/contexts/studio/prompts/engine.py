"""Checking and rendering prompt templates: Jinja2 in its immutable sandbox, strict undefined.

A template is checked when it is saved (``check_template``): its syntax, then the variables
it reads against the task's allowed and required sets (``meta.find_undeclared_variables``),
then a render against the task's sample context, which catches a misspelt attribute or a
type error. Each problem becomes a 422 whose ``errors[].loc`` names the template and, for a
variable, the variable; a syntax error carries its ``line``.

Rendering is bounded: the sandbox refuses unsafe attribute access and mutation, ``range``
is capped, and output stops at ``MAX_PROMPT_CHARS``. Only managers may save templates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from brandflow.contexts.studio.domain import PromptTask
from brandflow.contexts.studio.prompts.variables import ALLOWED, REQUIRED, SAMPLES
from brandflow.kernel.errors import Unprocessable

MAX_TEMPLATE_CHARS = 20_000
MAX_PROMPT_CHARS = 200_000
LOC = ("body", "template")


class _Environment(ImmutableSandboxedEnvironment):
    """A range a template may build: enough for any list of ours, not for a busy loop."""

    def __init__(self) -> None:
        super().__init__(
            undefined=StrictUndefined, autoescape=False, trim_blocks=False, auto_reload=False
        )
        self.globals.clear()
        self.globals.update(range=_small_range, dict=dict)


def _small_range(*args: int) -> range:
    values = range(*args)
    if len(values) > 1_000:
        raise OverflowError("range() in a template is limited to 1000 items")
    return values


_ENV = _Environment()


class TemplateRenderError(Exception):
    """A saved template failed on real data (it passed on the sample): the generation fails."""


@dataclass(frozen=True, slots=True)
class CheckedTemplate:
    """A template that passed ``check_template`` (when it was saved, or ours)."""

    task: PromptTask
    source: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()


def _error(message: str, kind: str, *loc: str, **extra: Any) -> Unprocessable:
    return Unprocessable(
        message, errors=[{"loc": [*LOC, *loc], "msg": message, "type": kind}], **extra
    )


def check_template(task: PromptTask, source: str) -> CheckedTemplate:
    """The template, checked for ``task``; ``Unprocessable`` (422) naming what is wrong."""
    if len(source) > MAX_TEMPLATE_CHARS:
        raise _error(f"A template is at most {MAX_TEMPLATE_CHARS} characters.", "template_too_long")
    try:
        parsed = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        raise _error(
            f"Template syntax error on line {exc.lineno}: {exc.message}",
            "template_syntax",
            line=exc.lineno,
        ) from exc
    used = frozenset(meta.find_undeclared_variables(parsed))
    allowed, required = ALLOWED[task], REQUIRED[task]
    errors: list[dict[str, Any]] = [
        {
            "loc": [*LOC, name],
            "msg": f"`{name}` is not a variable of the {task} template; "
            f"use one of: {', '.join(sorted(allowed))}",
            "type": "unknown_variable",
        }
        for name in sorted(used - allowed.keys())
    ] + [
        {
            "loc": [*LOC, name],
            "msg": f"The {task} template must use `{name}`.",
            "type": "missing_variable",
        }
        for name in sorted(required - used)
    ]
    if errors:
        raise Unprocessable(
            "The template's variables do not fit the task: " + "; ".join(e["msg"] for e in errors),
            errors=errors,
        )
    checked = CheckedTemplate(task, source)
    try:
        render(checked, SAMPLES[task])
    except TemplateRenderError as exc:
        raise _error(f"The template fails on sample data: {exc}", "template_render") from exc
    return checked


def render(template: CheckedTemplate, context: Mapping[str, Any]) -> str:
    """The prompt, at most ``MAX_PROMPT_CHARS``; ``TemplateRenderError`` if it fails."""
    try:
        compiled = _ENV.from_string(template.source)
        pieces: list[str] = []
        size = 0
        for piece in compiled.generate(dict(context)):
            size += len(piece)
            if size > MAX_PROMPT_CHARS:
                raise TemplateRenderError(
                    f"the rendered prompt is over {MAX_PROMPT_CHARS} characters"
                )
            pieces.append(piece)
    except TemplateError as exc:
        raise TemplateRenderError(exc.message or type(exc).__name__) from exc
    except (TypeError, ValueError, ArithmeticError, LookupError, RecursionError) as exc:
        raise TemplateRenderError(f"{type(exc).__name__}: {exc}") from exc
    return "".join(pieces).strip()
