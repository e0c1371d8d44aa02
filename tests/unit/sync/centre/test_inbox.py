"""The inbox on the share: new bundles imported in order, moved away, progress reported."""

from __future__ import annotations

from pathlib import Path

from intake_app.sync.centre.inbox import ScanProgress, inbox_files, scan_inbox
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.share import receipt_path
from tests.helpers.bundles import Laptop
from tests.helpers.centre import register


def _inbox(centre: Centre, laptop: Laptop) -> Path:
    return centre.share / "inbox" / laptop.device_id


def test_scan_imports_in_order_and_moves_what_it_handled(centre: Centre) -> None:
    first, second = Laptop(), Laptop()
    register(centre, first)
    register(centre, second)
    for seq in (2, 1):
        first.bundle(_inbox(centre, first), centre, seq=seq)
    second.bundle(_inbox(centre, second), centre, seq=1)
    (_inbox(centre, first) / ".x-00000003.ibundle.partial").write_bytes(b"half")
    (_inbox(centre, first) / "notes.txt").write_text("not a bundle name")
    (_inbox(centre, first) / "junk.ibundle").write_bytes(b"junk")
    seen: list[ScanProgress] = []
    results = scan_inbox(centre, progress=seen.append)
    by_file = {r.file.split("/")[1]: r for r in results}
    assert len(results) == 4
    assert by_file["junk.ibundle"].reason is Reason.NOT_A_BUNDLE
    own = [r for r in results if r.device_id == first.device_id]
    assert [r.seq for r in own] == [1, 2]  # by name, so by sequence number
    assert all(r.outcome is Outcome.ACCEPTED for r in results if r.device_id)
    assert [p.done for p in seen if p.result is not None] == [1, 2, 3, 4]
    assert {p.total for p in seen} == {4}
    assert inbox_files(centre.share) == []
    assert sorted(p.name for p in (_inbox(centre, first)).iterdir()) == [
        ".x-00000003.ibundle.partial", "notes.txt"]
    processed = centre.share / "processed" / first.device_id
    assert len(list(processed.iterdir())) == 3
    assert receipt_path(centre.share, second.device_id, 1).is_file()
    assert scan_inbox(centre) == []


def test_a_file_whose_receipt_failed_stays_for_the_next_scan(
        centre: Centre, laptop: Laptop) -> None:
    register(centre, laptop)
    laptop.bundle(_inbox(centre, laptop), centre)
    blocker = centre.share / "receipts"
    blocker.rmdir()  # made empty at set-up
    blocker.write_text("not a folder")
    [result] = scan_inbox(centre)
    assert result.outcome is Outcome.ACCEPTED and result.receipt_error is not None
    assert len(inbox_files(centre.share)) == 1
    blocker.unlink()
    [again] = scan_inbox(centre)
    assert again.outcome is Outcome.DUPLICATE and again.receipt is not None
    assert inbox_files(centre.share) == []


def test_same_name_processed_twice_keeps_both(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    written = laptop.bundle(tmp_path / "out", centre)
    for _ in range(2):
        target = _inbox(centre, laptop)
        target.mkdir(parents=True, exist_ok=True)
        (target / written.path.name).write_bytes(written.path.read_bytes())
        scan_inbox(centre)
    processed = centre.share / "processed" / laptop.device_id
    assert len(list(processed.iterdir())) == 2
