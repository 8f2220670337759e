"""The browser session cookie and the CSRF defence of cookie-authenticated requests.

The web app never holds a token: signing in through the BFF sets an httpOnly cookie with an
opaque session secret (its hash is stored like a refresh token). Because browsers attach
cookies to requests other sites start, unsafe methods must also prove they come from our own
pages: an `X-CSRF-Token` header equal to an HMAC of the session (only our origin can learn it,
from `GET /auth/session`), and, when the browser sends one, an `Origin` we serve.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request, Response

from brandflow.kernel.auth.tokens import SESSION_COOKIE, csrf_token, hash_secret, secrets_match
from brandflow.kernel.errors import CsrfRejected
from brandflow.settings import Settings

__all__ = ["SESSION_COOKIE", "check_csrf", "check_origin", "set_session_cookie"]

CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_csrf_token(cookie: str, settings: Settings) -> str:
    return csrf_token(hash_secret(cookie), secret=settings.secret_key.get_secret_value())


def _secure(request: Request, settings: Settings) -> bool:
    return settings.session_cookie_secure or request.url.scheme == "https"


def set_session_cookie(
    response: Response, request: Request, settings: Settings, secret: str, max_age: int
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=_secure(request, settings),
        samesite="lax",
    )


def clear_session_cookie(response: Response, request: Request, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        secure=_secure(request, settings),
        samesite="lax",
    )


def check_origin(request: Request, settings: Settings) -> None:
    """Refuse a browser request whose `Origin` is neither ours nor an allowed CORS origin."""
    origin = request.headers.get("origin")
    if origin is None:
        return  # not sent by every browser on same-origin requests; the CSRF token decides
    parts = urlsplit(origin)
    same_origin = parts.scheme == request.url.scheme and parts.netloc == request.url.netloc
    if not same_origin and origin not in settings.cors_origins:
        raise CsrfRejected(f"Requests from {origin} may not use this session.")


def check_csrf(request: Request, cookie: str, settings: Settings) -> None:
    """Unsafe methods under cookie authentication need our origin and the session's token."""
    if request.method in SAFE_METHODS:
        return
    check_origin(request, settings)
    sent = request.headers.get(CSRF_HEADER)
    if not sent or not secrets_match(sent, session_csrf_token(cookie, settings)):
        raise CsrfRejected(
            f"Send the session's `{CSRF_HEADER}` header (from `GET /api/v1/auth/session`) "
            "with every unsafe request."
        )
