"""Attachments live inside the vault, content-addressed, and are streamed in chunks both ways."""

from __future__ import annotations

import hashlib
import io
import random
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_fixtures import make_document, new_vault

from intake_app.errors import AttachmentTooLarge, NotFound, VaultLocked
from intake_app.storage import InterviewStore, Vault
from intake_app.storage.attachments import CHUNK_BYTES


class Stream(io.RawIOBase):
    """A deterministic byte stream of a given size that never exists whole in memory."""

    def __init__(self, size: int, seed: int = 1, piece: int = 64 * 1024) -> None:
        self._left = size
        self._rng = random.Random(seed)
        self._piece = piece  # short reads, like a pipe or a socket
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        count = min(len(buffer), self._left, self._piece)
        data = self._rng.randbytes(count)
        buffer[:count] = data
        self.digest.update(data)
        self._left -= count
        return count


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    vault = new_vault(tmp_path / "vault")
    yield vault
    vault.lock()


@pytest.fixture
def record(vault: Vault) -> str:
    document = make_document()
    vault.interviews.save_revision(document)
    record_id: str = document["id"]
    return record_id


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 17]
)
def test_round_trip_across_chunk_boundaries(vault: Vault, record: str, size: int) -> None:
    data = random.Random(size).randbytes(size)
    info = vault.interviews.add_attachment(record, io.BytesIO(data), "audio/ogg", "talk.ogg")
    assert info.sha256 == hashlib.sha256(data).hexdigest() and info.size == size
    assert vault.interviews.attachments(record) == [info]
    with vault.interviews.open_attachment(info.sha256) as reader:
        assert reader.read() == data
        reader.seek(max(size - 5, 0))
        assert reader.read() == data[max(size - 5, 0) :]
        # small reads that straddle chunk boundaries
        reader.seek(0)
        pieces = []
        while piece := reader.read(333_333):
            pieces.append(piece)
        assert b"".join(pieces) == data


def test_same_content_is_stored_once(vault: Vault, record: str) -> None:
    other = make_document()
    vault.interviews.save_draft(other)  # attachments may belong to a draft-only record
    data = b"scan of a passport page" * 1000
    first = vault.interviews.add_attachment(record, io.BytesIO(data), "image/png", "a.png")
    second = vault.interviews.add_attachment(other["id"], io.BytesIO(data), "image/png", "b.png")
    assert first.sha256 == second.sha256
    conn = vault.connection
    assert conn.execute("SELECT count(*) FROM blob").fetchone()[0] == 1
    vault.interviews.remove_attachment(record, first.sha256)
    assert conn.execute("SELECT count(*) FROM blob").fetchone()[0] == 1  # still used
    vault.interviews.discard_draft(other["id"])  # a never-saved record takes its files along
    assert conn.execute("SELECT count(*) FROM blob").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM blob_chunk").fetchone()[0] == 0
    with pytest.raises(NotFound):
        vault.interviews.open_attachment(first.sha256)


def test_unknown_record_and_unknown_attachment(vault: Vault, record: str) -> None:
    with pytest.raises(NotFound):
        vault.interviews.add_attachment(make_document()["id"], io.BytesIO(b"x"), "t/p", "x")
    with pytest.raises(NotFound):
        vault.interviews.remove_attachment(record, "0" * 64)
    with pytest.raises(NotFound):
        vault.interviews.open_attachment("0" * 64)


def test_too_large_is_refused_and_leaves_nothing(vault: Vault, record: str) -> None:
    store = InterviewStore(vault._db, max_attachment_bytes=2 * CHUNK_BYTES)
    with pytest.raises(AttachmentTooLarge) as caught:
        store.add_attachment(record, Stream(2 * CHUNK_BYTES + 1), "video/mp4", "v.mp4")
    assert caught.value.fields == {"limit": "2 MB"}
    assert store.attachments(record) == []
    assert vault.connection.execute("SELECT count(*) FROM blob_chunk").fetchone()[0] == 0


def test_delete_and_purge_remove_attachments(vault: Vault, record: str) -> None:
    store = vault.interviews
    store.add_attachment(record, io.BytesIO(b"1" * 10), "text/plain", "one")
    store.delete(record, "test")
    assert store.attachments(record) == []
    with pytest.raises(NotFound):
        store.add_attachment(record, io.BytesIO(b"2"), "text/plain", "two")
    other = make_document()
    store.save_revision(other)
    store.add_attachment(other["id"], io.BytesIO(b"3" * 10), "text/plain", "three")
    store.purge(other["id"])
    assert vault.connection.execute("SELECT count(*) FROM blob").fetchone()[0] == 0


def test_reader_after_lock_raises_vault_locked(vault: Vault, record: str) -> None:
    info = vault.interviews.add_attachment(record, Stream(2 * CHUNK_BYTES), "audio/ogg", "talk.ogg")
    reader = vault.interviews.open_attachment(info.sha256)
    reader.read(10)
    vault.lock()
    with pytest.raises(VaultLocked):
        reader.read(2 * CHUNK_BYTES)


@pytest.mark.slow
def test_a_50_mb_stream_never_needs_50_mb_of_memory(vault: Vault, record: str) -> None:
    size = 50 * 1024 * 1024
    source = Stream(size, seed=7)
    tracemalloc.start()
    try:
        info = vault.interviews.add_attachment(record, source, "audio/ogg", "long.ogg")
        _, peak_write = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest = hashlib.sha256()
        with vault.interviews.open_attachment(info.sha256) as reader:
            while piece := reader.read(256 * 1024):
                digest.update(piece)
        _, peak_read = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.size == size and info.sha256 == source.digest.hexdigest()
    assert digest.hexdigest() == info.sha256
    # A few chunks' worth at most; the whole file would be 50 MiB.
    assert peak_write < 4 * CHUNK_BYTES, peak_write
    assert peak_read < 4 * CHUNK_BYTES, peak_read
