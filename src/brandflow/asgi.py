"""ASGI entry point for uvicorn: `brandflow.asgi:app`."""

from brandflow.app import create_app
from brandflow.kernel.telemetry import configure_logging
from brandflow.settings import get_settings

_settings = get_settings()
configure_logging(_settings.log_level, json=_settings.log_json)
app = create_app(_settings)
