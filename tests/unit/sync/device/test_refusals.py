"""What the centre refuses, receipts read again, and interviews that cannot go into a bundle.

A laptop (real vault) and a real centre (real centre vault, the real importer with a real form,
real keys) meet through a share folder in tmp, as in the field.
"""

from __future__ import annotations

import hashlib
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from intake_app.cli import main
from intake_app.i18n import set_language
from intake_app.storage import KdfParams, Vault
from intake_app.sync.centre.devices import RegisteredDevice, register_request
from intake_app.sync.centre.inbox import scan_inbox
from intake_app.sync.centre.release import approve_device
from intake_app.sync.centre.vault import Centre, profile_file
from intake_app.sync.device.enrol import accept_profile, enrolment_request, read_profile_file
from intake_app.sync.device.errors import (
    BundleRefusedInterviewKept,
    BundleRefusedSplit,
    InterviewsIncomplete,
    InterviewsNotExportable,
    InterviewsRefusedByCentre,
    InterviewsTooLarge,
)
from intake_app.sync.device.identity import load_device
from intake_app.sync.device.outbox import WAITING, Outbox, OutboxState
from intake_app.sync.device.receipts import collect_receipts
from intake_app.sync.device.refusals import refused_interviews
from intake_app.sync.device.round import SyncOptions, SyncReport, sync_once
from intake_app.sync.device.schema import COMPONENT, DEVICE_V1, DEVICE_V2, ensure_device_schema
from intake_app.sync.device.status import SyncState
from intake_app.sync.errors import Outcome, Reason, ReceiptProblem, ReceiptRejected
from intake_app.sync.share import receipt_path, write_share_file
from tests.helpers.bundles import CentreKeys as KitCentre
from tests.helpers.centre import make_centre
from tests.helpers.cli import close_log_handlers
from tests.helpers.device import (
    Clock,
    change_interview,
    enrolled,
    inbox_files,
    open_vault,
    random_bytes,
    revisions_delivered,
    save_interview,
)
from tests.helpers.documents import make_document
from tests.helpers.storage import PASSPHRASE

NOW = "2026-11-28T19:00:00Z"


@dataclass
class Field:
    """A laptop enrolled with a real centre that shares its folder."""

    vault: Vault
    centre: Centre
    device: RegisteredDevice
    clock: Clock

    def round(self) -> SyncReport:
        """One sync on the laptop, then the centre imports what arrived; five minutes pass."""
        report = sync_once(self.vault, clock=self.clock)
        scan_inbox(self.centre)
        self.clock.advance(minutes=5)
        return report

    def approve(self) -> None:
        approve_device(self.centre, self.device.device_id, self.device.fingerprint)


@pytest.fixture
def field(tmp_path: Path) -> Iterator[Field]:
    """The laptop's enrolment is registered at the centre but not approved yet."""
    centre = make_centre(tmp_path)
    vault = open_vault(tmp_path / "vault")
    accept_profile(vault, read_profile_file(profile_file(tmp_path / "centre-data")),
                   device_name="Laptop 7", worker="W-12")
    device = register_request(centre.vault, enrolment_request(vault))
    yield Field(vault, centre, device, Clock())
    if not vault.is_locked:
        vault.lock()
    centre.close()


def _save_unknown_form(vault: Vault) -> str:
    document = make_document()
    document["form_version"] = "2099.1"  # a form the centre does not know
    vault.interviews.save_revision(document)
    return str(document["id"])


# 1. Refused for the contents ---------------------------------------------------------------


