"""Attachments are age files in `<vault>/attachments/`, content-addressed, streamed both ways."""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import stat
import subprocess
import threading
import tracemalloc
from pathlib import Path

import pytest

from intake_app.errors import AttachmentTooLarge, NotFound, VaultLocked
from intake_app.storage import AttachmentDamaged, InterviewStore, Vault, disk_usage
from intake_app.storage.attachment_files import AttachmentFiles
from intake_app.storage.attachments import CHUNK_BYTES, add_attachment
from tests.helpers.documents import make_document
from tests.helpers.storage import PASSPHRASE


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
def record(vault: Vault) -> str:
    document = make_document()
    vault.interviews.save_revision(document)
    record_id: str = document["id"]
    return record_id


def _files(vault: Vault) -> list[Path]:
    folder = vault.folder / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def _rows(vault: Vault, table: str) -> int:
    count: int = vault.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return count


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 17]
)
def test_round_trip_across_piece_boundaries(vault: Vault, record: str, size: int) -> None:
    data = random.Random(size).randbytes(size)
    info = vault.interviews.add_attachment(record, io.BytesIO(data), "audio/ogg", "talk.ogg")
    assert info.sha256 == hashlib.sha256(data).hexdigest() and info.size == size
    assert vault.interviews.attachments(record) == [info]
    with vault.interviews.open_attachment(info.sha256) as reader:
        assert reader.read() == data
        assert reader.read() == b""
    with vault.interviews.open_attachment(info.sha256) as reader:
        pieces = []
        while piece := reader.read(333_333):  # reads that straddle the pieces
            pieces.append(piece)
        assert b"".join(pieces) == data
        assert reader.tell() == size


def test_the_file_is_age_to_its_own_key_under_a_random_name(vault: Vault, record: str) -> None:
    data = b"scan of a passport page " * 5000
    info = vault.interviews.add_attachment(record, io.BytesIO(data), "image/png", "p.png")
    (path,) = _files(vault)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert info.sha256 not in path.name and path.name.endswith(".age")
    encrypted = path.read_bytes()
    assert encrypted.startswith(b"age-encryption.org/v1\n") and b"passport" not in encrypted
    name, identity = vault.connection.execute(
        "SELECT file, identity FROM attachment_file WHERE sha256 = ?", (info.sha256,)
    ).fetchone()
    assert name == path.name and identity.startswith("AGE-SECRET-KEY-1")
    if shutil.which("age"):  # the standard tool reads it with the row's identity
        key = path.parent.parent / "key.txt"
        key.write_text(identity + "\n")
        clear = subprocess.run(["age", "-d", "-i", str(key), str(path)], capture_output=True,
                               check=True).stdout
        key.unlink()
        assert clear == data


def test_same_content_is_stored_once_and_leaves_with_its_last_link(
    vault: Vault, record: str
) -> None:
    other = make_document(revision=0)
    vault.interviews.save_draft(other)  # attachments may belong to a draft-only record
    data = b"scan of a passport page" * 1000
    first = vault.interviews.add_attachment(record, io.BytesIO(data), "image/png", "a.png")
    second = vault.interviews.add_attachment(other["id"], io.BytesIO(data), "image/png", "b.png")
    assert first.sha256 == second.sha256
    assert _rows(vault, "attachment_file") == 1 and len(_files(vault)) == 1
    vault.interviews.remove_attachment(record, first.sha256)
    assert _rows(vault, "attachment_file") == 1 and len(_files(vault)) == 1  # still used
    vault.interviews.discard_draft(other["id"])  # a never-saved record takes its files along
    assert _rows(vault, "attachment_file") == 0 and _rows(vault, "attachment") == 0
    assert _files(vault) == []  # no file and no key row
    with pytest.raises(NotFound):
        vault.interviews.open_attachment(first.sha256)


def test_unknown_record_and_unknown_attachment(vault: Vault, record: str) -> None:
    with pytest.raises(NotFound):
        vault.interviews.add_attachment(make_document()["id"], io.BytesIO(b"x"), "t/p", "x")
    with pytest.raises(NotFound):
        vault.interviews.remove_attachment(record, "0" * 64)
    with pytest.raises(NotFound):
        vault.interviews.open_attachment("0" * 64)
    assert _files(vault) == []


def test_too_large_is_refused_and_leaves_nothing(vault: Vault, record: str) -> None:
    store = InterviewStore(vault._db, AttachmentFiles(vault.folder),
                           max_attachment_bytes=2 * CHUNK_BYTES)
    with pytest.raises(AttachmentTooLarge) as caught:
        store.add_attachment(record, Stream(2 * CHUNK_BYTES + 1), "video/mp4", "v.mp4")
    assert caught.value.fields == {"limit": "2 MB"}
    assert store.attachments(record) == []
    assert _files(vault) == []


