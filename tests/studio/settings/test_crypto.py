"""AES-256-GCM envelopes and the keyring: round trips, tampering, binding, rotation, config."""

from __future__ import annotations

import base64
import os
import uuid

import pytest
from pydantic import SecretStr, ValidationError

from brandflow.kernel.crypto import (
    DecryptionError,
    DecryptionFailed,
    Keyring,
    KeyringError,
    UnknownKey,
    associated_data,
    derived_keyring,
    keyring_for,
    parse_keyring,
)
from brandflow.settings import DEV_SECRET_KEY, Settings

SECRET = b"sk-live-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
STRONG_SIGNING_KEY = "s" * 48


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def bound_to(organization: uuid.UUID, credential: uuid.UUID) -> bytes:
    return associated_data("provider_credential", organization, credential)


ORG, OTHER_ORG, ROW, OTHER_ROW = (uuid.uuid4() for _ in range(4))


def test_round_trip_hides_the_secret_and_never_repeats_a_ciphertext() -> None:
    keyring = parse_keyring(new_key())
    first = keyring.encrypt(SECRET, bound_to(ORG, ROW))
    second = keyring.encrypt(SECRET, bound_to(ORG, ROW))
    assert SECRET not in first
    assert base64.b64encode(SECRET) not in first
    assert first != second  # a fresh nonce every time
    assert keyring.decrypt(first, bound_to(ORG, ROW)) == SECRET
    assert keyring.decrypt(second, bound_to(ORG, ROW)) == SECRET
    assert first[0] == 1
    assert first[2 : 2 + first[1]] == b"default"


@pytest.mark.parametrize("position", [0, 1, 3, 10, 20, -17, -1])
def test_any_flipped_byte_is_refused(position: int) -> None:
    keyring = parse_keyring(new_key())
    envelope = bytearray(keyring.encrypt(SECRET, bound_to(ORG, ROW)))
    envelope[position] ^= 0x01
    with pytest.raises(DecryptionError):
        keyring.decrypt(bytes(envelope), bound_to(ORG, ROW))


@pytest.mark.parametrize("envelope", [b"", b"\x01", b"\x02\x01k" + bytes(40), b"\x01\x05ab"])
def test_malformed_envelopes_are_refused(envelope: bytes) -> None:
    with pytest.raises(DecryptionFailed):
        parse_keyring(new_key()).decrypt(envelope, b"")


def test_a_ciphertext_moved_to_another_row_or_organization_does_not_decrypt() -> None:
    keyring = parse_keyring(new_key())
    envelope = keyring.encrypt(SECRET, bound_to(ORG, ROW))
    for where in (bound_to(OTHER_ORG, ROW), bound_to(ORG, OTHER_ROW), b""):
        with pytest.raises(DecryptionFailed) as refused:
            keyring.decrypt(envelope, where)
        assert SECRET.decode() not in str(refused.value)


def test_associated_data_parts_cannot_be_shifted() -> None:
    assert associated_data("a", "bc") != associated_data("ab", "c")


def test_rotation_reads_old_secrets_and_writes_with_the_new_key() -> None:
    old, new = new_key(), new_key()
    before = parse_keyring(f"k1:{old}")
    stored = before.encrypt(SECRET, bound_to(ORG, ROW))

    rotating = parse_keyring(f"k2:{new},k1:{old}")
    assert rotating.primary == "k2"
    assert rotating.decrypt(stored, bound_to(ORG, ROW)) == SECRET
    rewritten = rotating.encrypt(SECRET, bound_to(ORG, ROW))
    assert rewritten[2:4] == b"k2"

    retired = parse_keyring(f"k2:{new}")
    assert retired.decrypt(rewritten, bound_to(ORG, ROW)) == SECRET
    with pytest.raises(UnknownKey, match="'k1'") as unknown:
        retired.decrypt(stored, bound_to(ORG, ROW))
    assert old not in str(unknown.value)
    assert new not in str(unknown.value)
    with pytest.raises(DecryptionError):
        before.decrypt(rewritten, bound_to(ORG, ROW))  # k1 cannot read what k2 wrote


def test_the_wrong_key_under_the_same_id_is_refused() -> None:
    stored = parse_keyring(f"k1:{new_key()}").encrypt(SECRET, bound_to(ORG, ROW))
    with pytest.raises(DecryptionFailed, match="'k1'"):
        parse_keyring(f"k1:{new_key()}").decrypt(stored, bound_to(ORG, ROW))


