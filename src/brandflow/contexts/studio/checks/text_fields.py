"""A channel body's text fields, with their paths and the limits their schema declares.

The limits are read from each body model's field metadata (``StringConstraints``,
``min_length``/``max_length`` on lists), never restated here, so a changed limit in
``content/bodies.py`` is checked the day it changes. Paths: ``text``, ``headlines[2]``,
``sections[0].body_markdown``. URLs and the discriminator are not text.

``stored_body`` rebuilds a body saved under older (or no) limits without validating it, so
a human draft that no longer fits can still be checked, and its overage reported.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Union, cast

import annotated_types
from pydantic import BaseModel, StringConstraints, ValidationError

from brandflow.contexts.content.public import ChannelBody, parse_body


@dataclass(frozen=True, slots=True)
class TextField:
    path: str
    text: str
    min_length: int | None
    max_length: int | None


@dataclass(frozen=True, slots=True)
class ListField:
    """A list whose number of items is limited (3 to 15 headlines)."""

    path: str
    count: int
    min_items: int | None
    max_items: int | None


@dataclass(frozen=True, slots=True)
class BodyFields:
    texts: tuple[TextField, ...]
    lists: tuple[ListField, ...]

    def get(self, path: str) -> TextField | None:
        return next((f for f in self.texts if f.path == path), None)


# --- schema ---------------------------------------------------------------------------------

Kind = Literal["text", "text_list", "model", "model_list", "other"]


@dataclass(frozen=True, slots=True)
class _Limits:
    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: Kind
    text: _Limits  # of the string (or of each string of a list)
    items: _Limits  # of the list
    model: type[BaseModel] | None = None


def _limits(metadata: Iterable[object]) -> _Limits:
    low: int | None = None
    high: int | None = None
    for item in metadata:
        if isinstance(item, StringConstraints):
            low = item.min_length if item.min_length is not None else low
            high = item.max_length if item.max_length is not None else high
        elif isinstance(item, annotated_types.MinLen):
            low = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            high = item.max_length
    return _Limits(low, high)


def _unwrap(annotation: Any) -> tuple[Any, list[object]]:
    """``Annotated[X, ...] | None`` -> (X, metadata)."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        inner, more = _unwrap(base)
        return inner, [*metadata, *more]
    return annotation, []


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@functools.cache
def field_specs(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    specs: list[FieldSpec] = []
    for name, info in model.model_fields.items():
        annotation, metadata = _unwrap(info.annotation)
        metadata = [*info.metadata, *metadata]
        if annotation is str:
            specs.append(FieldSpec(name, "text", _limits(metadata), _Limits()))
        elif _is_model(annotation):
            specs.append(FieldSpec(name, "model", _Limits(), _Limits(), annotation))
        elif typing.get_origin(annotation) is list:
            (item,) = typing.get_args(annotation)
            item_type, item_metadata = _unwrap(item)
            if item_type is str:
                specs.append(
                    FieldSpec(name, "text_list", _limits(item_metadata), _limits(metadata))
                )
            elif _is_model(item_type):
                specs.append(FieldSpec(name, "model_list", _Limits(), _limits(metadata), item_type))
            else:
                specs.append(FieldSpec(name, "other", _Limits(), _Limits()))
        else:
            specs.append(FieldSpec(name, "other", _Limits(), _Limits()))
    return tuple(specs)


# --- walking a body -------------------------------------------------------------------------


def _value(obj: object, name: str) -> object:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _walk(
    obj: object, model: type[BaseModel], prefix: str, texts: list[TextField], lists: list[ListField]
) -> None:
    for spec in field_specs(model):
        value = _value(obj, spec.name)
        path = f"{prefix}{spec.name}"
        if spec.kind == "text" and isinstance(value, str):
            texts.append(TextField(path, value, spec.text.min_length, spec.text.max_length))
        elif spec.kind in ("text_list", "model_list") and isinstance(value, list):
            if spec.items != _Limits():
                lists.append(
                    ListField(path, len(value), spec.items.min_length, spec.items.max_length)
                )
            for index, item in enumerate(value):
                item_path = f"{path}[{index}]"
                if spec.kind == "text_list" and isinstance(item, str):
                    texts.append(
                        TextField(item_path, item, spec.text.min_length, spec.text.max_length)
                    )
                elif spec.model is not None and item is not None:
                    _walk(item, spec.model, f"{item_path}.", texts, lists)
        elif spec.kind == "model" and spec.model is not None and value is not None:
            _walk(value, spec.model, f"{path}.", texts, lists)


def body_fields(body: ChannelBody) -> BodyFields:
    texts: list[TextField] = []
    lists: list[ListField] = []
    _walk(body, type(body), "", texts, lists)
    return BodyFields(tuple(texts), tuple(lists))


# --- paths ----------------------------------------------------------------------------------

_STEP = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


def path_steps(path: str) -> list[str | int]:
    """``sections[0].body_markdown`` -> ["sections", 0, "body_markdown"]."""
    steps: list[str | int] = []
    for name, index in _STEP.findall(path):
        steps.append(name if name else int(index))
    return steps


def set_at(data: dict[str, Any], path: str, value: str) -> None:
    """Set a text in a body's JSON (``model_dump``) at ``path``."""
    *parents, last = path_steps(path)
    node: Any = data
    for step in parents:
        node = node[step]
    node[last] = value


# --- bodies saved under other limits --------------------------------------------------------


@functools.cache
def body_models() -> dict[str, type[BaseModel]]:
    """Channel -> body model, read from the ``ChannelBody`` union itself."""
    union, *_ = typing.get_args(ChannelBody)
    models: dict[str, type[BaseModel]] = {}
    for model in typing.get_args(union):
        (channel,) = typing.get_args(model.model_fields["channel"].annotation)
        models[channel] = model
    return models


def _construct(model: type[BaseModel], data: Mapping[str, Any]) -> BaseModel:
    values: dict[str, Any] = {}
    for spec in field_specs(model):
        if spec.name not in data:
            continue
        value = data[spec.name]
        if spec.model is not None and spec.kind == "model_list" and isinstance(value, list):
            value = [_construct(spec.model, v) if isinstance(v, Mapping) else v for v in value]
        elif spec.model is not None and isinstance(value, Mapping):
            value = _construct(spec.model, value)
        values[spec.name] = value
    return model.model_construct(**values)


def stored_body(data: Mapping[str, Any]) -> ChannelBody:
    """The body as its typed model; unvalidated when it no longer passes validation."""
    try:
        return parse_body(dict(data))
    except ValidationError:
        model = body_models().get(str(data.get("channel")))
        if model is None:
            raise
        return cast(ChannelBody, _construct(model, data))
