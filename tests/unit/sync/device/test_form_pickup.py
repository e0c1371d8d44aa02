"""The laptop picks up the centre's forms from a real share folder: verified before anything is
parsed, every version kept, states following the latest verified index; anything wrong is
refused, logged once, and changes nothing."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import minisign
import pytest

from intake_app.domain.registry import FormRegistry
from intake_app.services.form_versions import (
    combined_registry,
    list_versions,
    read_vault_forms,
)
from intake_app.storage import Vault
from intake_app.sync.device import form_pickup
from intake_app.sync.device.form_pickup import FormPickup, pick_up_forms
from intake_app.sync.device.form_store import (
    FormSource,
    PickupProblem,
    forms_checked,
    package_sha256,
    read_problem,
    seen_index,
    stored_forms,
)
from intake_app.sync.device.identity import load_device
from intake_app.sync.device.round import ExportWhen, SyncOptions, sync_once
from intake_app.sync.device.schema import (
    COMPONENT,
    DEVICE_V1,
    DEVICE_V2,
    DEVICE_V3,
    ensure_device_schema,
)
from intake_app.sync.device.status import SyncState
from intake_app.sync.format.form_package import MAX_PACKAGE_SIZE, FormState, package_name
from intake_app.sync.format.spec import SIGNATURE_SUFFIX
from tests.helpers.bundles import CentreKeys
from tests.helpers.device import Clock, enrolled, open_vault, save_interview
from tests.helpers.documents import make_document
from tests.helpers.form_share import FormShare, new_version, shipped_definition
from tests.helpers.storage import PASSPHRASE, new_vault

NOW = "2026-12-02T08:00:00Z"
LATER = "2026-12-02T09:00:00Z"


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Vault, CentreKeys, FormShare]]:
    vault, centre, _identity = enrolled(tmp_path)
    try:
        yield vault, centre, FormShare(centre, centre.share)
    finally:
        vault.lock()


def _pick(vault: Vault, centre: CentreKeys, now: str = NOW) -> FormPickup:
    return pick_up_forms(vault, load_device(vault), centre.share, now, pause=lambda: None)


def _held(vault: Vault) -> list[tuple[str, str, str, str]]:
    return [(f.form_id, f.version, f.state.value, f.source.value) for f in stored_forms(vault)]


def read_problem_of(vault: Vault) -> PickupProblem | None:
    with vault.reading() as conn:
        return read_problem(conn)


def _refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("forms: refused")]


def _assert_refused_once(
    vault: Vault,
    centre: CentreKeys,
    caplog: pytest.LogCaptureFixture,
    code: str,
    before: list[tuple[str, str, str, str]],
    checked: str | None,
) -> None:
    """Refused with `code` in two rounds, logged once, and nothing changed in the vault."""
    with caplog.at_level(logging.WARNING, logger="intake"):
        first = _pick(vault, centre, LATER)
        second = _pick(vault, centre, LATER)
    assert first == second == FormPickup(refused=code)
    assert len(_refusals(caplog)) == 1, _refusals(caplog)
    assert _held(vault) == before
    assert forms_checked(vault) == checked


def test_nothing_published_is_a_check_without_change(setup) -> None:  # type: ignore[no-untyped-def]
    vault, centre, _forms = setup
    assert forms_checked(vault) is None
    assert _pick(vault, centre) == FormPickup(checked=NOW)
    assert _held(vault) == []
    assert forms_checked(vault) == NOW


def test_a_new_version_is_kept_with_its_bytes_and_its_state_follows_the_index(setup) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    entry = forms.publish(new_version("2026.3"))
    result = _pick(vault, centre)
    assert result == FormPickup(NOW, (("intake-fi", "2026.3"),), changed=True)
    [kept] = stored_forms(vault)
    assert (kept.form_id, kept.version, kept.state, kept.source) == (
        "intake-fi",
        "2026.3",
        FormState.CURRENT,
        FormSource.SHARE,
    )
    assert kept.data == (forms.folder / entry.file_name).read_bytes()
    assert kept.sha256 == entry.sha256 and kept.received == NOW
    # The same index again: nothing new, nothing read but the index.
    assert _pick(vault, centre, LATER) == FormPickup(LATER)
    assert forms_checked(vault) == LATER
    # Retired, then a newer one published: states follow the latest index.
    forms.set_state("intake-fi", "2026.3", FormState.RETIRED)
    assert _pick(vault, centre).changed
    assert _held(vault) == [("intake-fi", "2026.3", "retired", "share")]
    forms.publish(new_version("2026.4", label="Alias (2026.4)"))
    assert _pick(vault, centre).received == (("intake-fi", "2026.4"),)
    assert _held(vault) == [
        ("intake-fi", "2026.3", "retired", "share"),
        ("intake-fi", "2026.4", "current", "share"),
    ]


def test_a_version_no_longer_listed_is_retired_but_kept(setup) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    _pick(vault, centre)
    forms.entries.clear()
    forms.write_index()
    assert _pick(vault, centre).changed
    assert _held(vault) == [("intake-fi", "2026.3", "retired", "share")]


def test_a_shipped_version_listed_with_its_own_bytes_takes_the_index_state(setup) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    entry = forms.publish(shipped_definition("2026.2"), FormState.RETIRED)
    text = (Path(__file__).parents[4] / "resources" / "forms" / "intake-fi_2026.2.json").read_text()
    assert entry.sha256 == package_sha256(text)
    result = _pick(vault, centre)
    assert result.received == () and result.changed
    [row] = stored_forms(vault)
    assert (row.source, row.state, row.data) == (FormSource.SHIPPED, FormState.RETIRED, None)


def test_a_shipped_version_no_interview_uses_is_replaced_by_the_centres_bytes(setup) -> None:  # type: ignore[no-untyped-def]
    """The centre publishes a version number this build also ships, with other contents: no
    interview here uses the shipped one yet, so the received, signed version is kept and used
    in its place (the centre judges records of that version by its own)."""
    vault, centre, forms = setup
    entry = forms.publish(new_version("2026.2", label="Changed after shipping"))
    result = _pick(vault, centre)
    assert result == FormPickup(NOW, (("intake-fi", "2026.2"),), changed=True)
    [row] = stored_forms(vault)
    assert (row.source, row.sha256) == (FormSource.SHARE, entry.sha256)
    assert row.data == (forms.folder / entry.file_name).read_bytes()
    found = read_vault_forms(vault)
    registry = combined_registry(FormRegistry.load(), found.forms)
    assert registry.get("intake-fi", "2026.2") is found.forms[0]  # not the shipped one
    listed = {v.version: v for v in list_versions(FormRegistry.load(), found).versions}
    assert (listed["2026.2"].source, listed["2026.2"].received) == ("share", NOW)
    assert read_problem_of(vault) is None


@pytest.mark.parametrize("kept", ["saved", "draft"])
def test_a_shipped_version_in_use_is_left_out_and_every_other_entry_taken(
    setup, caplog, kept: str  # type: ignore[no-untyped-def]
) -> None:
    """An interview (saved, or only a draft) already uses the shipped version: that one entry
    is left out, logged once and kept as the problem; the rest of the index is taken."""
    vault, centre, forms = setup
    document = make_document(revision=0)  # intake-fi 2026.1, as shipped
    if kept == "saved":
        vault.interviews.save_revision(document)
    else:
        vault.interviews.save_draft(document)
    forms.publish(new_version("2026.1", base=shipped_definition("2026.1")), write_index=False)
    forms.publish(new_version("2026.3"))
    with caplog.at_level(logging.WARNING, logger="intake"):
        first = _pick(vault, centre)
        second = _pick(vault, centre, LATER)
    left_out = ((("intake-fi", "2026.1"), "built-in-in-use"),)
    assert first == FormPickup(NOW, (("intake-fi", "2026.3"),), changed=True, skipped=left_out)
    assert second == FormPickup(LATER, skipped=left_out)
    assert _refusals(caplog) == [
        "forms: refused intake-fi_2026.1.json (built-in-in-use); nothing changed"
    ]
    assert _held(vault) == [("intake-fi", "2026.3", "current", "share")]
    assert read_problem_of(vault) == PickupProblem("built-in-in-use", "intake-fi_2026.1.json", NOW)
    # The index was taken: a newer one is, too, and still leaves that entry out.
    forms.set_state("intake-fi", "2026.3", FormState.RETIRED)
    assert _pick(vault, centre).skipped == left_out
    assert _held(vault) == [("intake-fi", "2026.3", "retired", "share")]


def test_a_version_held_with_other_bytes_is_refused(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    _pick(vault, centre)
    before = _held(vault)
    # The centre "changes" a published version (and retires it, and adds another): all refused.
    forms.publish(
        new_version("2026.3", label="Changed after publishing"),
        FormState.RETIRED,
        write_index=False,
    )
    forms.publish(new_version("2026.4"))
    _assert_refused_once(vault, centre, caplog, "held-other-bytes", before, NOW)


def test_a_foreign_signature_is_refused(setup, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, _forms = setup
    stranger = FormShare(CentreKeys.make(tmp_path / "other"), centre.share)
    stranger.centre.profile = centre.profile  # the right centre id, another key
    stranger.publish(new_version("2026.3"))
    _assert_refused_once(vault, centre, caplog, "bad-signature", [], None)


def test_a_package_with_a_foreign_signature_is_refused(setup, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    entry = forms.publish(new_version("2026.3"))
    other = CentreKeys.make(tmp_path / "other")
    path = forms.folder / entry.file_name
    sig = other.keys.receipt.secret_key.sign(
        path.read_bytes(), prehash=True, trusted_comment="intake-form v1 forged"
    )
    path.with_name(path.name + SIGNATURE_SUFFIX).write_bytes(bytes(sig) + b"\n")
    _assert_refused_once(vault, centre, caplog, "bad-signature", [], None)


def test_a_legacy_signature_is_refused(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    entry = forms.publish(new_version("2026.3"))
    path = forms.folder / entry.file_name
    good = minisign.Signature.from_bytes(path.with_name(path.name + SIGNATURE_SUFFIX).read_bytes())
    legacy = centre.keys.receipt.secret_key.sign(
        path.read_bytes(), prehash=False, trusted_comment=str(good.trusted_comment)
    )
    path.with_name(path.name + SIGNATURE_SUFFIX).write_bytes(bytes(legacy) + b"\n")
    _assert_refused_once(vault, centre, caplog, "bad-signature", [], None)


def test_a_damaged_index_is_refused(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    index = forms.folder / "index.json"
    index.write_bytes(index.read_bytes().replace(b'"current"', b'"retired"'))
    _assert_refused_once(vault, centre, caplog, "bad-signature", [], None)


def test_an_index_naming_a_missing_file_is_refused(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    _pick(vault, centre)
    before = _held(vault)
    entry = forms.publish(new_version("2026.4"))
    (forms.folder / entry.file_name).unlink()
    _assert_refused_once(vault, centre, caplog, "missing", before, NOW)


def test_a_missing_signature_is_refused(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    entry = forms.publish(new_version("2026.3"))
    (forms.folder / (entry.file_name + SIGNATURE_SUFFIX)).unlink()
    _assert_refused_once(vault, centre, caplog, "missing-signature", [], None)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_in_forms_is_refused(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    entry = forms.publish(new_version("2026.3"))
    path = forms.folder / entry.file_name
    path.unlink()
    os.mkfifo(path)  # a read would block for ever: it is never opened to read
    _assert_refused_once(vault, centre, caplog, "not-a-file", [], None)


def test_a_symlink_in_forms_is_refused(setup, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    entry = forms.publish(new_version("2026.3"))
    path = forms.folder / entry.file_name
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)  # the right bytes, through a link: still refused
    _assert_refused_once(vault, centre, caplog, "not-a-file", [], None)


def test_a_forms_folder_that_is_a_link_is_refused(setup, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    real = tmp_path / "real-forms"
    forms.folder.rename(real)
    forms.folder.symlink_to(real, target_is_directory=True)
    _assert_refused_once(vault, centre, caplog, "not-a-file", [], None)


def test_an_oversized_package_is_refused_without_reading_more(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    entry = forms.publish(new_version("2026.3"))
    with open(forms.folder / entry.file_name, "ab") as handle:
        handle.truncate(MAX_PACKAGE_SIZE + 10)
    _assert_refused_once(vault, centre, caplog, "too-large", [], None)


def test_an_older_index_put_back_is_refused(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    old = (
        (forms.folder / "index.json").read_bytes(),
        (forms.folder / "index.json.minisig").read_bytes(),
    )
    forms.set_state("intake-fi", "2026.3", FormState.RETIRED)
    _pick(vault, centre)
    before = _held(vault)
    (forms.folder / "index.json.minisig").write_bytes(old[1])
    (forms.folder / "index.json").write_bytes(old[0])
    _assert_refused_once(vault, centre, caplog, "older-index", before, NOW)


def test_other_bytes_under_the_same_serial_are_refused(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    _pick(vault, centre)
    before = _held(vault)
    forms.write_index([], serial=forms.serial)
    _assert_refused_once(vault, centre, caplog, "serial-reused", before, NOW)


def test_an_index_read_between_the_centres_two_renames_is_read_again(setup) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    index = forms.folder / "index.json"
    new_data = forms.write_index().data
    index.write_bytes(b'{"stale": true}')  # the new signature is in place, the index not yet
    paused: list[int] = []

    def pause() -> None:
        paused.append(1)
        index.write_bytes(new_data)  # the centre's second rename

    result = pick_up_forms(vault, load_device(vault), centre.share, NOW, pause=pause)
    assert paused == [1] and result.received == (("intake-fi", "2026.3"),)


def test_the_stored_versions_cannot_be_changed_or_removed(setup) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    _pick(vault, centre)
    for statement in (
        "UPDATE device_form SET data = x'00'",
        "UPDATE device_form SET sha256 = 'x'",
        "DELETE FROM device_form",
    ):
        with pytest.raises(Exception, match=r"never changes|stays"), vault.transaction() as conn:
            conn.execute(statement)
    assert _held(vault) == [("intake-fi", "2026.3", "current", "share")]


def test_package_names_match_the_spec() -> None:
    assert package_name("intake-fi", "2026.3") == "intake-fi_2026.3.json"


def test_a_sync_round_picks_forms_up_and_a_refusal_never_stops_the_interviews(setup) -> None:  # type: ignore[no-untyped-def]
    vault, _centre, forms = setup
    save_interview(vault)
    forms.publish(new_version("2026.3"))
    report = sync_once(vault, options=SyncOptions(export=ExportWhen.ALWAYS), clock=Clock())
    assert report.uploaded == (1,) and report.forms is not None
    assert report.forms.received == (("intake-fi", "2026.3"),)
    assert report.as_dict()["forms"]["received"] == [{"id": "intake-fi", "version": "2026.3"}]
    # A bad package next time: the interviews still go, the round shows no problem for it.
    entry = forms.publish(new_version("2026.4"))
    (forms.folder / entry.file_name).write_bytes(b"{}")
    save_interview(vault)
    report = sync_once(vault, options=SyncOptions(export=ExportWhen.ALWAYS), clock=Clock())
    assert report.uploaded == (2,) and report.problems == ()
    assert report.forms is not None and report.forms.refused == "bad-signature"
    assert _held(vault) == [("intake-fi", "2026.3", "current", "share")]


def test_a_laptop_away_from_the_share_keeps_its_forms(setup) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    report = sync_once(vault, options=SyncOptions(share=centre.share.parent / "unplugged"))
    assert report.status.state is SyncState.OFFLINE and report.forms is None
    assert _held(vault) == [] and forms_checked(vault) is None


def test_a_laptop_not_enrolled_does_nothing_with_forms(tmp_path: Path) -> None:
    vault = open_vault(tmp_path / "vault")
    try:
        report = sync_once(vault)
        assert report.status.state is SyncState.NOT_ENROLLED and report.forms is None
        assert stored_forms(vault) == [] and forms_checked(vault) is None
    finally:
        vault.lock()


def test_version_3_device_tables_are_upgraded(tmp_path: Path) -> None:
    vault = new_vault(tmp_path / "vault")
    try:
        vault.ensure_schema(COMPONENT, [DEVICE_V1, DEVICE_V2, DEVICE_V3])
        ensure_device_schema(vault)
        assert (tmp_path / "vault" / "intake.db.bak-device-3-4").exists()
        assert stored_forms(vault) == [] and forms_checked(vault) is None
    finally:
        vault.lock()


def test_a_vault_locked_during_the_pickup_ends_the_round_without_a_bug(
    setup, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    """Locking while the round reads the forms (the worker pressed Lock, the window closed)
    ends the round as a lock ends every other step: VaultLocked, not a logged bug."""
    import intake_app.sync.device.round as round_module
    from intake_app.errors import VaultLocked

    vault, _centre, forms = setup
    forms.publish(new_version("2026.3"))
    real = round_module.pick_up_forms

    def locked_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        vault.lock()
        return real(*args, **kwargs)

    monkeypatch.setattr(round_module, "pick_up_forms", locked_meanwhile)
    with pytest.raises(VaultLocked):
        sync_once(vault, clock=Clock())


def test_a_full_disk_during_the_pickup_is_a_problem_of_the_round_not_a_bug(
    setup, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    """The vault's known errors while the forms are stored reach the round's problems (the
    worker sees "the disk is full"), and the interviews still went."""
    import intake_app.sync.device.round as round_module
    from intake_app.errors import DiskFull

    vault, _centre, forms = setup
    save_interview(vault)
    forms.publish(new_version("2026.3"))

    def disk_full(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise DiskFull()

    monkeypatch.setattr(round_module, "pick_up_forms", disk_full)
    report = sync_once(vault, options=SyncOptions(export=ExportWhen.ALWAYS), clock=Clock())
    assert report.uploaded == (1,)
    assert [type(problem) for problem in report.problems] == [DiskFull]


class _Meanwhile:
    """Another process (its own `Vault` on the same file) acting while this pickup reads a
    package from the share: between the pickup's first look and the transaction that stores."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, act: Callable[[], object]) -> None:
        self.act, self.done = act, False
        self.real = form_pickup.verify_package
        monkeypatch.setattr(form_pickup, "verify_package", self.verify_package)

    def verify_package(self, *args: Any, **kwargs: Any) -> Any:
        if not self.done:
            self.done = True
            self.act()
        return self.real(*args, **kwargs)