def test_keys_in_either_base64_alphabet_with_or_without_padding() -> None:
    raw = os.urandom(32)
    spellings = [
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        f"  {base64.b64encode(raw).decode()}  ",
    ]
    keyrings = [parse_keyring(s) for s in spellings]
    envelope = keyrings[0].encrypt(SECRET, b"x")
    assert all(k.decrypt(envelope, b"x") == SECRET for k in keyrings)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "empty"),
        (" , ", "empty"),
        ("not base64 at all!", "not base64"),
        (base64.b64encode(os.urandom(16)).decode(), "16 bytes"),
        (f"k1:{base64.b64encode(os.urandom(31)).decode()}", "31 bytes"),
        (f"k1:{new_key()},k1:{new_key()}", "twice"),
        (f"bad id!:{new_key()}", "entry 1"),
        (f"k1:{new_key()},{new_key()}", "entry 2"),
        (f"{'k' * 33}:{new_key()}", "entry 1"),
    ],
)
def test_malformed_keyrings_are_refused_without_echoing_keys(value: str, problem: str) -> None:
    with pytest.raises(KeyringError, match=problem) as refused:
        parse_keyring(value)
    for part in value.replace(":", ",").split(","):
        if len(part.strip()) > 20:
            assert part.strip() not in str(refused.value)


def test_repr_shows_key_ids_only() -> None:
    key = os.urandom(32)
    keyring = Keyring("k1", {"k1": key})
    assert "k1" in repr(keyring)
    assert repr(key) not in repr(keyring)
    assert key.hex() not in repr(keyring)
    with pytest.raises(KeyringError):
        Keyring("k2", {"k1": key})


# --- configuration ----------------------------------------------------------------------


@pytest.mark.parametrize("environment", ["production", "staging"])
def test_protected_environments_refuse_to_start_without_a_key(environment: str) -> None:
    with pytest.raises(ValidationError, match="BRANDFLOW_ENCRYPTION_KEY must be set"):
        Settings(environment=environment, secret_key=STRONG_SIGNING_KEY)
    with pytest.raises(ValidationError, match="BRANDFLOW_ENCRYPTION_KEY must be set"):
        Settings(environment=environment, secret_key=STRONG_SIGNING_KEY, encryption_key="  ")


def test_a_malformed_key_stops_the_start_without_showing_it() -> None:
    short = base64.b64encode(os.urandom(24)).decode()
    with pytest.raises(ValidationError, match="24 bytes") as refused:
        Settings(environment="production", secret_key=STRONG_SIGNING_KEY, encryption_key=short)
    assert short not in str(refused.value)
    assert STRONG_SIGNING_KEY not in str(refused.value)
    with pytest.raises(ValidationError, match="24 bytes"):  # development too
        Settings(encryption_key=short)


def test_production_uses_the_configured_keyring() -> None:
    old, new = new_key(), new_key()
    settings = Settings(
        environment="production",
        secret_key=STRONG_SIGNING_KEY,
        encryption_key=f"2026-11:{new},2026-05:{old}",
    )
    keyring = keyring_for(settings)
    assert keyring.primary == "2026-11"
    assert set(keyring.keys) == {"2026-11", "2026-05"}
    assert "encryption_key" in repr(settings)
    assert new not in repr(settings)


def test_development_derives_a_key_from_the_secret_key() -> None:
    settings = Settings(environment="development", secret_key=DEV_SECRET_KEY)
    keyring = keyring_for(settings)
    assert keyring.primary == "dev"
    assert keyring.keys == derived_keyring(DEV_SECRET_KEY).keys  # stable across restarts
    assert keyring.keys != derived_keyring("another secret").keys
    envelope = keyring.encrypt(SECRET, b"x")
    with pytest.raises(DecryptionFailed):
        derived_keyring("another secret").decrypt(envelope, b"x")


def test_the_keyring_is_never_derived_in_production_even_if_settings_were_bypassed() -> None:
    unchecked = Settings.model_construct(
        environment="production", secret_key=SecretStr(STRONG_SIGNING_KEY), encryption_key=None
    )
    with pytest.raises(KeyringError, match="must be set in production"):
        keyring_for(unchecked)
