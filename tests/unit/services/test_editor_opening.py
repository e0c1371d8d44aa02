"""What the editor opens with is read in one go on the vault thread: the document (its draft
first), the place it was left at, the second language, who records, and where a finished
interview stands with the centre."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.errors import NotFound, VaultLocked
from intake_app.services import editor_memory
from intake_app.services.editor_memory import EditorPlace, SecondLanguage
from intake_app.services.editor_opening import Standing, read_for_editor
from intake_app.services.interview_defaults import Enrolled
from intake_app.services.worker import WorkerService
from intake_app.storage import Vault
from intake_app.sync.device.enrol import accept_profile, read_profile_file
from intake_app.sync.device.schema import ensure_device_schema
from tests.helpers.bundles import CentreKeys
from tests.helpers.documents import make_document
from tests.helpers.ui import opened_service


@pytest.fixture
def service(tmp_path: Path) -> Iterator[WorkerService]:
    with opened_service(tmp_path) as opened:
        yield opened


def test_a_new_interview_starts_empty_with_nothing_remembered(service: WorkerService) -> None:
    start = read_for_editor(service, None).result(timeout=30)
    assert start.new and start.document["status"] == "draft"
    assert start.document["form"] == service.forms.current_form().id
    assert start.document["answers"] == {}
    assert (start.place, start.second, start.enrolled, start.standing) == (
        None, SecondLanguage(), Enrolled(), None
    )


def test_a_draft_opens_with_its_place_and_the_second_language(service: WorkerService) -> None:
    document = make_document(revision=0, status="draft", alias="Fictional Draft")
    record_id = document["id"]
    service.save_draft(document).result(timeout=30)
    editor_memory.prepare(service).result(timeout=30)
    place = EditorPlace("person", "alias")
    editor_memory.remember_place(service, record_id, place).result(timeout=30)
    editor_memory.remember_second_language(service, SecondLanguage("fi", True)).result(30)

    start = read_for_editor(service, record_id).result(timeout=30)
    assert not start.new
    assert start.document["answers"]["alias"] == "Fictional Draft"
    assert start.place == place
    assert start.second == SecondLanguage("fi", True)
    assert start.standing is None  # a draft: nothing to say about the centre


def test_a_finished_interview_comes_with_where_it_stands(service: WorkerService) -> None:
    document = make_document(alias="Fictional Final")
    service.queue_revision(document).result(timeout=30)
    start = read_for_editor(service, document["id"]).result(timeout=30)
    assert start.document["status"] == "final"
    assert start.standing == Standing(has_draft=False, delivered=False, refused=False)

    # Changes saved as a draft (status still final): they are known, to open for editing.
    service.save_draft({**document, "answers": {**document["answers"], "alias": "B."}})
    start = read_for_editor(service, document["id"]).result(timeout=30)
    assert start.document["answers"]["alias"] == "B."
    assert start.standing is not None and start.standing.has_draft


def test_the_attached_files_come_with_the_interview(
    tmp_path: Path, service: WorkerService
) -> None:
    document = make_document(revision=0, status="draft")
    service.save_draft(document).result(timeout=30)
    photo = tmp_path / "note.txt"
    photo.write_bytes(b"fictional")
    added = service.add_attachment(document["id"], photo, "text/plain").result(timeout=30)
    start = read_for_editor(service, document["id"]).result(timeout=30)
    assert [(a.sha256, a.name) for a in start.attachments] == [(added.sha256, "note.txt")]
    assert read_for_editor(service, None).result(timeout=30).attachments == ()


def test_the_enrolment_says_who_records(tmp_path: Path, service: WorkerService) -> None:
    centre = CentreKeys.make(tmp_path)
    assert centre.profile_path is not None
    profile = read_profile_file(centre.profile_path)

    def enrol(vault: Vault) -> None:
        ensure_device_schema(vault)
        accept_profile(vault, profile, device_name="Laptop 7", worker="W-12")

    service.run(enrol).result(timeout=30)
    start = read_for_editor(service, None).result(timeout=30)
    assert start.enrolled.worker == "W-12"
    assert start.enrolled.organisation  # the centre's name, from its profile


def test_an_unknown_interview_or_a_locked_vault_fail_as_known_errors(
    service: WorkerService,
) -> None:
    with pytest.raises(NotFound):
        read_for_editor(service, make_document()["id"]).result(timeout=30)
    service.lock()
    with pytest.raises(VaultLocked):
        read_for_editor(service, None).result(timeout=30)
