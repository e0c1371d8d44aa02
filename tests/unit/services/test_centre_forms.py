"""The Forms tab's service: list, check, import, preview, publish and retire, each on the centre's
vault thread; a bad workbook's problems come back as values, a refused version as its error."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain.document import interview_from_dict
from intake_app.domain.xlsform import form_workbook
from intake_app.services import centre_forms
from intake_app.services.centre import CentreService
from intake_app.sync.centre.form_errors import FormVersionNotFound, FormVersionPublished
from intake_app.sync.format.form_package import FormState
from tests.helpers.centre import FORM, PASSPHRASE, REGISTRY, make_centre
from tests.helpers.documents import make_document

WAIT = 60


@pytest.fixture
def service(tmp_path: Path) -> Iterator[CentreService]:
    make_centre(tmp_path).close()
    made = CentreService(tmp_path / "centre-data", registry=REGISTRY)
    try:
        made.unlock(PASSPHRASE).result(timeout=WAIT)
        yield made
    finally:
        made.shutdown()


def workbook(tmp_path: Path, version: str, label: str = "Nickname") -> Path:
    form: dict[str, Any] = copy.deepcopy(FORM)
    form["version"] = version
    form["questions"][0]["children"][1]["label::en"] = label
    path = tmp_path / f"form-{version}-{label}.xlsx"
    path.write_bytes(form_workbook(form))
    return path


def test_a_workbook_is_checked_imported_previewed_published_and_retired(
    service: CentreService, tmp_path: Path
) -> None:
    path = workbook(tmp_path, "2026.2")
    checked = centre_forms.check_workbook(service, path).result(timeout=WAIT)
    assert checked.ok and checked.staged is None and checked.form is not None
    assert [c.language for c in checked.completeness] == ["en", "fi"]
    rows = centre_forms.list_versions(service).result(timeout=WAIT)
    assert [(r.version, r.source) for r in rows] == [("2026.1", "built-in")]

    imported = centre_forms.import_workbook(service, path, by="Aino").result(timeout=WAIT)
    assert imported.staged is not None and imported.staged.staged_by == "Aino"
    draft = centre_forms.draft_form(service, "intake-fi").result(timeout=WAIT)
    assert draft.version == "2026.2"
    alias = draft.question("alias")
    assert alias is not None and alias.labels["en"] == "Nickname"

    published = centre_forms.publish(service, by="Aino").result(timeout=WAIT)
    assert published.new and published.version.state is FormState.CURRENT
    assert service.registry().get("intake-fi", "2026.2") is not None  # records show with it
    shown = centre_forms.version_form(service, "intake-fi", "2026.2").result(timeout=WAIT)
    assert shown.questions == draft.questions and shown.file == "intake-fi_2026.2.json"
    assert (
        centre_forms.version_form(service, "intake-fi", "2026.1").result(timeout=WAIT).version
        == "2026.1"
    )
    with pytest.raises(FormVersionNotFound):
        centre_forms.version_form(service, "intake-fi", "2027.1").result(timeout=WAIT)

    retired = centre_forms.retire(service, "intake-fi", "2026.2", by="Aino").result(timeout=WAIT)
    assert retired.version.state is FormState.RETIRED
    rows = centre_forms.list_versions(service).result(timeout=WAIT)
    assert [(r.version, r.source, r.state, r.published_by, r.retired_by) for r in rows] == [
        ("2026.1", "built-in", "current", None, None),
        ("2026.2", "published", "retired", "Aino", "Aino"),
    ]
    assert centre_forms.write_share_again(service).result(timeout=WAIT).serial == 3


def test_problems_come_back_as_values_and_refusals_as_errors(
    service: CentreService, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    checked = centre_forms.import_workbook(service, bad).result(timeout=WAIT)
    assert not checked.ok and checked.form is None and checked.staged is None
    assert all(problem.translated() for problem in checked.problems)
    centre_forms.import_workbook(service, workbook(tmp_path, "2026.2")).result(timeout=WAIT)
    centre_forms.publish(service).result(timeout=WAIT)
    with pytest.raises(FormVersionPublished):
        centre_forms.import_workbook(service, workbook(tmp_path, "2026.2", "Other")).result(
            timeout=WAIT
        )
    rows = centre_forms.list_versions(service).result(timeout=WAIT)
    assert [r.source for r in rows] == ["built-in", "published"]


def test_interviews_of_a_published_version_show_with_their_form(
    service: CentreService, tmp_path: Path
) -> None:
    centre_forms.import_workbook(service, workbook(tmp_path, "2026.2")).result(timeout=WAIT)
    centre_forms.publish(service).result(timeout=WAIT)
    service.lock().result(timeout=WAIT)
    again = CentreService(tmp_path / "centre-data", registry=REGISTRY)
    try:
        again.unlock(PASSPHRASE).result(timeout=WAIT)
        assert again.registry().get("intake-fi", "2026.2") is not None
        document = make_document()
        document["form_version"] = "2026.2"
        form = again.registry().form_for(interview_from_dict(document))
        assert form is not None and form.version == "2026.2"
    finally:
        again.shutdown()