@pytest.fixture
def other(setup) -> Iterator[Vault]:  # type: ignore[no-untyped-def]
    """The same vault file opened a second time, as `intake-app sync` does beside the window."""
    vault = Vault.unlock(setup[0].folder, PASSPHRASE)
    try:
        yield vault
    finally:
        vault.lock()


def test_a_version_another_process_took_meanwhile_is_not_taken_twice(  # type: ignore[no-untyped-def]
    setup, other: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))
    taken: list[FormPickup] = []
    _Meanwhile(monkeypatch, lambda: taken.append(_pick(other, centre)))
    assert _pick(vault, centre, LATER) == FormPickup(LATER)  # nothing left for it to take
    assert taken == [FormPickup(NOW, (("intake-fi", "2026.3"),), changed=True)]
    assert _held(vault) == [("intake-fi", "2026.3", "current", "share")]
    assert forms_checked(vault) == LATER


def test_an_index_older_than_one_taken_meanwhile_changes_nothing(  # type: ignore[no-untyped-def]
    setup, other: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This pickup read serial 1; meanwhile the centre wrote serial 2 (2026.3 retired, 2026.4
    new) and the other process took it. Serial 1 must not bring 2026.3 back or retire 2026.4."""
    vault, centre, forms = setup
    forms.publish(new_version("2026.3"))

    def newer_taken() -> None:
        forms.set_state("intake-fi", "2026.3", FormState.RETIRED)
        forms.publish(new_version("2026.4", label="Alias (2026.4)"))
        _pick(other, centre)

    _Meanwhile(monkeypatch, newer_taken)
    result = _pick(vault, centre, LATER)
    assert result.refused is None and result.received == ()
    assert _held(vault) == [
        ("intake-fi", "2026.3", "retired", "share"),
        ("intake-fi", "2026.4", "current", "share"),
    ]
    with vault.reading() as conn:
        assert seen_index(conn) is not None and seen_index(conn).serial == 3  # type: ignore[union-attr]
    assert forms_checked(vault) == NOW and read_problem_of(vault) is None


def test_an_interview_started_meanwhile_on_the_shipped_version_keeps_it(  # type: ignore[no-untyped-def]
    setup, other: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No interview used the shipped 2026.1 at the first look, so the centre's 2026.1 was read;
    the worker saved one on it before the pickup stored: that entry is left out, not stored."""
    vault, centre, forms = setup
    forms.publish(new_version("2026.1", base=shipped_definition("2026.1")), write_index=False)
    forms.publish(new_version("2026.3"))
    _Meanwhile(monkeypatch, lambda: other.interviews.save_revision(make_document(revision=0)))
    result = _pick(vault, centre)
    assert result.skipped == ((("intake-fi", "2026.1"), "built-in-in-use"),)
    assert result.received == (("intake-fi", "2026.3"),)
    assert _held(vault) == [("intake-fi", "2026.3", "current", "share")]


def test_a_refusal_is_kept_as_the_last_problem_until_a_pickup_takes_everything(setup) -> None:  # type: ignore[no-untyped-def]
    vault, centre, forms = setup
    entry = forms.publish(new_version("2026.3"))
    signature = forms.folder / (entry.file_name + SIGNATURE_SUFFIX)
    kept = signature.read_bytes()
    signature.unlink()
    assert _pick(vault, centre).refused == "missing-signature"
    problem = PickupProblem("missing-signature", "intake-fi_2026.3.json", NOW)
    assert read_problem_of(vault) == problem
    assert _pick(vault, centre, LATER).refused == "missing-signature"
    assert read_problem_of(vault) == problem  # the same problem: since when it was first seen
    signature.write_bytes(kept)
    assert _pick(vault, centre, LATER).received == (("intake-fi", "2026.3"),)
    assert read_problem_of(vault) is None


def test_the_forms_and_the_receipts_wait_the_same_pause_before_reading_again() -> None:
    from intake_app.sync.device import receipts, share_pause

    for reader in (pick_up_forms, receipts.collect_receipts, receipts.take_receipt):
        assert reader.__kwdefaults__["pause"] is share_pause.reread_pause
