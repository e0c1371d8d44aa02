"""Purge: delivered and unchanged interviews go after the retention period; nothing else does."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intake_app.errors import NotFound
from intake_app.storage import Vault
from intake_app.sync.device.export import export_changes
from intake_app.sync.device.identity import DeviceIdentity, load_device
from intake_app.sync.device.outbox import Outbox, OutboxState
from intake_app.sync.device.purge import (
    DEFAULT_RETENTION_DAYS,
    RetentionInvalid,
    purge_due,
    purge_schedule,
    retention_days,
    set_retention_days,
)
from intake_app.sync.device.receipts import collect_receipts
from intake_app.sync.device.transport import copy_bundle, prepare_inbox
from tests.helpers.bundles import CentreKeys
from tests.helpers.device import change_interview, enrolled, random_bytes, save_interview

RECEIVED = datetime(2026, 11, 28, 19, 0, 0, tzinfo=UTC)


def _deliver(vault: Vault, centre: CentreKeys, identity: DeviceIdentity) -> None:
    """Export, upload, and let the centre confirm everything that was sent."""
    export_changes(vault)
    inbox = prepare_inbox(centre.share, identity.device_id)
    for bundle in Outbox(vault).bundles((OutboxState.READY,)):
        centre.receipt_for(copy_bundle(vault, bundle, inbox), identity)
    collect_receipts(vault, load_device(vault), centre.share, "2026-11-28T19:00:00Z")


def _exists(vault: Vault, record_id: str) -> bool:
    try:
        vault.interviews.get(record_id)
    except NotFound:
        return False
    return True


def test_retention_setting_defaults_to_30_days_and_allows_never(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    assert retention_days(vault) == DEFAULT_RETENTION_DAYS == 30
    set_retention_days(vault, 7)
    assert retention_days(vault) == 7
    set_retention_days(vault, None)
    assert retention_days(vault) is None
    for bad in (-1, 10**9, True, 1.5):
        with pytest.raises(RetentionInvalid):
            set_retention_days(vault, bad)  # type: ignore[arg-type]
    assert retention_days(vault) is None


def test_delivered_interview_is_purged_after_the_retention_period(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    record = save_interview(vault, attachment=random_bytes(2000))
    _deliver(vault, centre, identity)
    [item] = purge_schedule(vault)
    assert (item.record_id, item.delivered) == (record, "2026-11-28T19:00:00Z")
    assert item.purge_after == "2026-12-28T19:00:00Z"
    assert purge_due(vault, RECEIVED + timedelta(days=29, hours=23)) == []
    assert _exists(vault, record)
    assert purge_due(vault, RECEIVED + timedelta(days=30)) == [record]
    assert not _exists(vault, record)
    assert vault.interviews.attachments(record) == []
    assert vault.check().ok  # the chain of hashes survives the purge
    assert purge_schedule(vault) == []


def test_never_keeps_everything(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    record = save_interview(vault)
    _deliver(vault, centre, identity)
    set_retention_days(vault, None)
    assert purge_schedule(vault) == []
    assert purge_due(vault, RECEIVED + timedelta(days=10_000)) == []
    assert _exists(vault, record)


def test_undelivered_interviews_are_never_purged(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    set_retention_days(vault, 0)
    never_sent = save_interview(vault)
    sent_no_receipt = save_interview(vault)
    export_changes(vault)
    inbox = prepare_inbox(centre.share, identity.device_id)
    for bundle in Outbox(vault).bundles():
        copy_bundle(vault, bundle, inbox)
    after_export = save_interview(vault)
    assert purge_schedule(vault) == []
    assert purge_due(vault, RECEIVED + timedelta(days=10_000)) == []
    assert all(_exists(vault, r) for r in (never_sent, sent_no_receipt, after_export))


@pytest.mark.parametrize("change", ["revision", "draft", "attachment"])
def test_interviews_changed_since_delivery_are_not_purged(tmp_path: Path, change: str) -> None:
    vault, centre, identity = enrolled(tmp_path)
    set_retention_days(vault, 0)
    changed = save_interview(vault)
    untouched = save_interview(vault)
    _deliver(vault, centre, identity)
    if change == "revision":
        change_interview(vault, changed, alias="New")
    elif change == "draft":
        vault.interviews.save_draft(vault.interviews.get(changed))
    else:
        vault.interviews.add_attachment(changed, io.BytesIO(b"late photo"), "image/jpeg",
                                        "late.jpg")
    assert [i.record_id for i in purge_schedule(vault)] == [untouched]
    assert purge_due(vault, RECEIVED + timedelta(days=1)) == [untouched]
    assert _exists(vault, changed)
    if change != "draft":
        # Once the change is delivered too, it may go.
        _deliver(vault, centre, identity)
        assert [i.record_id for i in purge_schedule(vault)] == [changed]


def test_a_rejected_bundle_delivers_nothing_to_purge(tmp_path: Path) -> None:
    from intake_app.sync.errors import Outcome, Reason

    vault, centre, identity = enrolled(tmp_path)
    set_retention_days(vault, 0)
    record = save_interview(vault)
    export_changes(vault)
    inbox = prepare_inbox(centre.share, identity.device_id)
    [bundle] = Outbox(vault).bundles()
    centre.receipt_for(copy_bundle(vault, bundle, inbox), identity, outcome=Outcome.REJECTED,
                       reason=Reason.INVALID_RECORD)
    collect_receipts(vault, load_device(vault), centre.share, "2026-11-28T19:00:00Z")
    assert purge_due(vault, RECEIVED + timedelta(days=100)) == []
    assert _exists(vault, record)
