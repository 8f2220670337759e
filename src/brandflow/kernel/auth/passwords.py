"""Argon2id password hashing (pwdlib), with transparent re-hashing on parameter changes."""

from __future__ import annotations

import functools

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so both paths cost one Argon2 verify.

    Computed on first use, not at import: every process (the CLI too) would pay for it.
    """
    return _hasher.hash("brandflow-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """Return (valid, new_hash_or_None). Always spends one verify, known user or not."""
    if password_hash is None:
        _hasher.verify(password, _dummy_hash())
        return False, None
    return _hasher.verify_and_update(password, password_hash)
