"""The administrator window's way to the centre: all vault work on one worker thread.

The window never touches the vault or keys itself. It asks this service, which runs each
request on a single background thread (so requests never overlap on the one SQLCipher
connection) and hands back a `concurrent.futures.Future`. No Qt here; the window brings the
results to its own thread (`intake_app.ui.tasks.when_done`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from intake_app.domain.registry import FormRegistry
from intake_app.errors import VaultLocked
from intake_app.storage import KdfParams, Vault
from intake_app.storage.page_check import PageCheck
from intake_app.sync.centre.forms import registry_validator
from intake_app.sync.centre.setup import CentreSetup, init_centre
from intake_app.sync.centre.vault import Centre, centre_dir

_T = TypeVar("_T")


class CentreService:
    """Opens the centre in `data_dir` and runs work on it, one request at a time."""

    def __init__(self, data_dir: Path, *, share: Path | None = None,
                 registry: FormRegistry | None = None, kdf: KdfParams | None = None) -> None:
        self.data_dir = Path(data_dir)
        self._share = share
        self._registry = registry
        self._kdf = kdf  # None: calibrated on this computer; tests pass KdfParams.MINIMUM
        self._centre: Centre | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="centre")
        self._page_check = PageCheck("centre-check")

    def exists(self) -> bool:
        """Whether this data folder holds a centre vault."""
        return Vault.exists(centre_dir(self.data_dir))

    def set_up(self, *, name: str, share: str, passphrase: str,
               backup_identity: Path | None = None) -> Future[CentreSetup]:
        """Make a new centre in this data folder (`init_centre`); the vault stays locked."""
        def work() -> CentreSetup:
            return init_centre(self.data_dir, name=name, share=share, passphrase=passphrase,
                               kdf=self._kdf, backup_identity=backup_identity)
        return self._executor.submit(work)

    def unlock(self, passphrase: str) -> Future[str]:
        """Open the centre; the future's result is the centre's name."""
        def work() -> str:
            if self._centre is None:
                self._centre = Centre.open(
                    self.data_dir, passphrase, share=self._share,
                    validator=lambda: registry_validator(self.registry()))
            return self._centre.profile.name
        return self._executor.submit(work)

    def registry(self) -> FormRegistry:
        """The forms records are checked and shown with (the installed ones by default)."""
        if self._registry is None:
            self._registry = FormRegistry.load()
        return self._registry

    @property
    def is_unlocked(self) -> bool:
        return self._centre is not None

    def run(self, work: Callable[[Centre], _T]) -> Future[_T]:
        """Run `work(centre)` on the worker thread (raises `VaultLocked` there when locked)."""
        def call() -> _T:
            if self._centre is None:
                raise VaultLocked()
            return work(self._centre)
        return self._executor.submit(call)

    def lock(self) -> Future[None]:
        """Close the centre once the work already asked for is done."""
        def work() -> None:
            centre, self._centre = self._centre, None
            if centre is not None:
                centre.close()
        return self._executor.submit(work)

    def shutdown(self) -> None:
        """Lock and stop the worker thread (waits for running work)."""
        self.lock()  # closing the vault also cuts a running page check short
        self._executor.shutdown(wait=True)
        self._page_check.shutdown()

    def check_pages_if_needed(self) -> Future[bool | None] | None:
        """After unlocking a centre vault too large to check whole at unlock: check every page
        on a thread of its own while imports and reading go on. None when the unlock checked
        them; the result is False when damage was found, None when locked meanwhile."""
        return self._page_check.start(None if self._centre is None else self._centre.vault)
