"""A strict reader for the small ZIP subset bundles use; it trusts no declared size.

Accepted: one disk, no ZIP64, no encryption, no prefix or trailing data, entries laid out
back to back in central-directory order, regular files only (no folders, no links), local
headers that agree with the central directory. Entry data is read with hard limits and its
CRC-32 is checked. Anything else raises `ZipProblem`.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

STORED = 0
DEFLATED = 8
_EOCD = struct.Struct("<IHHHHIIH")
_EOCD_SIG = 0x06054B50
_ZIP64_LOCATOR_SIG = b"PK\x06\x07"
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_CENTRAL_SIG = 0x02014B50
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_LOCAL_SIG = 0x04034B50
_DESCRIPTOR_SIG = b"PK\x07\x08"
_ALLOWED_FLAGS = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 11)
_DATA_DESCRIPTOR = 1 << 3
_UNIX = 3
_REGULAR_FILE = 0o100000
_DOS_DIRECTORY = 0x10
_MAX_COMMENT = 0xFFFF
CHUNK = 1 << 20


class ZipProblem(ValueError):
    """The bytes are not a ZIP we accept; `not_zip` when there is no ZIP at all."""

    def __init__(self, hint: str, *, not_zip: bool = False) -> None:
        super().__init__(hint)
        self.not_zip = not_zip


@dataclass(frozen=True, slots=True)
class ZipEntry:
    """One checked entry: where its data starts and what the directory declares."""

    name: str
    method: int
    crc: int
    compressed_size: int
    size: int
    data_offset: int


def _read_at(handle: BinaryIO, offset: int, length: int) -> bytes:
    handle.seek(offset)
    data = handle.read(length)
    while len(data) < length:  # an unbuffered handle may return less than asked for
        more = handle.read(length - len(data))
        if not more:
            raise ZipProblem("truncated")
        data += more
    return data


def _find_end_record(handle: BinaryIO, size: int) -> tuple[int, tuple[int, ...]]:
    tail_len = min(size, _EOCD.size + _MAX_COMMENT)
    if tail_len < _EOCD.size:
        raise ZipProblem("too short for a ZIP", not_zip=True)
    tail = _read_at(handle, size - tail_len, tail_len)
    position = tail.rfind(b"PK\x05\x06")
    while position >= 0:
        if position + _EOCD.size <= tail_len:
            fields = _EOCD.unpack_from(tail, position)
            if fields[7] == tail_len - position - _EOCD.size:  # comment runs to the end
                return size - tail_len + position, fields
        position = tail.rfind(b"PK\x05\x06", 0, position)
    raise ZipProblem("no end of central directory", not_zip=True)


def _check_attributes(made_by: int, external: int, name: str) -> None:
    if name.endswith("/") or external & _DOS_DIRECTORY:
        raise ZipProblem("folder entry")
    if made_by >> 8 == _UNIX:
        kind = (external >> 16) & 0o170000
        if kind not in (0, _REGULAR_FILE):
            raise ZipProblem("link or special file entry")


def _parse_central(directory: bytes, count: int) -> list[tuple[ZipEntry, int, int]]:
    """(entry, local header offset, flags) for each central-directory record."""
    result: list[tuple[ZipEntry, int, int]] = []
    position = 0
    for _ in range(count):
        if position + _CENTRAL.size > len(directory):
            raise ZipProblem("central directory truncated")
        (sig, made_by, _need, flags, method, _t, _d, crc, csize, usize, name_len, extra_len,
         comment_len, disk, _iattr, eattr, offset) = _CENTRAL.unpack_from(directory, position)
        position += _CENTRAL.size
        raw_name = directory[position : position + name_len]
        position += name_len + extra_len + comment_len
        if sig != _CENTRAL_SIG or disk != 0 or len(raw_name) != name_len:
            raise ZipProblem("bad central directory record")
        if flags & ~_ALLOWED_FLAGS or 0xFFFFFFFF in (csize, usize, offset):
            raise ZipProblem("encrypted, ZIP64 or unknown flags")
        if not raw_name.isascii():
            raise ZipProblem("non-ASCII name")
        name = raw_name.decode("ascii")
        _check_attributes(made_by, eattr, name)
        entry = ZipEntry(name, method, crc, csize, usize, data_offset=-1)
        result.append((entry, offset, flags))
    if position != len(directory):
        raise ZipProblem("central directory size does not match its records")
    return result


def _check_local(handle: BinaryIO, entry: ZipEntry, offset: int, flags: int) -> ZipEntry:
    (sig, _need, local_flags, method, _t, _d, crc, csize, usize, name_len,
     extra_len) = _LOCAL.unpack(_read_at(handle, offset, _LOCAL.size))
    name = _read_at(handle, offset + _LOCAL.size, name_len)
    if sig != _LOCAL_SIG or name != entry.name.encode("ascii"):
        raise ZipProblem("local header does not match the central directory")
    if local_flags != flags or method != entry.method:
        raise ZipProblem("local header does not match the central directory")
    declared = (crc, csize, usize)
    if declared != (entry.crc, entry.compressed_size, entry.size) and not (
        flags & _DATA_DESCRIPTOR and declared == (0, 0, 0)
    ):
        raise ZipProblem("local sizes do not match the central directory")
    data_offset = offset + _LOCAL.size + name_len + extra_len
    return ZipEntry(entry.name, method, entry.crc, entry.compressed_size, entry.size,
                    data_offset)


def _descriptor_length(handle: BinaryIO, entry: ZipEntry, flags: int) -> int:
    if not flags & _DATA_DESCRIPTOR:
        return 0
    end = entry.data_offset + entry.compressed_size
    head = _read_at(handle, end, 4)
    start = end + 4 if head == _DESCRIPTOR_SIG else end
    values = struct.unpack("<III", _read_at(handle, start, 12))
    if values != (entry.crc, entry.compressed_size, entry.size):
        raise ZipProblem("data descriptor does not match the central directory")
    return start + 12 - end


@dataclass(frozen=True, slots=True)
class CentralRecord:
    """One central-directory record, before its local header was read."""

    entry: ZipEntry  # data_offset still -1
    header_offset: int
    flags: int


@dataclass(frozen=True, slots=True)
class CentralDirectory:
    """The archive's end record and central directory, checked; local headers not yet read."""

    records: tuple[CentralRecord, ...]
    offset: int  # where the central directory starts (the entries end there)


