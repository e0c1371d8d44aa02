"""The vault: a folder with vault.json (wrapped key) and intake.db (SQLCipher), and its lifecycle.

Unlocking never writes before it has proved both the passphrase (AEAD unwrap) and the database
(read-only connection, every page's HMAC). The order of checks decides the error:

- vault.json missing: VaultNotFound; malformed or out of bounds: VaultDamaged.
- the disk is full, read-only or fails (also as SQLite's bare I/O error): DiskFullAtUnlock,
  VaultReadOnlyAtUnlock or VaultIOErrorAtUnlock (`unlock_errors`), never VaultDamaged.
- intake.db missing, not whole pages, or its salt differs from the one vault.json was made for
  (a vault.json from another vault): VaultDamaged, decided before any key is derived.
- AEAD unwrap fails: WrongPassphrase. Edited KDF parameters or salt land here too: they change
  both the derived key and the authenticated data, and the AEAD cannot tell which of "wrong
  passphrase" and "edited file" happened; either way nothing is opened or written.
- unwrap succeeds but the database does not decrypt or fails its checks: VaultDamaged.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType

import sqlcipher3

from intake_app.errors import (
    VaultDamaged,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryCode,
)
from intake_app.paths import (
    CREATING_FILE,
    DATABASE_FILE,
    MIGRATION_BACKUP_PREFIX,
    VAULT_FILE,
    vault_exists,
)
from intake_app.storage import attachments
from intake_app.storage.atomic import atomic_write_bytes, fsync_directory, is_temp_for
from intake_app.storage.attachment_files import AttachmentFiles
from intake_app.storage.core_upgrade import finish_upgrade
from intake_app.storage.database import (
    COMPANION_SUFFIXES,
    FULL_CHECK_BYTES,
    Connection,
    Database,
    check_database_file,
    open_database,
    open_reader,
    validate_database,
)
from intake_app.storage.database_check import database_checks, database_intact
from intake_app.storage.documents import utc_now
from intake_app.storage.interviews import InterviewStore
from intake_app.storage.kdf import KEY_BYTES, KdfParams, normalize_secret
from intake_app.storage.keyfile import (
    DATABASE_SALT_BYTES,
    KINDS,
    VaultFile,
    VaultIdentity,
    VaultKind,
    open_slot,
    seal_slot,
)
from intake_app.storage.migration_backups import (
    MigrationBackup,
    landed_backups,
    remove_landed_backups,
)
from intake_app.storage.migrations import ensure_component, migrate_core, newest_core_version
from intake_app.storage.models import CheckReport
from intake_app.storage.recovery import new_recovery_code, normalize_recovery_code
from intake_app.storage.unlock_errors import unlock_errors

MIN_PASSPHRASE_LENGTH = 10


class Vault:
    """An unlocked vault. Make one with `Vault.create`, `Vault.unlock` or `unlock_with_recovery`."""

    def __init__(self, folder: Path, file: VaultFile, key: bytes, db: Database) -> None:
        self._folder = folder
        self._file = file
        self._key_hex = key.hex()
        self._db = db
        self._files = AttachmentFiles(folder)
        self._interviews = InterviewStore(db, self._files)
        db.set_reader(self._open_reader)
        self.pages_checked = True  # every page's HMAC was checked when it was unlocked
        self._checks: set[Connection] = set()
        self._checks_guard = threading.Lock()
        # Landed migration backups that wait for the page check (a large vault, `_open`).
        self._backups_to_check: list[MigrationBackup] = []

    # Opening ------------------------------------------------------------------------------

    @staticmethod
    def exists(folder: Path) -> bool:
        """Whether `folder` holds a vault (an interrupted creation does not count)."""
        return vault_exists(folder)

    @classmethod
    def create(
        cls,
        folder: Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        kind: VaultKind = "worker",
    ) -> tuple[Vault, str]:
        """Make a new vault in `folder`; returns it unlocked and its recovery code (show once)."""
        folder = Path(folder)
        _check_passphrase(passphrase)
        if kind not in KINDS:
            raise ValueError(f"unknown vault kind {kind!r}")
        params = kdf or KdfParams.calibrate()
        if not params.is_within_bounds():
            raise ValueError("KDF parameters below the minimum or out of bounds")
        if cls.exists(folder) or (folder / DATABASE_FILE).exists():
            raise VaultExists()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        creating = folder / CREATING_FILE
        _remove_with_companions(creating)
        key = os.urandom(KEY_BYTES)
        db = Database(open_database(creating, key.hex(), create=True))
        try:
            migrate_core(db, None, key.hex(), b"")
        finally:
            db.close()
        with creating.open("rb") as handle:
            salt = handle.read(DATABASE_SALT_BYTES)
            os.fsync(handle.fileno())
        identity = VaultIdentity(vault_id=str(uuid.uuid4()), kind=kind, database_salt=salt)
        code = new_recovery_code()
        recovery_secret = (normalize_recovery_code(code) or "").encode("ascii")
        file = VaultFile(
            identity=identity,
            created=utc_now(),
            passphrase=seal_slot(identity, "passphrase", normalize_secret(passphrase), params, key),
            recovery=seal_slot(identity, "recovery", recovery_secret, params, key),
        )
        atomic_write_bytes(folder / VAULT_FILE, file.to_bytes())
        os.replace(creating, folder / DATABASE_FILE)
        fsync_directory(folder)
        return cls._open(folder, file, key), code

    @classmethod
    def unlock(cls, folder: Path, passphrase: str) -> Vault:
        """Open the vault in `folder` with its passphrase."""
        folder = Path(folder)
        with unlock_errors(folder):  # a full or read-only disk is not damage
            file = _read_vault_file(folder)
            key = open_slot(
                file.identity, "passphrase", file.passphrase, normalize_secret(passphrase)
            )
            if key is None:
                raise WrongPassphrase()
            return cls._open(folder, file, key)

    @classmethod
    def unlock_with_recovery(cls, folder: Path, recovery_code: str, new_passphrase: str) -> Vault:
        """Open the vault with its recovery code and set `new_passphrase` as its passphrase."""
        folder = Path(folder)
        _check_passphrase(new_passphrase)
        with unlock_errors(folder):  # a full or read-only disk is not damage
            file = _read_vault_file(folder)
            code = normalize_recovery_code(recovery_code)
            if code is None:
                raise WrongRecoveryCode()
            key = open_slot(file.identity, "recovery", file.recovery, code.encode("ascii"))
            if key is None:
                raise WrongRecoveryCode()
            validate_database(folder / DATABASE_FILE, key.hex(), newest_core_version())
            file = _with_new_passphrase(file, new_passphrase, key)
            atomic_write_bytes(folder / VAULT_FILE, file.to_bytes())
            return cls._open(folder, file, key)

    @classmethod
    def _open(cls, folder: Path, file: VaultFile, key: bytes) -> Vault:
        path = folder / DATABASE_FILE
        every_page = path.stat().st_size <= FULL_CHECK_BYTES
        validate_database(path, key.hex(), newest_core_version(), every_page=every_page)
        db = Database(open_database(path, key.hex()))
        try:
            migrate_core(db, folder, key.hex(), file.identity.database_salt)
            vault = cls(folder, file, key, db)
            # After a core migration: move attachments out (schema 3), compact and check;
            # a kill anywhere in between resumes here.
            upgraded = finish_upgrade(db, vault._files, lambda: vault.check().ok)
            vault.sweep_attachments()
            vault._remove_backups_at_unlock(checked=upgraded, every_page=every_page)
        except BaseException:
            db.close()
            raise
        _remove_stale_temporaries(folder)
        vault.pages_checked = every_page
        return vault

    def _remove_backups_at_unlock(self, *, checked: bool, every_page: bool) -> None:
        """Migration backups go once their migration landed and the database checks: at once
        after an upgrade's check (`checked`); else after the database's checks, here when
        the unlock checked `every_page` (the page HMACs were, just now), or else in the page
        check that follows the unlock, off the unlock's time (`pages_intact`). One that passed
        before and could not be removed is only tried again (`remove_landed_backups`)."""
        with self._db.reading() as conn:
            landed = landed_backups(conn, self._folder)
            if not landed:
                return
            if checked:
                remove_landed_backups(landed, _passed)
            elif every_page:
                remove_landed_backups(landed, functools.partial(database_intact, conn, pages=False))
            else:
                self._backups_to_check = remove_landed_backups(landed, None)

    # Using --------------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self._folder

    @property
    def kind(self) -> VaultKind:
        return self._file.identity.kind

    @property
    def vault_id(self) -> str:
        return self._file.identity.vault_id

    @property
    def is_locked(self) -> bool:
        return not self._db.is_open

    @property
    def interviews(self) -> InterviewStore:
        """The interview store of this vault."""
        self._require_unlocked()
        return self._interviews

    @property
    def connection(self) -> Connection:
        """The raw SQLCipher connection, for other layers' own tables (use `transaction()`)."""
        return self._db.connection

    def reading(self) -> contextlib.AbstractContextManager[Connection]:
        """A read transaction (BEGIN DEFERRED) on a read-only connection of its own: it sees
        what was committed and never waits for a write transaction (an import's, say)."""
        self._require_unlocked()
        return self._db.read_transaction()

    def _open_reader(self) -> Connection:
        if not self._key_hex:
            raise VaultLocked()
        return open_reader(self._folder / DATABASE_FILE, self._key_hex)

    def transaction(self, *, wait: bool = True) -> contextlib.AbstractContextManager[Connection]:
        """One SQLite transaction (BEGIN IMMEDIATE ... COMMIT); nested use is a savepoint.
        `wait=False`: VaultBusy at once when another thread or process is writing."""
        self._require_unlocked()
        return self._db.transaction(wait=wait)

    def ensure_schema(self, component: str, migrations: Sequence[str]) -> None:
        """Bring a component's tables up to `len(migrations)`, backing up the database first."""
        self._require_unlocked()
        ensure_component(
            self._db,
            self._folder,
            self._key_hex,
            self._file.identity.database_salt,
            component,
            migrations,
        )

    def check(self) -> CheckReport:
        """SQLite's integrity_check, SQLCipher's page HMACs, the revision chain, and every
        attachment file decrypted and hashed."""
        with self._db.reading() as conn:
            integrity, chain = database_checks(conn)
            rows = attachments.file_rows(conn)
            unlinked = attachments.links_without_content(conn)
        problems = attachments.check_files(rows, self._files)
        if unlinked:
            problems.append(f"{unlinked} attachments without their content")
        return CheckReport(integrity=integrity, chain=chain, attachments=problems)

    def sweep_attachments(self) -> int:
        """Remove attachment files no row names (left by a crash); returns how many went."""
        self._require_unlocked()
        with self._db.reading() as conn:
            named = attachments.file_names(conn)

        def is_named(name: str) -> bool:
            if name in named:
                return True
            with self._db.reading() as conn:  # asked again: it may have committed since
                return attachments.is_named(conn, name)

        return self._files.sweep(is_named)

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the database key under `new`; vault.json is replaced atomically."""
        self._require_unlocked()
        _check_passphrase(new)
        identity = self._file.identity
        key = open_slot(identity, "passphrase", self._file.passphrase, normalize_secret(old))
        if key is None:
            raise WrongPassphrase()
        file = _with_new_passphrase(self._file, new, key)
        atomic_write_bytes(self._folder / VAULT_FILE, file.to_bytes())
        self._file = file

    def pages_intact(self) -> bool | None:
        """Check every page's HMAC on a read-only connection of its own, so saving goes on
        meanwhile (after unlocking a large vault). None: the vault was locked during the check.
        """
        key_hex = self._key_hex
        if not key_hex:
            return None
        try:
            conn = open_reader(self._folder / DATABASE_FILE, key_hex)
        except (VaultDamaged, OSError):
            return False
        with self._checks_guard:
            self._checks.add(conn)
        try:
            if not self._key_hex:
                return None
            if conn.execute("PRAGMA cipher_integrity_check").fetchall():
                return False
            waiting, self._backups_to_check = self._backups_to_check, []
            if waiting:  # see `_remove_backups_at_unlock`
                remove_landed_backups(waiting, functools.partial(_intact_quietly, conn))
            return True if self._key_hex else None
        except sqlcipher3.OperationalError:
            return None if not self._key_hex else False  # interrupted by `lock`
        except sqlcipher3.DatabaseError:
            return False
        finally:
            with self._checks_guard:
                self._checks.discard(conn)
            conn.close()

    def lock(self, *, wait: bool = True) -> None:
        """Close the database and cut any page check short; further use raises VaultLocked.
        Safe to call twice. `wait=False`: from another thread, not waiting for the thread
        that uses the vault (it hangs); its open transaction is rolled back."""
        self._key_hex = ""
        with self._checks_guard:
            for conn in self._checks:
                conn.interrupt()
        self._db.close(wait=wait)

    def interrupt(self) -> None:
        """Stop the statement running on the vault's connection (from another thread, before
        a lock); it fails with VaultLocked."""
        with contextlib.suppress(VaultLocked):
            self._db.connection.interrupt()

    def __enter__(self) -> Vault:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.lock()

    def _require_unlocked(self) -> None:
        if self.is_locked:
            raise VaultLocked()


def _passed() -> bool:
    return True


def _intact_quietly(conn: Connection) -> bool:
    """The database's checks but the page HMACs (just checked), in one read transaction; an
    error (an interruption by `lock`, damage the HMACs missed) counts as not intact: the
    backups stay."""
    try:
        conn.execute("BEGIN DEFERRED")
        try:
            return database_intact(conn, pages=False)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    except sqlcipher3.Error:
        return False


def _check_passphrase(passphrase: str) -> None:
    # Counted as stored (NFC): "e" + a combining accent is one character, as it looks.
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(minimum=MIN_PASSPHRASE_LENGTH)


def _read_vault_file(folder: Path) -> VaultFile:
    """Parse vault.json and check that intake.db belongs to it; writes nothing."""
    if not Vault.exists(folder):
        raise VaultNotFound()
    try:
        data = (folder / VAULT_FILE).read_bytes()
    except FileNotFoundError:
        raise VaultNotFound() from None
    # Any other OSError is the disk's (or a permission's) fault, not damage: raised as it is.
    file = VaultFile.parse(data)
    check_database_file(folder / DATABASE_FILE, file.identity.database_salt)
    return file


def _with_new_passphrase(file: VaultFile, passphrase: str, key: bytes) -> VaultFile:
    slot = seal_slot(
        file.identity, "passphrase", normalize_secret(passphrase), file.passphrase.params, key
    )
    return replace(file, passphrase=slot)


def _remove_with_companions(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in COMPANION_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def _remove_stale_temporaries(folder: Path) -> None:
    """Drop temporary files of writes a crash interrupted (vault.json, backups)."""
    for candidate in folder.iterdir():
        name = candidate.name
        if is_temp_for(candidate, folder / VAULT_FILE) or (
            name.startswith(f".{MIGRATION_BACKUP_PREFIX}") and name.endswith(".tmp")
        ):
            with contextlib.suppress(FileNotFoundError):
                candidate.unlink()