def test_one_bad_interview_no_longer_keeps_the_others_from_being_delivered(
        field: Field, tmp_path: Path) -> None:
    field.approve()
    vault = field.vault
    good = [save_interview(vault), save_interview(vault, attachment=random_bytes(3000))]
    bad = save_interview(vault, attachment=random_bytes(2000), consent_interview="maybe")
    reports = [field.round() for _ in range(6)]
    for number, report in enumerate(reports):
        print(number, report.exported, report.status.state.value,
              [p.code for p in report.problems])
    seqs = [seq for report in reports for seq in report.exported]
    assert seqs == [1, 2, 3, 4]  # the refused bundle, then one bundle per interview
    assert isinstance(reports[1].problems[0], BundleRefusedSplit)
    assert "one per bundle" in reports[1].status.describe()
    assert {Outbox(vault).get(seq).state for seq in seqs[1:]} == {  # type: ignore[union-attr]
        OutboxState.DELIVERED, OutboxState.REFUSED}
    assert revisions_delivered(vault) == {good[0]: True, good[1]: True, bad: False}
    assert any(isinstance(p, BundleRefusedInterviewKept) for p in reports[3].problems)

    # Nothing is sent again and the status stays a problem, with what to do.
    for report in [field.round() for _ in range(3)]:
        assert report.exported == () and report.uploaded == ()
        assert report.status.state is SyncState.PROBLEM
        assert isinstance(report.status.problem, InterviewsRefusedByCentre)
        assert report.status.refused == 1 and report.status.as_dict()["refused"] == 1
        assert report.status.describe().startswith(
            "The centre refused 1 interview because of what it contains.")
        assert "corrected and saved again" in report.status.describe()
    assert Outbox(vault).bundles(WAITING) == []

    # Kept in the vault, with the centre's reason.
    vault.lock()
    vault = field.vault = Vault.unlock(tmp_path / "vault", PASSPHRASE)
    [refused] = refused_interviews(vault)
    assert (refused.record_id, refused.revision, refused.reason) == (bad, 1,
                                                                     Reason.INVALID_RECORD)

    # Saved again but still wrong: it goes alone once more and is refused again, no loop.
    change_interview(vault, bad, alias="B.")
    again = [field.round() for _ in range(4)]
    assert [seq for report in again for seq in report.exported] == [5]
    assert {item.record_id for item in Outbox(vault).carried(5)} == {bad}
    assert [(r.record_id, r.revision) for r in refused_interviews(vault)] == [(bad, 2)]

    # Corrected: it goes alone, is delivered, and the problem is gone.
    change_interview(vault, bad, consent_interview="yes")
    fixed = [field.round() for _ in range(3)]
    assert [seq for report in fixed for seq in report.exported] == [6]
    assert fixed[-1].status.state is SyncState.DELIVERED, fixed[-1].status.describe()
    assert fixed[-1].status.refused == 0
    assert all(revisions_delivered(vault).values())
    assert refused_interviews(vault) == []
    with vault.transaction() as conn:
        assert conn.execute("SELECT count(*) FROM device_refusal").fetchone()[0] == 0


def test_interviews_refused_alone_are_counted_with_plural_forms(field: Field) -> None:
    field.approve()
    vault = field.vault
    good = save_interview(vault)
    invalid = save_interview(vault, consent_interview="maybe")
    unknown = _save_unknown_form(vault)
    reports = [field.round() for _ in range(5)]
    assert [seq for report in reports for seq in report.exported] == [1, 2, 3, 4]
    assert revisions_delivered(vault) == {good: True, invalid: False, unknown: False}
    reasons = {r.record_id: r.reason for r in refused_interviews(vault)}
    assert reasons == {invalid: Reason.INVALID_RECORD, unknown: Reason.UNKNOWN_FORM}
    status = reports[-1].status
    assert status.state is SyncState.PROBLEM and status.refused == 2
    assert status.describe().startswith(
        "The centre refused 2 interviews because of what they contain. They stay")
    # Deleting a refused interview sends its tombstone alone; the centre takes it.
    vault.interviews.delete(unknown, "consent-withdrawn")
    after = [field.round() for _ in range(3)]
    assert [seq for report in after for seq in report.exported] == [5]
    assert [r.record_id for r in refused_interviews(vault)] == [invalid]
    assert after[-1].status.describe().startswith("The centre refused 1 interview because")