def read_central(
    handle: BinaryIO, size: int, *, max_entries: int, max_directory: int
) -> CentralDirectory:
    """Check the end record and the central directory (read from the last bytes only)."""
    end_offset, fields = _find_end_record(handle, size)
    _sig, disk, cd_disk, on_disk, count, cd_size, cd_offset, _clen = fields
    if disk or cd_disk or on_disk != count or 0xFFFF in (on_disk, count):
        raise ZipProblem("multi-disk or ZIP64 archive")
    if count > max_entries or cd_size > max_directory:
        raise ZipProblem("too many entries")
    if cd_offset + cd_size != end_offset:
        raise ZipProblem("data between central directory and its end record")
    if end_offset >= 20 and _read_at(handle, end_offset - 20, 4) == _ZIP64_LOCATOR_SIG:
        raise ZipProblem("ZIP64 locator")
    directory = _read_at(handle, cd_offset, cd_size)
    records = tuple(CentralRecord(raw, offset, flags)
                    for raw, offset, flags in _parse_central(directory, count))
    names = [record.entry.name for record in records]
    if len(set(names)) != len(names):
        raise ZipProblem("duplicate names")
    return CentralDirectory(records, cd_offset)


def tail_bytes(max_directory: int) -> int:
    """How many of an archive's last bytes `read_central` may read (end record, comment,
    directory, ZIP64 locator), for a reader that keeps only the end of a stream."""
    return _EOCD.size + _MAX_COMMENT + max_directory + 20


def local_entry(handle: BinaryIO, record: CentralRecord, expected_offset: int,
                directory_offset: int) -> ZipEntry:
    """The entry at `expected_offset` (the end of the one before), its local header checked
    against its central record."""
    if record.header_offset != expected_offset:
        raise ZipProblem("entries not back to back in directory order")
    entry = _check_local(handle, record.entry, record.header_offset, record.flags)
    if entry.method == STORED and entry.compressed_size != entry.size:
        raise ZipProblem("stored entry with two sizes")
    if entry.data_offset + entry.compressed_size > directory_offset:
        raise ZipProblem("entry runs into the central directory")
    return entry


