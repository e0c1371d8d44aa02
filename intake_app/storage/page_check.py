"""The page check of a large vault, run after unlocking it on a thread of its own.

A vault too large to check whole at unlock (photos, audio) opens after a header and schema
check; this checks every page's HMAC afterwards while work goes on (see `Vault.pages_intact`).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intake_app.storage.vault import Vault


class PageCheck:
    """One background thread that checks a vault's pages when its unlock did not."""

    def __init__(self, thread_name: str) -> None:
        self._thread_name = thread_name
        self._pool: ThreadPoolExecutor | None = None

    def start(self, vault: Vault | None) -> Future[bool | None] | None:
        """None when there is nothing to check (no vault, or the unlock checked every page);
        the future's result is False when damage was found, None when locked meanwhile."""
        if vault is None or vault.pages_checked:
            return None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._thread_name)
        return self._pool.submit(vault.pages_intact)

    def shutdown(self) -> None:
        """Wait for a running check (locking the vault first cuts it short)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