def test_a_refusal_for_the_bundle_itself_sends_the_contents_again_together(
        tmp_path: Path) -> None:
    """Not about the contents (here: signed with a key the centre does not know): the same
    contents go again in one new bundle, nothing is held back."""
    vault, kit_centre, identity = enrolled(tmp_path)
    ids = [save_interview(vault), save_interview(vault)]
    sync_once(vault)
    [bundle] = inbox_files(kit_centre, identity)
    kit_centre.receipt_for(bundle, identity, outcome=Outcome.REJECTED,
                           reason=Reason.UNKNOWN_DEVICE)
    bundle.unlink()
    sync_once(vault)  # the receipt
    report = sync_once(vault)
    assert report.exported == (2,)
    assert {i.record_id for i in Outbox(vault).carried(2) if i.kind == "record"} == set(ids)
    assert refused_interviews(vault) == []


def test_version_2_device_tables_are_upgraded(tmp_path: Path) -> None:
    vault, _code = Vault.create(tmp_path / "vault", PASSPHRASE, kdf=KdfParams.MINIMUM)
    try:
        vault.ensure_schema(COMPONENT, [DEVICE_V1, DEVICE_V2])
        ensure_device_schema(vault)
        assert (tmp_path / "vault" / "intake.db.bak-device-2-4").exists()
        with vault.transaction() as conn:
            assert conn.execute("SELECT count(*) FROM device_refusal").fetchone()[0] == 0
    finally:
        vault.lock()


# 2. A held bundle's receipt ----------------------------------------------------------------


def _vault_rows(vault: Vault) -> str:
    """Every row of every table, but the time the round last checked the share's forms (each
    round records it)."""
    digest = hashlib.sha256()
    with vault.transaction() as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                if table != "device_setting" or row[0] != "forms_checked":
                    digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_a_held_bundles_receipt_is_applied_once(field: Field, tmp_path: Path) -> None:
    vault = field.vault
    save_interview(vault)
    field.round()  # sent; the centre holds it until the laptop is approved
    first = sync_once(vault, clock=field.clock)
    assert [(r.seq, r.outcome) for r in first.receipts] == [(1, Outcome.QUARANTINED)]
    assert first.status.held == 1
    before = _vault_rows(vault)
    field.clock.advance(hours=5)
    second = sync_once(vault, clock=field.clock)
    assert second.receipts == ()
    assert second.status.last_receipt == first.status.last_receipt
    assert second.status.held == 1 and second.status.state is SyncState.WAITING
    assert _vault_rows(vault) == before  # nothing written (the forms' check aside)
    field.approve()  # the centre imports the held bundle and replaces its receipt
    third = sync_once(vault, clock=field.clock)
    assert [(r.seq, r.outcome) for r in third.receipts] == [(1, Outcome.ACCEPTED)]
    assert third.status.state is SyncState.DELIVERED
    assert third.status.last_receipt != first.status.last_receipt


# 3. A receipt read between the centre's two renames ----------------------------------------


def _half_replaced(field: Field) -> tuple[Path, bytes]:
    """A held receipt the laptop never read, replaced by the centre's release up to the
    `.minisig`: returns the receipt's path and the new receipt's bytes."""
    save_interview(field.vault)
    field.round()  # sent and held; the laptop does not look for the receipt
    path = receipt_path(field.centre.share, field.device.device_id, 1)
    held = path.read_bytes()
    field.approve()  # writes the new .minisig, then the new receipt
    released = path.read_bytes()
    assert released != held
    write_share_file(path, held)  # as between the two renames
    return path, released


def test_a_receipt_read_between_the_centres_two_renames_is_read_again(field: Field) -> None:
    path, released = _half_replaced(field)
    pauses: list[int] = []

    def the_centre_finishes() -> None:
        pauses.append(1)
        write_share_file(path, released)

    [result] = collect_receipts(field.vault, load_device(field.vault), field.centre.share, NOW,
                                pause=the_centre_finishes)
    assert pauses == [1]
    assert result.problem is None and result.outcome is Outcome.ACCEPTED
    assert all(revisions_delivered(field.vault).values())


