"""Contract documents generated from code: OpenAPI for HTTP, AsyncAPI for events."""

from __future__ import annotations

from typing import Any

from brandflow.settings import Settings


def openapi_document() -> dict[str, Any]:
    from brandflow.app import create_app

    return create_app(Settings()).openapi()


def asyncapi_document() -> dict[str, Any]:
    from brandflow.kernel.asyncapi import build_asyncapi

    return build_asyncapi()