def test_progress_counts_the_bytes_read(vault: Vault, record: str) -> None:
    seen: list[int] = []
    vault.interviews.add_attachment(record, Stream(300_000), "a/b", "x", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 300_000


def test_delete_and_purge_remove_attachments(vault: Vault, record: str) -> None:
    store = vault.interviews
    store.add_attachment(record, io.BytesIO(b"1" * 10), "text/plain", "one")
    store.delete(record, "test")
    assert store.attachments(record) == [] and _files(vault) == []
    with pytest.raises(NotFound):
        store.add_attachment(record, io.BytesIO(b"2"), "text/plain", "two")
    other = make_document()
    store.save_revision(other)
    store.add_attachment(other["id"], io.BytesIO(b"3" * 10), "text/plain", "three")
    store.purge(other["id"])
    assert _rows(vault, "attachment_file") == 0 and _files(vault) == []


def test_an_undone_transaction_takes_its_new_file_along(vault: Vault, record: str) -> None:
    """The centre's import writes inside its own transaction: a refusal leaves no file."""
    with pytest.raises(RuntimeError, match="refused"), vault.transaction() as conn:
        add_attachment(conn, record, io.BytesIO(b"inside a transaction"), "text/plain", "t")
        assert len(_files(vault)) == 1
        raise RuntimeError("refused")
    assert _files(vault) == [] and _rows(vault, "attachment_file") == 0
    with vault.transaction() as conn:  # a removal waits for the commit
        info = add_attachment(conn, record, io.BytesIO(b"kept"), "text/plain", "k")
    with vault.transaction() as conn:
        from intake_app.storage.attachments import remove_all_attachments

        remove_all_attachments(conn, record)
        assert len(_files(vault)) == 1
    assert _files(vault) == []
    with pytest.raises(NotFound):
        vault.interviews.open_attachment(info.sha256)


def test_reader_after_lock_raises_vault_locked(vault: Vault, record: str) -> None:
    info = vault.interviews.add_attachment(record, Stream(2 * CHUNK_BYTES), "audio/ogg", "t.ogg")
    reader = vault.interviews.open_attachment(info.sha256)
    reader.read(10)
    vault.lock()
    with pytest.raises(VaultLocked):
        reader.read(2 * CHUNK_BYTES)
    reader.close()


def test_closing_a_reader_half_way_stops_its_thread(vault: Vault, record: str) -> None:
    info = vault.interviews.add_attachment(record, Stream(5 * CHUNK_BYTES), "audio/ogg", "t.ogg")
    before = threading.active_count()
    reader = vault.interviews.open_attachment(info.sha256)
    assert len(reader.read(1000)) == 1000
    reader.close()
    assert threading.active_count() == before


def test_a_damaged_or_missing_file_is_proved_so(vault: Vault, record: str) -> None:
    info = vault.interviews.add_attachment(record, Stream(CHUNK_BYTES), "image/jpeg", "i.jpg")
    (path,) = _files(vault)
    data = bytearray(path.read_bytes())
    data[-100] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(AttachmentDamaged), vault.interviews.open_attachment(info.sha256) as r:
        r.read()
    report = vault.check()
    assert not report.ok and report.attachments == [f"attachment file {path.name}: does not "
                                                    "decrypt"]
    path.unlink()
    with pytest.raises(AttachmentDamaged):
        vault.interviews.open_attachment(info.sha256)
    assert vault.check().attachments == [f"attachment file {path.name}: missing"]


def test_files_without_a_row_are_swept_at_unlock(vault: Vault, record: str) -> None:
    kept = vault.interviews.add_attachment(record, io.BytesIO(b"kept"), "text/plain", "k")
    folder = vault.folder / "attachments"
    orphan = AttachmentFiles(vault.folder).write(io.BytesIO(b"orphan"), limit=100)
    orphan.release()
    (folder / f".{orphan.name}.0123456789ab.tmp").write_bytes(b"half written")
    (folder / "notes.txt").write_bytes(b"not ours")  # left alone
    held = AttachmentFiles(vault.folder).write(io.BytesIO(b"being committed"), limit=100)
    vault.lock()
    assert len(list(folder.iterdir())) == 5
    with Vault.unlock(vault.folder, PASSPHRASE) as again:
        names = {p.name for p in folder.iterdir()}
        assert orphan.name not in names and "notes.txt" in names
        assert held.name in names  # its writer still holds it: not ours to judge yet
        assert not any(name.endswith(".tmp") for name in names)
        with again.interviews.open_attachment(kept.sha256) as reader:
            assert reader.read() == b"kept"
        held.release()
        assert again.sweep_attachments() == 1
    assert len(list(folder.iterdir())) == 2


def test_disk_usage_counts_each_part(vault: Vault, record: str) -> None:
    vault.interviews.add_attachment(record, Stream(200_000), "a/b", "x")
    usage = disk_usage(vault.folder)
    assert usage.attachments == sum(p.stat().st_size for p in _files(vault)) > 200_000
    assert usage.database >= (vault.folder / "intake.db").stat().st_size
    assert usage.backups == 0 and usage.other > 0
    assert usage.total == usage.database + usage.attachments + usage.backups + usage.other


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
    # A few pieces' worth at most; the whole file would be 50 MiB.
    assert peak_write < 4 * CHUNK_BYTES, peak_write
    assert peak_read < 4 * CHUNK_BYTES, peak_read
