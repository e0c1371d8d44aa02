"""The centre reads the share by its rules (issue 14, findings 2, 3, 4 and 7).

Real files, real FIFOs and real links. A pipe is never opened to wait on, a link (a file or a
device folder) never followed nor moved, a half-copied bundle never answered, and what the
quarantine holds is exactly what was verified. Operations that used to hang run on a thread
that must come back within seconds.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from intake_app.cli import main
from intake_app.sync.centre import importer
from intake_app.sync.centre.devices import enrolment_files, read_requests
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.inbox import ScanProgress, scan_inbox
from intake_app.sync.centre.quarantine import held_bundles, held_bytes
from intake_app.sync.centre.setup import init_centre
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason, ShareNotAFile
from intake_app.sync.share import Looks, receipts_folder
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, register
from tests.helpers.cli import close_log_handlers
from tests.helpers.storage import FAST

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs")
LIMIT = 10  # seconds an operation that used to hang may take here


def _within(seconds: float, action: Callable[[], Any]) -> Any:
    """Run `action` on a thread; fail unless it returns within `seconds`."""
    box: list[Any] = []

    def run() -> None:
        try:
            box.append(action())
        except BaseException as exc:  # handed back to the test
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "hung"
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def _inbox(centre: Centre, laptop: Laptop) -> Path:
    folder = centre.share / "inbox" / laptop.device_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _processed(centre: Centre) -> list[Path]:
    folder = centre.share / "processed"
    return sorted(folder.rglob("*")) if folder.exists() else []


def _answered(centre: Centre, laptop: Laptop) -> bool:
    folder = receipts_folder(centre.share, laptop.device_id)
    return folder.exists() and any(folder.iterdir())


def test_enrolments_with_a_fifo_signature_come_back(centre: Centre) -> None:
    piped, fine = Laptop(), Laptop()
    request = piped.enrol(centre.share)
    fine.enrol(centre.share)
    signature = request.with_name(request.name + ".minisig")
    signature.unlink()
    os.mkfifo(signature)
    reads = _within(LIMIT, lambda: read_requests(centre.vault, enrolment_files(centre.share)))
    by_file = {read.path.name: read for read in reads}
    assert isinstance(by_file[request.name].error, ShareNotAFile)
    assert by_file[request.name].device is None
    assert by_file[f"{fine.device_id}.json"].device is not None  # the others are read
    assert signature.exists()  # left where it is


def test_a_request_that_is_a_link_or_a_pipe_is_not_listed(centre: Centre, tmp_path: Path
                                                         ) -> None:
    laptop = Laptop()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = laptop.enrol(elsewhere)
    (centre.share / "enrol").mkdir(exist_ok=True)
    (centre.share / "enrol" / real.name).symlink_to(real)
    os.mkfifo(centre.share / "enrol" / "pipe.json")
    assert enrolment_files(centre.share) == []


def test_an_inbox_file_swapped_for_a_fifo_after_the_scan_listed_it(centre: Centre) -> None:
    laptop = Laptop()
    register(centre, laptop)
    path = laptop.bundle(_inbox(centre, laptop), centre).path

    def swap(progress: ScanProgress) -> None:
        if progress.current is not None:  # about to import this file
            path.unlink()
            os.mkfifo(path)

    results = _within(LIMIT, lambda: scan_inbox(centre, progress=swap))
    assert results == []
    assert path.exists() and not path.is_file()  # the FIFO stays, unmoved
    assert _processed(centre) == [] and not _answered(centre, laptop)


def test_importing_a_fifo_by_name_is_a_known_error(centre: Centre, tmp_path: Path) -> None:
    fifo = tmp_path / "stick" / "x.ibundle"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    with pytest.raises(ShareNotAFile):
        _within(LIMIT, lambda: import_bundle(centre, fifo))


def test_centre_import_of_a_fifo_on_the_command_line_comes_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "centre-data"
    (tmp_path / "share").mkdir()
    init_centre(data, name="Centre", share=str(tmp_path / "share"), passphrase=PASSPHRASE,
                kdf=FAST)
    fifo = tmp_path / "x.ibundle"
    os.mkfifo(fifo)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    try:
        code = _within(LIMIT * 3, lambda: main(["--data-dir", str(data), "centre", "import",
                                                str(fifo)]))
    finally:
        close_log_handlers()
    assert code == 2
    assert "not an ordinary file" in capsys.readouterr().err


def test_a_device_folder_that_is_a_link_is_not_read_and_nothing_is_moved(
        centre: Centre, tmp_path: Path) -> None:
    laptop = Laptop()
    register(centre, laptop)
    admin_folder = tmp_path / "administrator-files"
    admin_folder.mkdir()
    kept = laptop.bundle(admin_folder, centre).path  # a well-formed bundle, even
    (admin_folder / "other.ibundle").write_bytes(b"the administrator's file")
    (centre.share / "inbox" / laptop.device_id).symlink_to(admin_folder)
    assert _within(LIMIT, lambda: scan_inbox(centre)) == []
    assert sorted(p.name for p in admin_folder.iterdir()) == sorted([kept.name, "other.ibundle"])
    assert _processed(centre) == [] and not _answered(centre, laptop)


def test_a_half_copied_bundle_is_left_alone_until_it_is_complete(
        centre: Centre, tmp_path: Path) -> None:
    laptop = Laptop()
    register(centre, laptop)
    whole = laptop.bundle(tmp_path / "stick", centre).path.read_bytes()
    path = _inbox(centre, laptop) / laptop.bundle(tmp_path / "x", centre, seq=1).path.name
    looks = Looks(settle=0.3)
    path.write_bytes(whole[: len(whole) // 2])  # the copy from the USB stick is under way
    assert scan_inbox(centre, looks=looks, wait=False) == []  # first look
    with path.open("ab") as copying:
        copying.write(whole[len(whole) // 2 :])
    assert scan_inbox(centre, looks=looks, wait=False) == []  # it changed: a new first look
    assert path.read_bytes() == whole  # left where it was
    assert _processed(centre) == [] and not _answered(centre, laptop)
    [result] = scan_inbox(centre, looks=looks, wait=True)  # looks again after 0.3 seconds
    assert result.outcome is Outcome.ACCEPTED
    assert not path.exists() and _answered(centre, laptop)


def test_a_half_copied_bundle_is_not_imported_by_a_waiting_scan(
        centre: Centre, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    laptop = Laptop()
    register(centre, laptop)
    whole = laptop.bundle(tmp_path / "stick", centre).path.read_bytes()
    path = _inbox(centre, laptop) / laptop.bundle(tmp_path / "x", centre, seq=1).path.name
    path.write_bytes(whole[:1000])
    from intake_app.sync.centre import inbox

    def still_copying(seconds: float) -> None:
        with path.open("ab") as copying:
            copying.write(whole[1000:2000])

    monkeypatch.setattr(inbox, "_sleep", still_copying)
    assert scan_inbox(centre, looks=Looks(settle=0.01)) == []
    assert path.stat().st_size == 2000 and _processed(centre) == []


def _pending_bundle(centre: Centre, laptop: Laptop) -> Path:
    register(centre, laptop, active=False)  # its bundles are held (device-pending)
    return laptop.bundle(_inbox(centre, laptop), centre).path


def test_the_bytes_held_are_the_bytes_verified_when_the_name_is_swapped(
        centre: Centre, monkeypatch: pytest.MonkeyPatch) -> None:
    laptop = Laptop()
    path = _pending_bundle(centre, laptop)
    verified = path.read_bytes()
    real_hold: Callable[..., int] = getattr(importer, "hold")  # noqa: B009 - patched below

    def swap_then_hold(*args: Any) -> int:
        junk = path.with_name(".junk")
        junk.write_bytes(b"PK\x03\x04" + os.urandom(len(verified) - 4))
        os.replace(junk, path)  # another file under the verified name
        return real_hold(*args)

    monkeypatch.setattr(importer, "hold", swap_then_hold)
    [result] = scan_inbox(centre)
    assert (result.outcome, result.reason) == (Outcome.QUARANTINED, Reason.DEVICE_PENDING)
    [held] = held_bundles(centre.vault)
    assert held_bytes(centre.vault, held.num) == verified
    assert path.exists()  # the junk was not the file read: it is not moved away


def test_a_file_changed_in_place_before_it_is_held_is_not_held(
        centre: Centre, monkeypatch: pytest.MonkeyPatch) -> None:
    laptop = Laptop()
    path = _pending_bundle(centre, laptop)
    verified = path.read_bytes()
    real_hold: Callable[..., int] = getattr(importer, "hold")  # noqa: B009 - patched below

    def change_then_hold(*args: Any) -> int:
        with path.open("r+b") as writer:  # the same file, through another handle
            writer.seek(200)
            writer.write(b"\x00" * 64)
        return real_hold(*args)

    monkeypatch.setattr(importer, "hold", change_then_hold)
    assert scan_inbox(centre) == []
    assert held_bundles(centre.vault) == [] and not _answered(centre, laptop)
    assert path.exists() and _processed(centre) == []
    monkeypatch.setattr(importer, "hold", real_hold)
    path.write_bytes(verified)
    [again] = scan_inbox(centre)
    assert again.reason is Reason.DEVICE_PENDING
    [held] = held_bundles(centre.vault)
    assert held_bytes(centre.vault, held.num) == verified
