"""Serving the built web app (`web/dist`) from the API process, at `/`.

- Hashed build output under `/assets/` is immutable: cached for a year.
- `index.html` is revalidated on every load, so a deploy reaches browsers at once.
- Any other path without a file behind it is a client-side route: it gets `index.html`.
  Paths of the API and of the operations endpoints never fall back: they answer 404 as
  problem+json, like every unknown API path.

The app is the router's *default* handler, not a mount at `/`: a mount would match every
path fully and so win over a route that matches the path but not the method (a `DELETE` on a
POST-only API route would get the static files' 405 instead of the route's own), and over
routes added after it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# First path segments that belong to the server, never to the web app's router.
SERVER_PREFIXES = ("api/", "api", "healthz", "readyz", "metrics")


class SinglePageApp(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        if path.split("/", 1)[0] in SERVER_PREFIXES:
            raise HTTPException(status_code=404)  # never the app, whatever the method
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or not self._is_client_route(path):
                raise
            response = await super().get_response("index.html", scope)
        is_asset = path.startswith("assets/") and response.status_code in (200, 304)
        response.headers["Cache-Control"] = IMMUTABLE if is_asset else REVALIDATE
        return response

    @staticmethod
    def _is_client_route(path: str) -> bool:
        # A missing file with an extension (a stale asset, /favicon.png) stays a 404.
        return "." not in path.rsplit("/", 1)[-1]


def mount_web_app(app: FastAPI, dist_dir: Path) -> bool:
    """Serve ``dist_dir`` at `/` when it holds a build; returns whether it was mounted."""
    if not (dist_dir / "index.html").is_file():
        log.warning("web app not built (%s has no index.html): serving the API only", dist_dir)
        return False
    app.router.default = SinglePageApp(directory=dist_dir, html=True)
    return True
