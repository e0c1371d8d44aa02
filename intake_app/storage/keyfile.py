"""vault.json: the non-secret half of a vault, holding the database key wrapped twice.

The database key is wrapped with AES-256-GCM under a key derived with Argon2id, once from the
passphrase and once from the recovery code. The associated data of each wrapping binds the
format, the vault id, the kind, the database file's salt, the slot name and the KDF parameters
with their salt, so any edit to these fields, or a vault.json from another vault, cannot unwrap.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from intake_app.errors import VaultDamaged, VaultTooNew
from intake_app.storage.kdf import KEY_BYTES, SALT_BYTES, KdfParams, derive_key

FORMAT = "intake-vault"
VERSION = 1
AEAD = "aes-256-gcm"
KDF = "argon2id"
NONCE_BYTES = 12
DATABASE_SALT_BYTES = 16
TAG_BYTES = 16
SlotName = Literal["passphrase", "recovery"]
VaultKind = Literal["worker", "centre"]
KINDS: tuple[VaultKind, ...] = ("worker", "centre")


@dataclass(frozen=True)
class VaultIdentity:
    """What a wrapped key is bound to: this vault, of this kind, with this database file."""

    vault_id: str
    kind: VaultKind
    database_salt: bytes


@dataclass(frozen=True)
class KeySlot:
    """One wrapping of the database key: KDF parameters, salt, nonce and ciphertext."""

    params: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes


@dataclass(frozen=True)
class VaultFile:
    """The parsed content of vault.json."""

    identity: VaultIdentity
    created: str
    passphrase: KeySlot
    recovery: KeySlot

    def to_bytes(self) -> bytes:
        """The JSON text written to vault.json."""
        body = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.identity.vault_id,
            "kind": self.identity.kind,
            "created": self.created,
            "database_salt": self.identity.database_salt.hex(),
            "aead": AEAD,
            "passphrase_slot": _slot_to_json(self.passphrase),
            "recovery_slot": _slot_to_json(self.recovery),
        }
        return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def parse(cls, data: bytes) -> VaultFile:
        """Read vault.json; anything malformed or out of bounds raises VaultDamaged."""
        try:
            body = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise VaultDamaged() from None
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise VaultDamaged()
        version = body.get("version")
        if type(version) is int and version > VERSION:
            raise VaultTooNew()
        if type(version) is not int or version != VERSION or body.get("aead") != AEAD:
            raise VaultDamaged()
        kind = _field(body, "kind", str)
        if kind not in KINDS:
            raise VaultDamaged()
        identity = VaultIdentity(
            vault_id=_field(body, "vault_id", str),
            kind=kind,  # checked against KINDS just above
            database_salt=_hex_field(body, "database_salt", DATABASE_SALT_BYTES),
        )
        return cls(
            identity=identity,
            created=_field(body, "created", str),
            passphrase=_slot_from_json(_field(body, "passphrase_slot", dict)),
            recovery=_slot_from_json(_field(body, "recovery_slot", dict)),
        )


def seal_slot(
    identity: VaultIdentity, name: SlotName, secret: bytes, params: KdfParams, db_key: bytes
) -> KeySlot:
    """Wrap `db_key` under a key derived from `secret` with a fresh salt and nonce."""
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    kek = derive_key(secret, salt, params)
    unsealed = KeySlot(params=params, salt=salt, nonce=nonce, wrapped_key=b"")
    wrapped = AESGCM(kek).encrypt(nonce, db_key, associated_data(identity, name, unsealed))
    return KeySlot(params=params, salt=salt, nonce=nonce, wrapped_key=wrapped)


def open_slot(
    identity: VaultIdentity, name: SlotName, slot: KeySlot, secret: bytes
) -> bytes | None:
    """The database key, or None when the secret (or anything the slot is bound to) is wrong."""
    kek = derive_key(secret, slot.salt, slot.params)
    try:
        key = AESGCM(kek).decrypt(
            slot.nonce, slot.wrapped_key, associated_data(identity, name, slot)
        )
    except InvalidTag:
        return None
    return key if len(key) == KEY_BYTES else None


def associated_data(identity: VaultIdentity, name: SlotName, slot: KeySlot) -> bytes:
    """The bytes the AEAD authenticates besides the key: everything that must not be swapped."""
    bound = {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": identity.vault_id,
        "kind": identity.kind,
        "database_salt": identity.database_salt.hex(),
        "aead": AEAD,
        "slot": name,
        "kdf": _kdf_to_json(slot),
    }
    return json.dumps(bound, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _kdf_to_json(slot: KeySlot) -> dict[str, Any]:
    return {
        "algorithm": KDF,
        "memory_kib": slot.params.memory_kib,
        "iterations": slot.params.iterations,
        "lanes": slot.params.lanes,
        "salt": slot.salt.hex(),
    }


def _slot_to_json(slot: KeySlot) -> dict[str, Any]:
    return {
        "kdf": _kdf_to_json(slot),
        "nonce": slot.nonce.hex(),
        "wrapped_key": slot.wrapped_key.hex(),
    }


def _slot_from_json(body: dict[str, Any]) -> KeySlot:
    kdf = _field(body, "kdf", dict)
    if kdf.get("algorithm") != KDF:
        raise VaultDamaged()
    params = KdfParams(
        memory_kib=_field(kdf, "memory_kib", int),
        iterations=_field(kdf, "iterations", int),
        lanes=_field(kdf, "lanes", int),
    )
    if not params.is_within_bounds():
        raise VaultDamaged()
    return KeySlot(
        params=params,
        salt=_hex_field(kdf, "salt", SALT_BYTES),
        nonce=_hex_field(body, "nonce", NONCE_BYTES),
        wrapped_key=_hex_field(body, "wrapped_key", KEY_BYTES + TAG_BYTES),
    )


def _field(body: dict[str, Any], name: str, kind: type[Any]) -> Any:
    value = body.get(name)
    # bool is an int subclass; a `true` where a number belongs is damage, not a number.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise VaultDamaged()
    return value


def _hex_field(body: dict[str, Any], name: str, length: int) -> bytes:
    text = _field(body, name, str)
    try:
        value = bytes.fromhex(text)
    except ValueError:
        raise VaultDamaged() from None
    if len(value) != length:
        raise VaultDamaged()
    return value
