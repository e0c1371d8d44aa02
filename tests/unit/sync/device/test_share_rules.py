"""The laptop reads and writes the share by its rules (issue 14, findings 1 and 2).

Another laptop can plant links and FIFOs on the share: a link never leads a laptop's write
into its own vault, and a FIFO where a receipt's signature should be never stops its sync.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from intake_app.storage import Vault
from intake_app.sync.device.round import SyncOptions
from intake_app.sync.device.status import SyncState, SyncStatus
from intake_app.sync.device.watcher import ShareWatcher
from intake_app.sync.format.spec import bundle_name
from tests.helpers.device import Clock, enrolled, inbox_files, real_names, save_interview
from tests.helpers.storage import PASSPHRASE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs")
LIMIT = 20


def _within(seconds: float, action: Callable[[], Any]) -> Any:
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


def test_links_planted_in_the_inbox_never_reach_the_laptops_own_vault(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    record_id = save_interview(vault)
    folder = tmp_path / "vault"
    keys_before = (folder / "vault.json").read_bytes()
    inbox = centre.share / "inbox" / identity.device_id
    inbox.mkdir(parents=True)
    name = bundle_name(identity.device_id, 1)
    # Where the old code wrote its partial file (a fixed name), and the names around it.
    (inbox / f".{name}.partial").symlink_to(folder / "intake.db")
    (inbox / f".{name}.minisig.partial").symlink_to(folder / "vault.json")
    status = _within(LIMIT, lambda: ShareWatcher(vault, clock=Clock()).check_once())
    assert status.state is SyncState.WAITING  # sent; the links were left alone
    assert real_names(inbox) == [name]
    assert (inbox / f".{name}.partial").is_symlink()
    assert (folder / "vault.json").read_bytes() == keys_before
    vault.lock()
    assert not (folder / "intake.db").read_bytes().startswith(b"PK")
    again = Vault.unlock(folder, PASSPHRASE)
    try:
        assert again.interviews.get(record_id)["id"] == record_id
    finally:
        again.lock()


def test_a_link_at_the_bundles_own_name_is_a_problem_and_the_vault_is_untouched(
        tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    record_id = save_interview(vault)
    folder = tmp_path / "vault"
    keys_before = (folder / "vault.json").read_bytes()
    inbox = centre.share / "inbox" / identity.device_id
    inbox.mkdir(parents=True)
    (inbox / bundle_name(identity.device_id, 1)).symlink_to(folder / "vault.json")
    status = _within(LIMIT, lambda: ShareWatcher(vault, clock=Clock()).check_once())
    assert status.state is SyncState.PROBLEM and status.problem is not None
    assert status.problem.code == "share-target-not-a-file"
    assert (folder / "vault.json").read_bytes() == keys_before
    vault.lock()
    again = Vault.unlock(folder, PASSPHRASE)
    try:
        assert again.interviews.get(record_id)["id"] == record_id
    finally:
        again.lock()


def test_a_fifo_signature_in_the_receipts_does_not_stop_the_sync_round(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    watcher = ShareWatcher(vault, options=SyncOptions(), clock=Clock())
    assert watcher.check_once().state is SyncState.WAITING
    [bundle] = inbox_files(centre, identity)
    receipt = centre.receipt_for(bundle, identity)
    signature = receipt.with_name(receipt.name + ".minisig")
    good_signature = signature.read_bytes()
    signature.unlink()
    os.mkfifo(signature)
    status: SyncStatus = _within(LIMIT, watcher.check_once)
    assert status.state is SyncState.WAITING  # no receipt counted; nothing else went wrong
    assert signature.exists() and not signature.is_file()  # left where it is
    signature.unlink()
    signature.write_bytes(good_signature)
    assert _within(LIMIT, watcher.check_once).state is SyncState.DELIVERED


def test_a_receipt_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    watcher = ShareWatcher(vault, clock=Clock())
    watcher.check_once()
    [bundle] = inbox_files(centre, identity)
    receipt = centre.receipt_for(bundle, identity)
    kept = tmp_path / "kept-receipt.json"
    os.replace(receipt, kept)
    receipt.symlink_to(kept)  # a valid receipt, but reached through a link
    assert _within(LIMIT, watcher.check_once).state is SyncState.WAITING


def test_an_inbox_folder_planted_as_a_link_is_not_written_into(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    (centre.share / "inbox").mkdir(exist_ok=True)
    (centre.share / "inbox" / identity.device_id).symlink_to(tmp_path / "vault")
    status = _within(LIMIT, lambda: ShareWatcher(vault, clock=Clock()).check_once())
    assert status.problem is not None and status.problem.code == "share-target-not-a-file"
    written = [p.name for p in (tmp_path / "vault").iterdir()
               if p.name.endswith((".ibundle", ".partial"))]
    assert written == []  # the bundle went nowhere near the vault's folder
