"""An opened centre: its vault, its profile and its secret keys, as the importer needs them.

The profile is read from the vault (the copy in the data folder is only for handing out), so a
profile file changed on disk cannot redirect the centre. Secrets are read from the vault's
`centre_key` table and live only in memory while the centre is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import minisign
from pyrage import x25519

from intake_app.storage import Vault
from intake_app.sync.centre import forms as centre_forms
from intake_app.sync.centre.errors import CentreNotSetUp, NotACentreVault
from intake_app.sync.centre.forms import RecordValidatorFactory
from intake_app.sync.centre.quarantine import sweep_held
from intake_app.sync.centre.schema import COMPONENT, MIGRATIONS
from intake_app.sync.format import keys
from intake_app.sync.format.payload_reader import RecordValidator
from intake_app.sync.format.profile import PROFILE_FILE_NAME, CentreProfile, parse_profile
from intake_app.sync.format.strict_json import FormatProblem

CENTRE_FOLDER = "centre"
PRIMARY_KEY = "primary"
RECEIPT_KEY = "receipt"


def centre_dir(data_dir: Path) -> Path:
    """The centre's vault inside a data folder."""
    return Path(data_dir) / CENTRE_FOLDER


def profile_file(data_dir: Path) -> Path:
    """Where `centre init` writes the profile that is handed to devices."""
    return Path(data_dir) / PROFILE_FILE_NAME


@dataclass(repr=False)
class Centre:
    """An unlocked centre vault with its keys; close it with `close()` (or `with`)."""

    vault: Vault
    profile: CentreProfile
    profile_bytes: bytes
    identities: list[x25519.Identity]
    receipt_key: minisign.SecretKey
    share: Path
    validate_record: RecordValidator

    @classmethod
    def open(
        cls,
        data_dir: Path,
        passphrase: str,
        *,
        share: Path | None = None,
        validator: RecordValidatorFactory | None = None,
    ) -> Centre:
        """Unlock the centre vault in `data_dir`; `share` overrides the profile's share path.

        `validator` makes the record check (default: the forms installed with the application);
        the form versions the centre published are known besides (`forms.with_published`).
        """
        vault = Vault.unlock(centre_dir(data_dir), passphrase)
        try:
            return cls.from_vault(vault, share=share, validator=validator)
        except BaseException:
            vault.lock()
            raise

    @classmethod
    def open_with_recovery(
        cls,
        data_dir: Path,
        recovery_code: str,
        new_passphrase: str,
        *,
        share: Path | None = None,
        validator: RecordValidatorFactory | None = None,
    ) -> Centre:
        """Unlock the centre vault with the recovery code shown at set-up, and make
        `new_passphrase` its passphrase (`Vault.unlock_with_recovery`)."""
        vault = Vault.unlock_with_recovery(centre_dir(data_dir), recovery_code, new_passphrase)
        try:
            return cls.from_vault(vault, share=share, validator=validator)
        except BaseException:
            vault.lock()
            raise

    @classmethod
    def from_vault(
        cls,
        vault: Vault,
        *,
        share: Path | None = None,
        validator: RecordValidatorFactory | None = None,
    ) -> Centre:
        """The centre held by an unlocked vault (brings its tables up to date first)."""
        if vault.kind != "centre":
            raise NotACentreVault(folder=str(vault.folder))
        vault.ensure_schema(COMPONENT, MIGRATIONS)
        sweep_held(vault)  # held files a crash left without their row
        with vault.transaction() as conn:
            profile_row = conn.execute("SELECT data FROM centre_profile WHERE id = 1").fetchone()
            secrets = dict(conn.execute("SELECT name, secret FROM centre_key").fetchall())
        if profile_row is None or PRIMARY_KEY not in secrets or RECEIPT_KEY not in secrets:
            raise CentreNotSetUp()
        profile_bytes = bytes(profile_row[0])
        profile = parse_profile(profile_bytes)
        try:
            primary = keys.parse_identity(bytes(secrets[PRIMARY_KEY]).decode("ascii"))
        except (FormatProblem, UnicodeDecodeError) as exc:
            raise CentreNotSetUp() from exc
        receipt = keys.import_secret_key(bytes(secrets[RECEIPT_KEY]), profile.receipt_key)
        return cls(
            vault=vault,
            profile=profile,
            profile_bytes=profile_bytes,
            identities=[primary],
            receipt_key=receipt,
            share=share if share is not None else Path(profile.share),
            validate_record=centre_forms.with_published(
                vault, (validator or centre_forms.form_validator)()),
        )

    @property
    def centre_id(self) -> str:
        return self.profile.centre_id

    @property
    def fingerprint(self) -> str:
        """The profile's fingerprint, as devices show it."""
        return keys.fingerprint(self.profile_bytes)

    def close(self) -> None:
        """Lock the vault; the keys are dropped with this object."""
        self.vault.lock()

    def __enter__(self) -> Centre:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def store_centre_keys(vault: Vault, centre_keys: keys.CentreKeys, profile_bytes: bytes,
                      created: str) -> None:
    """Put the primary identity, the receipt key and the profile into a new centre vault."""
    vault.ensure_schema(COMPONENT, MIGRATIONS)
    primary = keys.identity_to_text(centre_keys.primary).encode("ascii")
    receipt = keys.export_secret_key(centre_keys.receipt.secret_key)
    with vault.transaction() as conn:
        conn.execute("INSERT INTO centre_key (name, secret) VALUES (?, ?)", (PRIMARY_KEY, primary))
        conn.execute("INSERT INTO centre_key (name, secret) VALUES (?, ?)", (RECEIPT_KEY, receipt))
        conn.execute("INSERT INTO centre_profile (id, data, created) VALUES (1, ?, ?)",
                     (profile_bytes, created))