def entry_end(handle: BinaryIO, entry: ZipEntry, record: CentralRecord) -> int:
    """Where the next entry starts: after the data and its descriptor (checked)."""
    return (entry.data_offset + entry.compressed_size
            + _descriptor_length(handle, entry, record.flags))


def read_directory(
    handle: BinaryIO, size: int, *, max_entries: int, max_directory: int
) -> list[ZipEntry]:
    """Check the archive's structure and return its entries in order.

    `size` is the number of bytes in `handle`; nothing beyond the directory is read.
    """
    central = read_central(handle, size, max_entries=max_entries, max_directory=max_directory)
    entries: list[ZipEntry] = []
    expected_offset = 0
    for record in central.records:
        entry = local_entry(handle, record, expected_offset, central.offset)
        expected_offset = entry_end(handle, entry, record)
        entries.append(entry)
    if expected_offset != central.offset:
        raise ZipProblem("gap before the central directory")
    return entries


def iter_entry(
    handle: BinaryIO, entry: ZipEntry, *, chunk: int = CHUNK, check_crc: bool = True
) -> Iterator[bytes]:
    """Yield an entry's bytes; never more than its declared size; size checked at the end.

    The CRC-32 is checked too, unless the caller checks a SHA-256 of the bytes instead
    (`check_crc=False`), which says more at no extra cost.
    """
    if entry.method not in (STORED, DEFLATED):
        raise ZipProblem("unsupported compression")
    inflater = zlib.decompressobj(-15) if entry.method == DEFLATED else None
    crc = 0
    produced = 0
    position = entry.data_offset
    remaining = entry.compressed_size
    while remaining > 0:
        raw = _read_at(handle, position, min(chunk, remaining))
        position += len(raw)
        remaining -= len(raw)
        pieces = [raw] if inflater is None else _inflate(inflater, raw, entry.size - produced)
        for piece in pieces:
            produced += len(piece)
            if produced > entry.size:
                raise ZipProblem("entry is longer than declared")
            if check_crc:
                crc = zlib.crc32(piece, crc)
            yield piece
    if inflater is not None and (not inflater.eof or inflater.unused_data):
        raise ZipProblem("compressed data incomplete or followed by garbage")
    if produced != entry.size or (check_crc and crc != entry.crc):
        raise ZipProblem("entry size or CRC does not match")


def _inflate(inflater: zlib._Decompress, raw: bytes, allowance: int) -> Iterator[bytes]:
    # Bound each step's output by what the entry may still produce (plus one byte to notice
    # an overrun), so a lying header cannot make us allocate more than it declared.
    data = raw
    while True:
        try:
            piece = inflater.decompress(data, max(allowance, 0) + 1)
        except zlib.error as exc:
            raise ZipProblem("bad compressed data") from exc
        allowance -= len(piece)
        if piece:
            yield piece
        data = inflater.unconsumed_tail
        if not data or inflater.eof:
            if inflater.eof and data:
                raise ZipProblem("garbage after compressed data")
            return


def read_entry(handle: BinaryIO, entry: ZipEntry, *, limit: int) -> bytes:
    """An entry's bytes, refusing entries declared larger than `limit`."""
    if entry.size > limit:
        raise ZipProblem("entry too large")
    return b"".join(iter_entry(handle, entry))


class EntryStream:
    """An entry as a readable stream (for minisign and age), hashing what it hands out."""

    def __init__(self, handle: BinaryIO, entry: ZipEntry, *, check_crc: bool = True) -> None:
        self._chunks = iter_entry(handle, entry, check_crc=check_crc)
        self._buffer = memoryview(b"")
        self.digest = hashlib.sha256()
        self.error: BaseException | None = None

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes (all that is left when negative); b"" at the end."""
        if size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        if not self._buffer:
            try:
                chunk = next(self._chunks, b"")
            except BaseException as exc:
                # age and minisign replace a failing read with their own error; keep ours.
                self.error = exc
                raise
            self.digest.update(chunk)  # whole chunks: streams are always read to the end
            self._buffer = memoryview(chunk)
        piece = bytes(self._buffer[:size])
        self._buffer = self._buffer[size:]
        return piece

    def drain(self) -> None:
        """Read to the end, so that the hash covers the whole entry and its size is checked."""
        while self.read(CHUNK):
            pass
