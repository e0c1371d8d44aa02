"""A full share (issue 14, finding 8) is said as such: the laptop kept the interview, so the
message never says a change was lost, and the bundle waits in the outbox for the next round."""

from __future__ import annotations

from pathlib import Path

from intake_app.errors import DiskFull
from intake_app.sync.device.export import export_changes
from intake_app.sync.device.outbox import Outbox
from intake_app.sync.device.round import sync_once
from intake_app.sync.errors import ShareFull, ShareWriteFailed
from tests.helpers.device import enrolled, random_bytes, real_names, save_interview
from tests.helpers.mounts import small_disk


def test_a_full_share_keeps_the_bundle_and_says_the_share_is_full(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    record_id = save_interview(vault, attachment=random_bytes(3_000_000))
    export_changes(vault)
    with small_disk(centre.share / "inbox", "1m") as inbox:
        report = sync_once(vault)
        assert report.uploaded == ()
        [problem] = [p for p in report.problems if isinstance(p, ShareWriteFailed)]
        assert type(problem) is ShareFull and not isinstance(problem, DiskFull)
        text = problem.translated()
        assert "is full" in text and "Nothing was lost" in text
        assert "not saved" not in text and "disk is full" not in text.lower()
        assert real_names(inbox / identity.device_id) == []  # no partial under a real name
    bundle = Outbox(vault).get(1)
    assert bundle is not None and bundle.uploaded is None  # still waiting to be sent
    assert vault.interviews.get(record_id)["id"] == record_id  # the laptop kept it
    vault.lock()
