"""Secrets at rest: AES-256-GCM under a keyring that rotates (ADR 0014).

An envelope is ``version (1 byte) | key id length (1 byte) | key id | nonce (12 bytes) |
ciphertext and tag``. The version and key id travel in clear and are authenticated with the
caller's ``associated_data`` (e.g. the organization and row the secret belongs to): a
ciphertext copied to another row, or relabelled with another key id, does not decrypt.

``BRANDFLOW_ENCRYPTION_KEY`` holds the keyring: the base64 of 32 random bytes (key id
``default``), or ``kid:key,kid:key,...`` where the first key encrypts and every key decrypts,
so a new key can take over while secrets written under the old one stay readable. Unset,
development and test derive a key from ``BRANDFLOW_SECRET_KEY`` with HKDF (key id ``dev``);
production and staging refuse to start without one (``settings.py``).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

if TYPE_CHECKING:
    from brandflow.settings import Settings

VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
DEFAULT_KEY_ID = "default"
DEV_KEY_ID = "dev"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# What a keyring names itself in messages: never a key, only where to look.
_VARIABLE = "BRANDFLOW_ENCRYPTION_KEY"


class KeyringError(ValueError):
    """The configured keyring is malformed. The message names the problem, never a key."""


class DecryptionError(Exception):
    """A secret could not be decrypted. The message names the key id, never a secret."""


class UnknownKey(DecryptionError):
    """The envelope was written under a key id the keyring does not hold."""


class DecryptionFailed(DecryptionError):
    """Wrong key, tampered ciphertext, or associated data of another row."""


def associated_data(*parts: object) -> bytes:
    """What binds a ciphertext to its place, e.g. ``("provider_key", org_id, row_id)``.

    Parts are joined with the unit separator, which no id or name we use contains, so
    ``("a", "bc")`` and ``("ab", "c")`` differ.
    """
    return "\x1f".join(str(part) for part in parts).encode()


@dataclass(frozen=True, slots=True)
class Keyring:
    """Keys by id; ``primary`` encrypts. ``repr`` shows the ids only."""

    primary: str
    keys: Mapping[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if self.primary not in self.keys:
            raise KeyringError(f"{_VARIABLE}: the primary key id {self.primary!r} has no key")

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        kid = self.primary.encode()
        header = bytes((VERSION, len(kid))) + kid
        nonce = os.urandom(NONCE_BYTES)  # 96 random bits per message: safe far past 2^32 keys
        sealed = AESGCM(self.keys[self.primary]).encrypt(nonce, plaintext, header + aad)
        return header + nonce + sealed

    def decrypt(self, envelope: bytes, aad: bytes) -> bytes:
        kid, header, body = _split(envelope)
        key = self.keys.get(kid)
        if key is None:
            raise UnknownKey(
                f"The secret was encrypted with key id {kid!r}, which {_VARIABLE} does not "
                "hold: add that key back (after the current one) to read it."
            )
        nonce, sealed = body[:NONCE_BYTES], body[NONCE_BYTES:]
        try:
            return AESGCM(key).decrypt(nonce, sealed, header + aad)
        except InvalidTag:
            raise DecryptionFailed(
                f"The secret does not decrypt with key id {kid!r}: the key is not the one it "
                "was written with, or the ciphertext was altered or copied from another row."
            ) from None


def _split(envelope: bytes) -> tuple[str, bytes, bytes]:
    """(key id, authenticated header, nonce + ciphertext) of a well-formed envelope."""
    if len(envelope) < 2 or envelope[0] != VERSION:
        raise DecryptionFailed("The ciphertext is not an envelope this version can read.")
    end = 2 + envelope[1]
    if len(envelope) < end + NONCE_BYTES + 16:  # 16: the GCM tag
        raise DecryptionFailed("The ciphertext is truncated.")
    try:
        kid = envelope[2:end].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionFailed("The ciphertext's key id is not readable.") from None
    return kid, envelope[:end], envelope[end:]


def _decode_key(kid: str, text: str) -> bytes:
    cleaned = text.strip()
    padded = cleaned + "=" * (-len(cleaned) % 4)
    try:  # the standard and the URL-safe alphabet both
        key = base64.b64decode(padded, altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"{_VARIABLE}: key {kid!r} is not base64") from None
    if len(key) != KEY_BYTES:
        raise KeyringError(
            f"{_VARIABLE}: key {kid!r} is {len(key)} bytes; AES-256 needs {KEY_BYTES}. Generate "
            "one with `python -c 'import base64, os; print(base64.b64encode(os.urandom(32))"
            ".decode())'`."
        )
    return key


def parse_keyring(value: str) -> Keyring:
    """``KEY`` or ``kid:KEY,kid:KEY,...`` (first encrypts). Refuses anything ambiguous."""
    entries = [e.strip() for e in value.split(",")]
    if not any(entries):
        raise KeyringError(f"{_VARIABLE} is empty")
    if len(entries) == 1 and ":" not in entries[0]:
        return Keyring(DEFAULT_KEY_ID, {DEFAULT_KEY_ID: _decode_key(DEFAULT_KEY_ID, entries[0])})
    keys: dict[str, bytes] = {}
    for position, entry in enumerate(entries, start=1):
        kid, colon, text = entry.partition(":")
        kid = kid.strip()
        if not colon or not _KEY_ID.match(kid):
            raise KeyringError(
                f"{_VARIABLE}: entry {position} must be `kid:base64key`, the key id 1-32 "
                "letters, digits, - or _"
            )
        if kid in keys:
            raise KeyringError(f"{_VARIABLE}: key id {kid!r} is listed twice")
        keys[kid] = _decode_key(kid, text)
    return Keyring(next(iter(keys)), keys)


def derived_keyring(secret_key: str) -> Keyring:
    """Development only: a key derived from the signing secret, so a fresh checkout works.

    Anyone holding ``BRANDFLOW_SECRET_KEY`` can derive it, and changing that secret makes
    what was encrypted unreadable: production refuses to run this way.
    """
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=b"brandflow",
        info=b"brandflow/encryption-key/dev/v1",
    ).derive(secret_key.encode())
    return Keyring(DEV_KEY_ID, {DEV_KEY_ID: key})


def keyring_for(settings: Settings) -> Keyring:
    """The deployment's keyring, parsed once per distinct configuration."""
    configured = settings.encryption_key.get_secret_value() if settings.encryption_key else ""
    return _keyring(
        configured.strip(), settings.secret_key.get_secret_value(), settings.environment
    )


@lru_cache(maxsize=8)
def _keyring(configured: str, secret_key: str, environment: str) -> Keyring:
    from brandflow.settings import PROTECTED_ENVIRONMENTS

    if configured:
        return parse_keyring(configured)
    if environment in PROTECTED_ENVIRONMENTS:  # settings refuse this too; never derive here
        raise KeyringError(f"{_VARIABLE} must be set in {environment}")
    return derived_keyring(secret_key)
