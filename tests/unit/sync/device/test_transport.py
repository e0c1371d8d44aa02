"""Transports: the share inbox and export to a folder; a share that vanishes mid-copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from intake_app.sync.device.export import export_changes
from intake_app.sync.device.outbox import Outbox
from intake_app.sync.device.round import ExportWhen, SyncOptions, sync_once
from intake_app.sync.device.status import SyncState, SyncStatus
from intake_app.sync.device.transport import copy_bundle, file_sha256, prepare_inbox
from intake_app.sync.errors import ShareWriteFailed
from tests.helpers.device import (
    Clock,
    enrolled,
    inbox_files,
    random_bytes,
    real_names,
    save_interview,
)

BIG = 3_000_000  # a few outbox chunks, so the copy has a middle to be interrupted in


@pytest.mark.parametrize("how", ["removed", "renamed"])
def test_share_vanishing_mid_copy_leaves_no_real_name_and_is_retried(
    tmp_path: Path, how: str
) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault, attachment=random_bytes(BIG))
    export_changes(vault)
    moved = tmp_path / "moved-share"

    def vanish(status: SyncStatus) -> None:
        if status.state is SyncState.SENDING and status.bytes_sent and centre.share.exists():
            if how == "removed":
                shutil.rmtree(centre.share)
            else:
                centre.share.rename(moved)

    report = sync_once(vault, on_progress=vanish)
    assert report.uploaded == ()
    assert report.status.state is SyncState.OFFLINE
    assert not centre.share.exists()
    if how == "renamed":
        inbox = moved / "inbox" / identity.device_id
        assert real_names(inbox) == []  # only the dot-named partial, if anything
    assert Outbox(vault).get(1).uploaded is None  # type: ignore[union-attr]

    # Back on the network: the next round sends it whole.
    if how == "renamed":
        moved.rename(centre.share)
    else:
        centre.share.mkdir()
    report = sync_once(vault)
    assert report.uploaded == (1,)
    [bundle] = [p for p in inbox_files(centre, identity) if not p.name.startswith(".")]
    outbox = Outbox(vault)
    assert bundle.read_bytes() == b"".join(outbox.chunks(outbox.get(1)))  # type: ignore[arg-type]
    assert report.status.state is SyncState.WAITING


def test_failed_copy_into_a_missing_folder_is_a_known_error(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    save_interview(vault)
    export_changes(vault)
    [bundle] = Outbox(vault).bundles()
    with pytest.raises(ShareWriteFailed):
        copy_bundle(vault, bundle, tmp_path / "no-such-stick")


def test_interrupted_copy_leaves_only_a_dot_partial(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    save_interview(vault, attachment=random_bytes(BIG))
    export_changes(vault)
    [bundle] = Outbox(vault).bundles()
    usb = tmp_path / "usb"
    usb.mkdir()

    class Unplugged(Exception):
        pass

    def unplug(done: int, total: int) -> None:
        if done < total:
            raise Unplugged()

    with pytest.raises(Unplugged):
        copy_bundle(vault, bundle, usb, on_bytes=unplug)
    assert list(usb.iterdir()) == []
    path = copy_bundle(vault, bundle, usb)
    assert real_names(usb) == [path.name]


def test_uploaded_bundle_is_not_sent_twice_but_resent_when_lost(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    clock = Clock()
    save_interview(vault)
    first = sync_once(vault, clock=clock)
    assert first.exported == (1,) and first.uploaded == (1,)
    [path] = inbox_files(centre, identity)
    digest = file_sha256(path)
    assert sync_once(vault, clock=clock).uploaded == ()  # still in the inbox: left alone
    path.unlink()  # the importer took it, but no receipt came
    clock.advance(minutes=14)
    assert sync_once(vault, clock=clock).uploaded == ()  # give the import time
    clock.advance(minutes=1)  # 15 minutes after the last copy (bundle-format.md, Resending)
    assert sync_once(vault, clock=clock).uploaded == (1,)
    [again] = inbox_files(centre, identity)
    assert file_sha256(again) == digest  # byte for byte, never re-encrypted
    again.unlink()
    forced = sync_once(vault, clock=clock, options=SyncOptions(force_resend=True))
    assert forced.uploaded == (1,)


def test_export_to_folder_carries_every_waiting_bundle(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    save_interview(vault)
    sync_once(vault, options=SyncOptions(export=ExportWhen.ALWAYS, share=tmp_path / "away"))
    save_interview(vault)
    export_changes(vault)
    usb = tmp_path / "usb"
    usb.mkdir()
    names = [copy_bundle(vault, b, usb).name for b in Outbox(vault).bundles()]
    assert [n[-16:] for n in names] == ["00000001.ibundle", "00000002.ibundle"]
    assert real_names(usb) == sorted(names)


def test_prepare_inbox_makes_the_device_folder(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    inbox = prepare_inbox(centre.share, identity.device_id)
    assert inbox == centre.share / "inbox" / identity.device_id and inbox.is_dir()
    vault.lock()


def test_a_copy_finished_before_a_crash_is_not_sent_again(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    export_changes(vault)
    [bundle] = Outbox(vault).bundles()
    copy_bundle(vault, bundle, prepare_inbox(centre.share, identity.device_id))
    # The process died before it noted the upload; the next round finds the file there.
    report = sync_once(vault)
    assert report.uploaded == ()
    assert Outbox(vault).get(1).uploaded is not None  # type: ignore[union-attr]
    assert len(inbox_files(centre, identity)) == 1


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_a_damaged_outbox_file_is_abandoned_and_its_contents_sent_again(
    tmp_path: Path, damage: str
) -> None:
    from intake_app.sync.device.errors import OutboxCopyDamaged
    from intake_app.sync.device.outbox import OutboxState
    from tests.helpers.device import manifest_of

    vault, centre, identity = enrolled(tmp_path)
    record = save_interview(vault)
    [bundle] = export_changes(vault).bundles
    path = Outbox(vault).files.path(bundle.name or "")
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes()[:-10])
    report = sync_once(vault, options=SyncOptions(export=ExportWhen.NEVER))
    assert [type(p) for p in report.problems] == [OutboxCopyDamaged]
    assert real_names(centre.share / "inbox" / identity.device_id) == []
    assert Outbox(vault).get(1).state is OutboxState.ABANDONED  # type: ignore[union-attr]
    [again] = export_changes(vault).bundles
    sent = copy_bundle(vault, again, prepare_inbox(centre.share, identity.device_id))
    manifest = manifest_of(sent, centre)
    assert manifest.abandoned_seqs == (1,) and [r.id for r in manifest.records] == [record]
