"""Check 1 and the strict ZIP reader: a corpus of damaged, odd and hostile containers."""

from __future__ import annotations

import io
import os
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest

from intake_app.sync.errors import BundleRefused, Outcome, Reason
from intake_app.sync.format.reader import open_container
from intake_app.sync.format.spec import MAX_BUNDLE_SIZE
from intake_app.sync.format.zip_reader import ZipProblem, iter_entry, read_directory
from tests.helpers.bundles import CentreKeys, Laptop, build_zip, check, write, zip_entries


@pytest.fixture
def made(tmp_path: Path, centre_keys: CentreKeys, laptop: Laptop
         ) -> tuple[CentreKeys, Laptop, bytes]:
    data = write(tmp_path / "w", centre_keys, laptop).path.read_bytes()
    return centre_keys, laptop, data


def _info(name: str, *, system: int = 3, mode: int = 0o100644, dos: int = 0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (2026, 11, 28, 16, 2, 10))
    info.create_system = system
    info.external_attr = (mode << 16) | dos
    return info


def _zip_infos(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; we want them
        with zipfile.ZipFile(buffer, "w") as archive:
            for info, data in entries:
                archive.writestr(info, data)
    return buffer.getvalue()


def _patch_flags(data: bytes, flag: int) -> bytes:
    """Set a general-purpose flag bit in every local and central header."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = out.find(signature)
        while position >= 0:
            (flags,) = struct.unpack_from("<H", out, position + offset)
            struct.pack_into("<H", out, position + offset, flags | flag)
            position = out.find(signature, position + 4)
    return bytes(out)


def _cases(data: bytes) -> dict[str, bytes]:
    entries = zip_entries(data)
    payload, signature, readme = entries
    age, sig = payload[1], signature[1]
    flipped = bytearray(data)
    flipped[200] ^= 1  # inside payload.age's data: CRC no longer matches
    return {
        "entries swapped": build_zip([signature, payload]),
        "README first": build_zip([readme, payload, signature]),
        "outer entry deflated": build_zip(entries, compression=zipfile.ZIP_DEFLATED),
        "extra entry": build_zip([*entries, ("notes.txt", b"hello")]),
        "signature missing": build_zip([payload]),
        "payload missing": build_zip([signature]),
        "empty zip": build_zip([]),
        "name in another case": build_zip([("Payload.age", age), signature]),
        "duplicate signature": _zip_infos([(_info("payload.age"), age),
                                           (_info("payload.age.minisig"), sig),
                                           (_info("payload.age.minisig"), sig)]),
        "folder entry": _zip_infos([(_info("payload.age"), age),
                                    (_info("payload.age.minisig"), sig),
                                    (_info("README.txt/", mode=0o040755), b"")]),
        "README is a symlink": _zip_infos([(_info("payload.age"), age),
                                           (_info("payload.age.minisig"), sig),
                                           (_info("README.txt", mode=0o120777), b"/etc/x")]),
        "DOS directory attribute": _zip_infos([(_info("payload.age"), age),
                                               (_info("payload.age.minisig", system=0, mode=0,
                                                      dos=0x10), sig)]),
        "README over 4 KiB": build_zip([payload, signature, ("README.txt", b"x" * 4097)]),
        "signature over 4 KiB": build_zip([payload, ("payload.age.minisig", sig + b" " * 4096)]),
        "encrypted flag": _patch_flags(data, 0x1),
        "unknown flag": _patch_flags(data, 0x40),
        "data before the first entry": b"junk" + data,
        "payload.age corrupted (CRC)": bytes(flipped),
        "zip64 local header": _force_zip64(entries),
        "local name differs": data.replace(b"payload.age.minisig", b"payload.age.minisiG", 1),
    }


def _force_zip64(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            with archive.open(_info(name), "w", force_zip64=True) as handle:
                handle.write(data)
    return buffer.getvalue()


@pytest.mark.parametrize("case", ["entries swapped", "README first", "outer entry deflated",
                                  "extra entry", "signature missing", "payload missing",
                                  "empty zip", "name in another case", "duplicate signature",
                                  "folder entry", "README is a symlink",
                                  "DOS directory attribute", "README over 4 KiB",
                                  "signature over 4 KiB", "encrypted flag", "unknown flag",
                                  "data before the first entry", "payload.age corrupted (CRC)",
                                  "zip64 local header", "local name differs"])
def test_bad_containers(case: str, made: tuple[CentreKeys, Laptop, bytes]) -> None:
    centre, device, data = made
    bundle = _cases(data)[case]
    result = check(bundle, centre, device)
    assert (result.outcome, result.reason) == (Outcome.REJECTED, Reason.BAD_CONTAINER)


def test_the_untouched_bundle_and_a_changed_readme_pass(made: tuple[CentreKeys, Laptop, bytes]
                                                        ) -> None:
    centre, device, data = made
    assert check(data, centre, device).outcome is Outcome.ACCEPTED
    payload, signature, _ = zip_entries(data)
    for readme in (b"", b"anything at all", b"x" * 4096):
        bundle = build_zip([payload, signature, ("README.txt", readme)])
        assert check(bundle, centre, device).outcome is Outcome.ACCEPTED


@pytest.mark.parametrize("data", [b"", b"P", b"PK", b"not a zip at all", os.urandom(5000),
                                  b"\x89PNG\r\n\x1a\n" + bytes(100), b"PK\x05\x06"])
def test_not_a_bundle(data: bytes, centre_keys: CentreKeys, laptop: Laptop) -> None:
    assert check(data, centre_keys, laptop).reason is Reason.NOT_A_BUNDLE


def test_truncated_bundles_are_damaged_never_a_crash(
        made: tuple[CentreKeys, Laptop, bytes]) -> None:
    centre, device, data = made
    for cut in sorted({4, 10, 30, 100, len(data) // 2, len(data) - 23, len(data) - 22,
                       len(data) - 1}):
        result = check(data[:cut], centre, device)
        assert (result.outcome, result.reason) == (Outcome.REJECTED, Reason.BAD_CONTAINER), cut
    assert check(data + b"trailing", centre, device).reason is Reason.BAD_CONTAINER


def test_too_large_is_refused_before_reading(tmp_path: Path,
                                            made: tuple[CentreKeys, Laptop, bytes]) -> None:
    centre, device, data = made
    huge = tmp_path / "huge.ibundle"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_BUNDLE_SIZE + 1)  # sparse: costs no disk and no reading
    assert check(huge, centre, device).reason is Reason.TOO_LARGE
    assert check(data, centre, device, max_size=len(data) - 1).reason is Reason.TOO_LARGE
    assert check(data, centre, device, max_size=len(data)).outcome is Outcome.ACCEPTED


def _open_handles(path: Path) -> int:
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == str(path.resolve()))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_container_is_closed_after_a_refusal_or_use(tmp_path: Path,
                                                   made: tuple[CentreKeys, Laptop, bytes]) -> None:
    centre, device, data = made
    path = tmp_path / "bundle.ibundle"
    for content in (b"nope", data[:-5], data):
        path.write_bytes(content)
        result = check(path, centre, device)
        if result.payload is not None:
            result.payload.close()
        assert _open_handles(path) == 0
    with open_container(path):
        assert _open_handles(path) == 1  # the check can see a handle when there is one
    assert _open_handles(path) == 0
    path.write_bytes(b"x")
    with pytest.raises(BundleRefused):
        open_container(path)
    assert _open_handles(path) == 0


# --- the ZIP reader on its own ----------------------------------------------------------------


def _directory(data: bytes, **limits: int) -> list[object]:
    options = {"max_entries": 100, "max_directory": 1 << 20} | limits
    return list(read_directory(io.BytesIO(data), len(data), **options))


def _lie_about_size(data: bytes, name: bytes, new_size: int) -> bytes:
    """Patch the uncompressed size of entry `name` in its local and central headers."""
    out = bytearray(data)
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        position = out.find(signature)
        while position >= 0:
            if out[position + name_at : position + name_at + len(name)] == name:
                struct.pack_into("<I", out, position + offset, new_size)
            position = out.find(signature, position + 4)
    return bytes(out)


def test_entry_larger_than_declared_is_cut_off_not_inflated() -> None:
    zeros = bytes(1_000_000)
    archive = build_zip([("a", zeros)], compression=zipfile.ZIP_DEFLATED)
    lying = _lie_about_size(archive, b"a", 1000)
    (entry,) = read_directory(io.BytesIO(lying), len(lying), max_entries=1, max_directory=100)
    assert entry.size == 1000
    produced = 0
    with pytest.raises(ZipProblem, match="longer than declared"):
        for piece in iter_entry(io.BytesIO(lying), entry):
            produced += len(piece)
    assert produced <= 1001


def test_entry_shorter_than_declared_or_with_garbage_fails() -> None:
    archive = build_zip([("a", b"hello world" * 100)], compression=zipfile.ZIP_DEFLATED)
    longer = _lie_about_size(archive, b"a", 1101)
    (entry,) = read_directory(io.BytesIO(longer), len(longer), max_entries=1, max_directory=100)
    with pytest.raises(ZipProblem, match="size or CRC"):
        b"".join(iter_entry(io.BytesIO(longer), entry))


def test_directory_limits_are_checked_before_parsing() -> None:
    many = build_zip([(f"f{i}", b"") for i in range(50)])
    with pytest.raises(ZipProblem):
        _directory(many, max_entries=49)
    with pytest.raises(ZipProblem):
        _directory(many, max_directory=100)
    assert len(_directory(many)) == 50


def test_two_directory_records_for_one_entry_are_refused() -> None:
    single = build_zip([("a", b"data")])
    cd_offset = single.index(b"PK\x01\x02")
    eocd = single.index(b"PK\x05\x06")
    record = single[cd_offset:eocd]
    end = bytearray(single[eocd:])
    struct.pack_into("<HHI", end, 8, 2, 2, 2 * len(record))  # two entries, twice the size
    doubled = single[:cd_offset] + record + record + bytes(end)
    with pytest.raises(ZipProblem):
        _directory(doubled)


def test_stored_entry_crc_is_checked() -> None:
    archive = bytearray(build_zip([("a", b"some stored bytes")]))
    archive[archive.index(b"some")] ^= 1
    (entry,) = _directory(bytes(archive))
    with pytest.raises(ZipProblem):
        b"".join(iter_entry(io.BytesIO(bytes(archive)), entry))  # type: ignore[arg-type]


def _as_deflated(body: bytes, plain: bytes) -> bytes:
    """A one-entry ZIP whose entry data is `body`, declared as deflated `plain`."""
    out = bytearray(build_zip([("a", body)]))
    for position, fields in ((out.index(b"PK\x03\x04"), 8), (out.index(b"PK\x01\x02"), 10)):
        struct.pack_into("<H", out, position + fields, 8)  # method: deflate
        struct.pack_into("<I", out, position + fields + 6, zlib.crc32(plain))
        struct.pack_into("<I", out, position + fields + 14, len(plain))
    return bytes(out)


def test_deflate_stream_with_garbage_after_its_end_fails() -> None:
    deflater = zlib.compressobj(wbits=-15)
    body = deflater.compress(b"hello") + deflater.flush()
    clean = _as_deflated(body, b"hello")
    (entry,) = _directory(clean)
    assert b"".join(iter_entry(io.BytesIO(clean), entry)) == b"hello"  # type: ignore[arg-type]
    dirty = _as_deflated(body + b"GARBAGE", b"hello")
    (entry,) = _directory(dirty)
    with pytest.raises(ZipProblem, match="garbage"):
        b"".join(iter_entry(io.BytesIO(dirty), entry))  # type: ignore[arg-type]
    truncated = _as_deflated(body[:-2], b"hello")
    (entry,) = _directory(truncated)
    with pytest.raises(ZipProblem):
        b"".join(iter_entry(io.BytesIO(truncated), entry))  # type: ignore[arg-type]
