"""The worker application's one door to the vault: what the UI may ask, nothing more.

The UI never writes SQL and never sees key material. Every vault call runs on the single vault
thread (`VaultThread`), so the SQLite connection stays in the thread that opened it. Slow work
(Argon2 when creating or unlocking, big attachments, draft saves) returns a Future, and so does
everything the window asks while it stays usable (`read_*`, `queue_*`): behind a busy vault
thread even a quick read waits. The methods that wait for their result are for work already on
the vault thread, the command line and tests. Qt-free.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, cast

from intake_app.errors import KnownError, VaultLocked
from intake_app.paths import vault_exists
from intake_app.services.vault_thread import VaultThread, lock_soon

if TYPE_CHECKING:
    from intake_app.services.form_versions import FormVersions
    from intake_app.services.interviews import FormCatalogue
    from intake_app.services.sync_runner import StatusCallback, SyncRunner
    from intake_app.storage import KdfParams, PageCheck, Vault

Progress = Callable[[int, int], None]  # (bytes done, bytes total)
CHUNK = 1024 * 1024
INDEX_BATCH = 200  # records indexed per task after an unlock (about 0.1 s)
FORMS_WAIT = 10.0  # seconds the first use of the forms waits for the vault's to be read


def _import_storage() -> None:
    import intake_app.storage  # noqa: F401 - warm-up only


class Listing(NamedTuple):
    """The interview list as read in one go: the summaries (or those a search found) and the
    ids of the interviews the centre refused."""

    rows: list[Any]
    refused: frozenset[str]


class _ProgressReader:
    """A file wrapper that reports how far the storage layer has read."""

    def __init__(self, source: BinaryIO, total: int, progress: Progress | None) -> None:
        self._source = source
        self._total = total
        self._done = 0
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(CHUNK if size is None or size < 0 else size)
        self._done += len(data)
        if self._progress is not None:
            self._progress(self._done, self._total)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class WorkerService:
    """Creates, unlocks and locks the worker's vault and reads and writes its interviews."""

    def __init__(
        self,
        vault_folder: Path,
        *,
        kdf: KdfParams | None = None,
        forms: FormCatalogue | None = None,
    ) -> None:
        self.folder = vault_folder
        self._kdf = kdf
        self._thread = VaultThread()
        # Importing the storage layer (SQLCipher, cryptography) takes a tenth of a second: do it
        # on the vault thread while the GUI thread builds the window.
        self._thread.submit(_import_storage)
        self._vault: Vault | None = None
        self._forms = forms
        self._forms_loading: Future[None] | None = None  # the vault's forms, read after unlock
        self._page_check: PageCheck | None = None  # made on first use: storage loads late

    @property
    def forms(self) -> FormCatalogue:
        """The interview forms this application knows (loaded when first needed): those it
        ships and, while the vault is open, those the laptop picked up from the centre. Right
        after an unlock it waits (a little) for the vault's to be read."""
        if self._forms is None:
            from intake_app.services.interviews import FormCatalogue

            self._forms = FormCatalogue()
        loading = self._forms_loading
        if loading is not None and not self._thread.in_thread():
            self._thread.wait(loading, FORMS_WAIT)  # not read in time: the shipped ones
        return self._forms

    def reload_forms(self) -> Future[None]:
        """Read the vault's form versions again (after a sync round picked some up)."""
        return self._thread.queue(self._load_forms)

    def form_versions(self) -> Future[FormVersions]:
        """Every form version known, with its state and source, and when the share was last
        checked (read on the vault thread)."""

        def read(vault: Vault) -> FormVersions:
            from intake_app.services.form_versions import read_vault_forms

            return self.forms.versions(read_vault_forms(vault, load=False))

        return self.run(read)

    def _load_forms(self) -> None:
        """On the vault thread: know the vault's form versions. A failure leaves the forms as
        they were (the shipped ones at least): new interviews can always start."""
        vault = self._vault
        if vault is None:
            return
        from intake_app.services.form_versions import read_vault_forms

        try:
            found = read_vault_forms(vault)
        except KnownError:  # locked meanwhile, or a damaged vault: its list says so
            return
        except Exception as bug:
            from intake_app.safelog import log_bug

            log_bug(bug, "reading form versions")
            return
        self.forms.use_vault_forms(found)

    # -- the vault ------------------------------------------------------------------------------

    def vault_exists(self) -> bool:
        """Whether a vault was created in the folder (a look at its files: no storage import)."""
        return vault_exists(self.folder)

    @property
    def unlocked(self) -> bool:
        """True while the vault is open."""
        return self._vault is not None

    def create_vault(self, passphrase: str) -> Future[str]:
        """Create the vault (slow: Argon2); the future holds the recovery code, shown once."""

        thread = self._thread

        def create() -> str:
            from intake_app.storage import Vault

            vault, recovery_code = Vault.create(self.folder, passphrase, kdf=self._kdf)
            self._keep(thread, vault)
            return str(recovery_code)

        return thread.submit(create)

    def warm_up(self) -> None:
        """Import, on the vault thread, what the first reads after an unlock need (while the
        unlock window waits for a passphrase), so the list does not wait for it."""
        self._thread.submit(_import_after_unlock)

    def unlock(self, passphrase: str) -> Future[None]:
        """Open the vault with the passphrase (slow: Argon2)."""

        thread = self._thread

        def unlock() -> None:
            from intake_app.storage import Vault

            self._keep(thread, Vault.unlock(self.folder, passphrase))
            self._forms_loading = thread.queue(self._load_forms)
            thread.queue(self._index_step)

        return thread.submit(unlock)

    def unlock_with_recovery(self, recovery_code: str, new_passphrase: str) -> Future[None]:
        """Open the vault with the recovery code and set a new passphrase (slow)."""

        thread = self._thread

        def unlock() -> None:
            from intake_app.storage import Vault

            self._keep(
                thread, Vault.unlock_with_recovery(self.folder, recovery_code, new_passphrase)
            )
            self._forms_loading = thread.queue(self._load_forms)
            thread.queue(self._index_step)

        return thread.submit(unlock)

    def change_passphrase(self, current: str, new: str) -> Future[None]:
        """Set a new passphrase for the open vault (slow: Argon2 twice). WrongPassphrase when
        `current` is not the vault's passphrase; a passphrase too weak is refused."""
        return self.run(lambda vault: vault.change_passphrase(current, new))

    def _keep(self, thread: VaultThread, vault: Vault) -> None:
        """Remember a vault just opened on `thread`, unless a lock gave that thread up
        meanwhile: then close it again (VaultLocked); it is never left open."""

        def keep() -> None:
            self._vault = vault

        if not thread.adopt(keep):
            vault.lock()
            raise VaultLocked()

    def _index_step(self) -> None:
        """After an unlock: bring the search index up to date a batch at a time, each batch a
        task of its own, so a save queued meanwhile waits for one batch at most and the first
        search is quick. Whatever is left when the vault locks, the next search does itself."""
        vault = self._vault
        if vault is None:
            return
        try:
            done = vault.interviews.refresh_search_index(limit=INDEX_BATCH)
        except VaultLocked:
            return
        if done >= INDEX_BATCH and not self._thread.closed:
            with contextlib.suppress(RuntimeError):  # shut down meanwhile
                self._thread.queue(self._index_step)

    def lock(self) -> None:
        """Finish queued saves, then close the database, within half a second: when the vault
        thread hangs, its work is given up and the database closed from here. Safe to call
        when already locked."""
        thread = self._thread
        if thread.closed:
            return  # shut down: locked already

        self._forms_loading = None

        def close(wait: bool = True) -> None:
            vault, self._vault = self._vault, None
            if self._forms is not None:  # after the queued work: a reading of them included
                self._forms.use_vault_forms(None)
            if vault is not None:
                vault.lock(wait=wait)

        def interrupt() -> None:
            vault = self._vault
            if vault is not None:
                vault.interrupt()

        if lock_soon(thread, close, interrupt, lambda: close(wait=False)):
            self._thread = VaultThread()  # for the next unlock; the old one is left to end

    def shutdown(self) -> None:
        """Lock and stop the vault thread (the application is closing). Safe to call twice."""
        self.lock()  # also cuts a running page check short
        self._thread.shutdown()
        if self._page_check is not None:
            self._page_check.shutdown()

    def check_pages_if_needed(self) -> Future[bool | None] | None:
        """After unlocking a vault too large to check whole at unlock (photos, audio): check
        every page on a thread of its own while work goes on. None when the unlock checked
        them; the future's result is False when damage was found, None when locked meanwhile.
        """
        if self._page_check is None:
            from intake_app.storage import PageCheck

            self._page_check = PageCheck("vault-check")
        return self._page_check.start(self._vault)

    def sync_runner(self, on_status: StatusCallback) -> SyncRunner:
        """Sync rounds for the open vault, reporting to `on_status` (from the sync thread)."""
        from intake_app.services.sync_runner import SyncRunner

        return SyncRunner(self, on_status)

    def _open_vault(self) -> Vault:
        if self._vault is None:
            raise VaultLocked()
        return self._vault

    def disk_usage(self) -> Future[Any]:
        """What the vault's folder takes on disk (`DiskUsage`: database, attached files,
        migration backups, the rest), read on the vault thread; names no file and opens none."""
        import intake_app.storage as storage  # its function, not the module of the same name

        return self.run(lambda _vault: storage.disk_usage(self.folder))

    def run(self, work: Callable[[Vault], Any]) -> Future[Any]:
        """Queue `work(vault)` on the vault thread (for other services built on this one)."""
        return self._thread.submit(lambda: work(self._open_vault()))

    def _call(self, work: Callable[[Vault], Any]) -> Any:
        return self._thread.call(lambda: work(self._open_vault()))

    # -- interviews -----------------------------------------------------------------------------

    def refused_interviews(self) -> frozenset[str]:
        """Ids of the interviews the centre refused at their newest revision: they stay on
        this laptop, not sent again until the worker saves a corrected revision."""

        def read(vault: Vault) -> frozenset[str]:
            from intake_app.sync.device.refusals import refused_interviews

            # Only reads: a vault found damaged is open read-only, and one never enrolled has
            # no device tables yet (they are made when it connects to a centre).
            exists = vault.connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'device_refusal'"
            ).fetchone()
            if not exists:
                return frozenset()
            return frozenset(refused.record_id for refused in refused_interviews(vault))

        try:
            return frozenset(self._call(read))
        except VaultLocked:
            raise
        except KnownError:  # a damaged vault, say: the list says so itself
            return frozenset()
        except Exception as bug:  # the list shows without this mark rather than not at all
            from intake_app.safelog import log_bug

            log_bug(bug, "reading refused interviews")
            return frozenset()

    def interviews(self) -> list[Any]:
        """Summaries of every interview, including those only ever saved as a draft."""

        from intake_app.services.draft_summaries import unsaved_drafts

        def read(vault: Vault) -> list[Any]:
            return list(vault.interviews.list()) + unsaved_drafts(vault, None)

        return list(self._call(read))

    def search(self, text: str) -> list[Any]:
        """Summaries of the interviews whose alias or texts contain the words of `text`."""

        from intake_app.services.draft_summaries import unsaved_drafts

        def read(vault: Vault) -> list[Any]:
            return list(vault.interviews.search(text)) + unsaved_drafts(vault, text)

        return list(self._call(read))

    def read_list(self, text: str = "") -> Future[Listing]:
        """Queue one read of the list (the interviews `text` finds, when it is not empty) with
        the refused ids, so the window never waits for it."""
        return self.run(
            lambda _vault: Listing(
                self.search(text) if text else self.interviews(), self.refused_interviews()
            )
        )

    def open_interview(self, record_id: str) -> dict[str, Any]:
        """The document to edit: the draft if there is one, else the latest revision."""

        def load(vault: Vault) -> dict[str, Any]:
            draft = vault.interviews.get_draft(record_id)
            return dict(draft) if draft is not None else dict(vault.interviews.get(record_id))

        return dict(self._call(load))

    def save_draft(self, document: dict[str, Any]) -> Future[None]:
        """Queue a draft save; returns at once (typing never waits for the disk)."""
        snapshot = dict(document)
        return self.run(lambda v: v.interviews.save_draft(snapshot))

    def read_drafts(self) -> Future[list[Any]]:
        """Queue a read of the drafts in the vault (DraftInfo: id, modified), most recent
        first."""

        def read(vault: Vault) -> list[Any]:
            found = list(vault.interviews.drafts())
            return sorted(found, key=lambda d: str(d.modified), reverse=True)

        return self.run(read)

    def queue_discard_draft(self, record_id: str) -> Future[None]:
        """Queue throwing away the draft of an interview (one transaction; its saved revisions
        stay); a lock queued later waits for it."""
        return self.run(lambda v: v.interviews.discard_draft(record_id))

    def queue_revision(self, document: dict[str, Any]) -> Future[Any]:
        """Queue saving a checked document, as it is now, as a new revision (one transaction;
        RevisionInfo; its draft is discarded); a lock queued later waits for it."""
        snapshot = dict(document)
        return self.run(lambda v: v.interviews.save_revision(snapshot))

    def history(self, record_id: str) -> list[Any]:
        """The saved revisions of an interview."""
        return list(self._call(lambda v: v.interviews.history(record_id)))

    def queue_delete(self, record_id: str, reason: str) -> Future[Any]:
        """Queue deleting an interview (one transaction): a tombstone revision without answers
        stays for the centre; a lock queued later waits for it."""
        return self.run(lambda v: v.interviews.delete(record_id, reason))

    # -- attachments ----------------------------------------------------------------------------

    def attachments(self, record_id: str) -> list[Any]:
        """The attachments of an interview (AttachmentInfo)."""
        return list(self.read_attachments(record_id).result())

    def read_attachments(self, record_id: str) -> Future[list[Any]]:
        """Queue a read of `attachments`."""
        return self.run(lambda v: list(v.interviews.attachments(record_id)))

    def add_attachment(
        self, record_id: str, path: Path, media_type: str, progress: Progress | None = None
    ) -> Future[Any]:
        """Copy a file into the vault in chunks; `progress` is called on the vault thread."""

        def add(vault: Vault) -> Any:
            total = path.stat().st_size
            with path.open("rb") as source:
                reader = _ProgressReader(source, total, progress)
                # The store reads with read(size) only; the wrapper counts what it reads.
                stream = cast(BinaryIO, reader)
                return vault.interviews.add_attachment(record_id, stream, media_type, path.name)

        return self.run(add)

    def read_attachment(self, sha256: str, limit: int) -> Future[bytes]:
        """The bytes of an attachment, read in chunks, up to `limit` bytes (for previews)."""

        def read(vault: Vault) -> bytes:
            reader = vault.interviews.open_attachment(sha256)
            parts: list[bytes] = []
            size = 0
            try:
                while size < limit:
                    chunk = reader.read(min(CHUNK, limit - size))
                    if not chunk:
                        break
                    parts.append(chunk)
                    size += len(chunk)
            finally:
                close = getattr(reader, "close", None)
                if close is not None:
                    close()
            return b"".join(parts)

        return self.run(read)

    def queue_attachment_removal(self, record_id: str, sha256: str) -> Future[None]:
        """Queue removing an attachment from an interview (one transaction); a lock queued
        later waits for it."""
        return self.run(lambda v: v.interviews.remove_attachment(record_id, sha256))


def _import_after_unlock() -> None:
    import intake_app.services.draft_summaries
    import intake_app.sync.device.refusals  # noqa: F401
