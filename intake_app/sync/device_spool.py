"""A seekable file whose bytes live in the vault: where a bundle is written, never on disk.

The bundle writer needs a seekable file (the ZIP writer goes back to complete each entry's
header). The spool keeps a few 1 MiB pages in memory and stores them as rows of
`device_outbox_chunk` in short transactions, so writing a large bundle neither holds it all in
memory nor keeps the vault's write lock for long (autosave goes on meanwhile).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from intake_app.storage import Vault

PAGE_BYTES = 1024 * 1024
PAGES_IN_MEMORY = 8


class OutboxSpool(io.RawIOBase):
    """Read/write/seek over the stored pages of one outbox bundle (`seq`)."""

    def __init__(self, vault: Vault, seq: int, *, page_bytes: int = PAGE_BYTES,
                 pages_in_memory: int = PAGES_IN_MEMORY) -> None:
        super().__init__()
        self._vault = vault
        self._seq = seq
        self._page_bytes = page_bytes
        self._limit = max(2, pages_in_memory)
        self._pages: dict[int, bytearray] = {}
        self._dirty: set[int] = set()
        self._pos = 0
        with vault.transaction() as conn:
            row = conn.execute(
                "SELECT count(*), coalesce(sum(length(data)), 0) FROM device_outbox_chunk "
                "WHERE seq = ?", (seq,)
            ).fetchone()
        self._stored_pages = int(row[0])
        self._size = int(row[1])

    # io interface -------------------------------------------------------------------------

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    @property
    def size(self) -> int:
        return self._size

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def write(self, data: bytes | bytearray | memoryview, /) -> int:  # type: ignore[override]
        self._check_open()
        view = memoryview(data).cast("B")
        total = len(view)
        while view:
            index, offset = divmod(self._pos, self._page_bytes)
            page = self._page(index)
            if offset > len(page):
                page.extend(bytes(offset - len(page)))  # a seek past the end leaves zeros
            count = min(self._page_bytes - offset, len(view))
            page[offset : offset + count] = view[:count]
            self._dirty.add(index)
            self._pos += count
            self._size = max(self._size, self._pos)
            view = view[count:]
        return total

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        self._check_open()
        if self._pos >= self._size:
            return 0
        index, offset = divmod(self._pos, self._page_bytes)
        page = self._page(index)
        count = min(len(buffer), len(page) - offset, self._size - self._pos)
        if count <= 0:
            return 0
        buffer[:count] = page[offset : offset + count]
        self._pos += count
        return count

    def flush(self) -> None:
        """Store every changed page in one transaction."""
        if self.closed or not self._dirty:
            return
        with self._vault.transaction() as conn:
            for index in sorted(self._dirty):
                conn.execute(
                    "INSERT INTO device_outbox_chunk (seq, n, data) VALUES (?, ?, ?) "
                    "ON CONFLICT (seq, n) DO UPDATE SET data = excluded.data",
                    (self._seq, index, bytes(self._pages[index])),
                )
        self._stored_pages = max(self._stored_pages, max(self._dirty) + 1)
        self._dirty.clear()

    def close(self) -> None:
        if not self.closed:
            try:
                self.flush()
            finally:
                self._pages.clear()
                super().close()

    def discard(self) -> None:
        """Forget unstored pages and close (after a failure; the caller drops the rows)."""
        self._dirty.clear()
        self._pages.clear()
        super().close()

    # pages --------------------------------------------------------------------------------

    def _page(self, index: int) -> bytearray:
        page = self._pages.get(index)
        if page is not None:
            return page
        if len(self._pages) >= self._limit:
            self.flush()
            self._pages.clear()
        page = bytearray()
        if index < self._stored_pages:
            with self._vault.transaction() as conn:
                row = conn.execute(
                    "SELECT data FROM device_outbox_chunk WHERE seq = ? AND n = ?",
                    (self._seq, index),
                ).fetchone()
            if row is not None:
                page = bytearray(row[0])
        self._pages[index] = page
        return page

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on a closed outbox spool")


def stored_chunks(vault: Vault, seq: int) -> Iterator[bytes]:
    """The stored bytes of bundle `seq`, one chunk (one short read transaction) at a time."""
    index = 0
    while True:
        with vault.transaction() as conn:
            row = conn.execute(
                "SELECT data FROM device_outbox_chunk WHERE seq = ? AND n = ?", (seq, index)
            ).fetchone()
        if row is None:
            return
        yield bytes(row[0])
        index += 1