def test_a_receipt_that_stays_bad_says_what_happens(field: Field) -> None:
    _path, _released = _half_replaced(field)
    pauses: list[int] = []
    [result] = collect_receipts(field.vault, load_device(field.vault), field.centre.share, NOW,
                                pause=lambda: pauses.append(1))
    assert pauses == [1]  # read once more before it counts as bad
    assert isinstance(result.problem, ReceiptRejected)
    assert result.problem.problem is ReceiptProblem.BAD_SIGNATURE
    text = result.problem.translated()
    assert "sent again" not in text and "stays on this laptop" in text
    assert "at the next sync" in text
    bundle = Outbox(field.vault).get(1)
    assert bundle is not None and bundle.state is OutboxState.READY  # as the message says
    assert Outbox(field.vault).files.size(str(bundle.name)) == bundle.size
    assert not any(revisions_delivered(field.vault).values())


# 4. Interviews that cannot go into any bundle ----------------------------------------------


def test_too_large_and_incomplete_interviews_are_told_apart(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    save_interview(vault, attachment=random_bytes(400_000))
    report = sync_once(vault, options=SyncOptions(max_bundle_size=300_000))
    [problem] = report.problems
    assert isinstance(problem, InterviewsTooLarge) and problem.code == "interviews-too-large"
    assert problem.translated() == (
        "1 saved interview is too large to send to the centre, even in a bundle of its own. "
        "Remove one of its attachments, or replace it with a smaller file; until then it stays "
        "on this laptop.")
    assert report.status.describe() == problem.translated()

    save_interview(vault, attachment=random_bytes(400_000))
    incomplete = make_document()
    del incomplete["created"]  # the store keeps it; no bundle may carry it
    vault.interviews.save_revision(incomplete)
    report = sync_once(vault, options=SyncOptions(max_bundle_size=300_000))
    assert [p.code for p in report.problems] == ["interviews-too-large", "interviews-incomplete"]
    too_large, lacking = report.problems
    assert all(isinstance(p, InterviewsNotExportable) for p in report.problems)
    assert too_large.translated().startswith("2 saved interviews are too large to send")
    assert "attachment" in too_large.translated()
    assert lacking.translated().startswith(
        "1 saved interview cannot be sent because it is incomplete")
    assert "missing required fields" not in too_large.translated()


@pytest.mark.parametrize(("error", "singular", "plural"), [
    (InterviewsRefusedByCentre, "The centre refused 1 interview because of what it contains.",
     "The centre refused 2 interviews because of what they contain."),
    (InterviewsTooLarge, "1 saved interview is too large", "2 saved interviews are too large"),
    (InterviewsIncomplete, "1 saved interview cannot be sent because it is",
     "2 saved interviews cannot be sent because they are"),
])
def test_counted_messages_have_a_singular_and_a_plural(
        error: type[InterviewsTooLarge], singular: str, plural: str) -> None:
    set_language("en")
    assert error(1).translated().startswith(singular)
    assert error(2).translated().startswith(plural)
    assert str(error(2)) == error(2).translated()  # the English text in logs: the plural


def test_export_to_a_folder_names_a_too_large_interview(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    vault = open_vault(data / "vault")
    kit_centre = KitCentre.make(tmp_path)
    accept_profile(vault, read_profile_file(kit_centre.profile_path), device_name="Laptop 7",
                   worker="W-12")
    save_interview(vault, attachment=random_bytes(1_200_000))
    vault.lock()
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    try:
        code = main(["--data-dir", str(data), "export", "--to", str(tmp_path / "usb"),
                     "--max-size", "1"])
    finally:
        close_log_handlers()
    _out, err = capsys.readouterr()
    assert code != 0
    assert "1 saved interview is too large to send" in err
    assert "missing required fields" not in err
