"""The worker's list says which interview the centre refused (kept until corrected).

A real laptop vault and a real centre (its importer and form registry) meet in a share folder;
the centre does not know the interview's form version, so it refuses the bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.sync.centre.devices import register_request
from intake_app.sync.centre.inbox import scan_inbox
from intake_app.sync.centre.release import approve_device
from intake_app.sync.centre.vault import profile_file
from intake_app.sync.device.enrol import accept_profile, enrolment_request, read_profile_file
from intake_app.sync.device.round import sync_once
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.ui.interview_model import DELIVERED, ID_ROLE
from intake_app.ui.worker.interview_list import InterviewList
from tests.helpers.centre import make_centre
from tests.helpers.device import Clock
from tests.helpers.documents import make_document
from tests.helpers.ui import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


def test_the_list_marks_an_interview_the_centre_refused(tmp_path: Path, qtbot: QtBot) -> None:
    centre = make_centre(tmp_path)
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM)
    try:
        service.create_vault("several words for the refusal").result(timeout=60)

        def enrol(vault: Any) -> Any:
            ensure_device_schema(vault)
            accept_profile(vault, read_profile_file(profile_file(tmp_path / "centre-data")),
                           device_name="Laptop 7", worker="W-12")
            return register_request(centre.vault, enrolment_request(vault))

        device = service.run(enrol).result(timeout=60)
        approve_device(centre, device.device_id, device.fingerprint)
        good, bad = make_document(alias="Good"), make_document(alias="Unknown form")
        bad["form_version"] = "2099.1"  # the centre does not know this form
        service.run(lambda vault: vault.interviews.save_revision(bad)).result(timeout=30)
        clock = Clock()
        for _ in range(3):
            service.run(lambda vault: sync_once(vault, clock=clock)).result(timeout=60)
            scan_inbox(centre)
            clock.advance(minutes=5)
        service.run(lambda vault: vault.interviews.save_revision(good)).result(timeout=30)
        listing = InterviewList(service)
        qtbot.addWidget(listing)
        listing.reload()
        qtbot.waitUntil(lambda: not listing.is_reading(), timeout=5000)
        shown = {listing.model.data(listing.model.index(row, 0), ID_ROLE):
                 listing.model.data(listing.model.index(row, DELIVERED))
                 for row in range(listing.model.rowCount())}
        assert shown == {bad["id"]: "Refused by the centre", good["id"]: "No"}
    finally:
        service.shutdown()
        centre.close()
