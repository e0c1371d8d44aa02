"""This laptop as the centre knows it: its id, its signing key (inside the vault), its profile."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import minisign

from intake_app.storage import Vault
from intake_app.sync.device.errors import NotEnrolled
from intake_app.sync.format import keys
from intake_app.sync.format.profile import CentreProfile, parse_profile

Connection = Any  # sqlcipher3 ships no type information


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """The enrolled laptop: id, names, public key, when the key was made, the next seq."""

    device_id: str
    device_name: str
    worker: str
    public_key: str  # "RW..."
    created: str
    next_seq: int

    def key_fingerprint(self) -> str:
        """The public key's fingerprint, compared with the administrator's screen."""
        return keys.key_fingerprint(self.public_key)


@dataclass(frozen=True, slots=True, repr=False)
class Device:
    """Everything the export needs: identity, the accepted centre profile, the secret key."""

    identity: DeviceIdentity
    profile: CentreProfile
    profile_fingerprint: str
    secret_key: minisign.SecretKey

    @property
    def device_id(self) -> str:
        return self.identity.device_id


def read_identity(conn: Connection) -> DeviceIdentity | None:
    """The stored identity (without the secret key), or None before enrolment."""
    row = conn.execute(
        "SELECT device_id, device_name, worker, public_key, created, next_seq "
        "FROM device_identity WHERE singleton = 1"
    ).fetchone()
    return DeviceIdentity(*row) if row else None


def read_profile(conn: Connection) -> tuple[CentreProfile, str] | None:
    """The accepted centre profile and its fingerprint, or None."""
    row = conn.execute(
        "SELECT data, fingerprint FROM device_profile WHERE singleton = 1"
    ).fetchone()
    if row is None:
        return None
    return parse_profile(bytes(row[0])), str(row[1])


def create_identity(conn: Connection, *, device_name: str, worker: str, now: str
                    ) -> DeviceIdentity:
    """Make the device key and store it; call inside the transaction that stores the profile."""
    pair = keys.generate_signing_key()
    public_key = keys.public_key_to_text(pair.public_key)
    secret = keys.export_secret_key(pair.secret_key).decode("ascii")
    device_id = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO device_identity (singleton, device_id, device_name, worker, public_key, "
        "secret_key, created, next_seq) VALUES (1, ?, ?, ?, ?, ?, ?, 1)",
        (device_id, device_name, worker, public_key, secret, now),
    )
    return DeviceIdentity(device_id, device_name, worker, public_key, now, 1)


def store_profile(conn: Connection, profile: CentreProfile, data: bytes, fingerprint: str,
                  now: str) -> None:
    """Keep the exact bytes of the accepted profile (replacing an earlier one)."""
    conn.execute(
        "INSERT INTO device_profile (singleton, centre_id, data, fingerprint, loaded) "
        "VALUES (1, ?, ?, ?, ?) ON CONFLICT (singleton) DO UPDATE SET "
        "centre_id = excluded.centre_id, data = excluded.data, "
        "fingerprint = excluded.fingerprint, loaded = excluded.loaded",
        (profile.centre_id, data, fingerprint, now),
    )


def load_device(vault: Vault) -> Device:
    """The enrolled device with its secret key; raises `NotEnrolled` or `DeviceKeyDamaged`."""
    with vault.transaction() as conn:
        identity = read_identity(conn)
        profile = read_profile(conn)
        row = conn.execute(
            "SELECT secret_key FROM device_identity WHERE singleton = 1"
        ).fetchone()
    if identity is None or profile is None or row is None:
        raise NotEnrolled()
    secret_key = keys.import_secret_key(str(row[0]).encode("ascii"), identity.public_key)
    return Device(identity, profile[0], profile[1], secret_key)


def device_status(vault: Vault) -> tuple[DeviceIdentity | None, CentreProfile | None, str | None]:
    """Identity, profile and profile fingerprint as far as they exist (for display)."""
    with vault.transaction() as conn:
        identity = read_identity(conn)
        profile = read_profile(conn)
    if profile is None:
        return identity, None, None
    return identity, profile[0], profile[1]
