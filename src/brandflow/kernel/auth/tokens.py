"""JWT access tokens and opaque high-entropy secrets (refresh tokens, API keys, invitations)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from starlette.requests import cookie_parser

from brandflow.kernel.db import utcnow
from brandflow.kernel.errors import Unauthorized

ALGORITHM = "HS256"
ISSUER = "brandflow"
AUDIENCE = "brandflow-api"
# API keys start with it; any other bearer credential is a JWT access token.
API_KEY_PREFIX = "bfk_"
# The httpOnly cookie of a web-app session (contexts/identity/cookies.py sets it).
SESSION_COOKIE = "brandflow_session"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID  # the refresh-token family; logout revokes it
    expires_at: datetime


def issue_access_token(
    user_id: uuid.UUID, session_id: uuid.UUID, *, secret: str, minutes: int
) -> tuple[str, datetime]:
    now = utcnow()
    expires_at = now + timedelta(minutes=minutes)
    claims = {
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": now,
        "exp": expires_at,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM), expires_at


def bearer_credential(headers: Sequence[tuple[bytes, bytes]]) -> str | None:
    """The credential of the first ``Authorization: Bearer ...`` header (parsed as FastAPI
    parses it), or None when there is none or the scheme is another."""
    value = next((v for k, v in headers if k == b"authorization"), b"")
    scheme, _, credential = value.decode("latin-1").partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        return None
    return credential


def session_cookie(headers: Sequence[tuple[bytes, bytes]]) -> str | None:
    """The browser session cookie's value, or None."""
    for key, value in headers:
        if key == b"cookie":
            for name, cookie in cookie_parser(value.decode("latin-1")).items():
                if name == SESSION_COOKIE and cookie:
                    return cookie
    return None


# Verified tokens, so a client repeating its token skips the HMAC and the claim checks.
# Only successes are kept, keyed by (secret, token); a hit is re-checked against `exp`, the one
# claim whose verdict changes with time (`iat`/`nbf` that passed once stay passed).
_VERIFIED_MAX = 4096
_verified: OrderedDict[tuple[str, str], tuple[float, AccessClaims]] = OrderedDict()


def decode_access_token(token: str, *, secret: str) -> AccessClaims:
    key = (secret, token)
    hit = _verified.get(key)
    if hit is not None:
        if time.time() < hit[0]:
            _verified.move_to_end(key)
            return hit[1]
        del _verified[key]
    claims = _decode_access_token(token, secret=secret)
    _verified[key] = (claims.expires_at.timestamp(), claims)
    if len(_verified) > _VERIFIED_MAX:
        _verified.popitem(last=False)
    return claims


def _decode_access_token(token: str, *, secret: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "sub", "sid", "iat"]},
        )
        return AccessClaims(
            user_id=uuid.UUID(claims["sub"]),
            session_id=uuid.UUID(claims["sid"]),
            expires_at=datetime.fromtimestamp(claims["exp"]).astimezone(),
        )
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise Unauthorized("The access token is invalid or has expired.") from exc


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_secret(value: str) -> str:
    """SHA-256 is right for random 256-bit secrets: nothing to brute-force, lookups stay indexable."""
    return hashlib.sha256(value.encode()).hexdigest()


def secrets_match(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def csrf_token(session_secret_hash: str, *, secret: str) -> str:
    """The CSRF token bound to one browser session: an HMAC of the session's secret hash.

    Stateless (nothing stored) and useless without the httpOnly cookie it belongs to; a page
    of another origin can read neither, so it cannot forge the header that unsafe requests carry.
    """
    mac = hmac.new(secret.encode(), f"csrf:{session_secret_hash}".encode(), hashlib.sha256)
    return mac.hexdigest()
