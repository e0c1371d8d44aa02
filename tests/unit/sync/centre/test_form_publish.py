"""Publishing forms at the centre: a workbook staged, published as a signed package and index on
the share, retired; versions never changed; the importer knows every published version."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain.xlsform import WorkbookInvalid, form_workbook
from intake_app.sync.centre import form_versions
from intake_app.sync.centre.form_drafts import check_draft, stage_workbook
from intake_app.sync.centre.form_errors import (
    FormDraftAmbiguous,
    FormsNotOnShare,
    FormVersionNotFound,
    FormVersionNotNewer,
    FormVersionPublished,
    FormVersionShipped,
    FormVersionUnchanged,
    NoFormDraft,
)
from intake_app.sync.centre.form_publish import (
    publish_draft,
    retire_form,
    write_forms_to_share,
)
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Reason, ShareTargetNotAFile
from intake_app.sync.format.form_package import FormState, verify_index, verify_package
from intake_app.sync.share import forms_folder
from tests.helpers.bundles import CentreKeys, Laptop, needs_cli, run
from tests.helpers.centre import FORM, REGISTRY, register
from tests.helpers.documents import make_document
from tests.helpers.form_share import FormShare

SHIPPED = REGISTRY.forms()  # the test form, intake-fi 2026.1, stands for the built-in one
NOW = "2026-12-01T09:00:00Z"


def edited(version: str, *, label: str = "Alias (nickname)") -> dict[str, Any]:
    """The test form with a changed label and a new choice, as an administrator would edit it."""
    form = copy.deepcopy(FORM)
    form["version"] = version
    form["questions"][0]["children"][1]["label::en"] = label
    form["choices"]["setting"].append({"name": "home", "label::en": "Private home"})
    return form


def workbook(tmp_path: Path, definition: dict[str, Any], name: str = "form.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(form_workbook(definition))
    return path


def staged(centre: Centre, tmp_path: Path, definition: dict[str, Any]) -> None:
    stage_workbook(
        centre, workbook(tmp_path, definition), version=None, shipped=SHIPPED, at=NOW, by="admin"
    )


def publish(centre: Centre, tmp_path: Path, definition: dict[str, Any]) -> Any:
    staged(centre, tmp_path, definition)
    return publish_draft(centre, None, shipped=SHIPPED, by="admin")


def read_index(centre: Centre) -> Any:
    folder = forms_folder(centre.share)
    return verify_index(
        (folder / "index.json").read_bytes(),
        (folder / "index.json.minisig").read_bytes(),
        centre_id=centre.centre_id,
        receipt_key=centre.profile.receipt_key,
    )


def test_a_published_version_is_a_signed_package_named_by_a_signed_index(
    centre: Centre, tmp_path: Path
) -> None:
    published = publish(centre, tmp_path, edited("2026.2"))
    assert published.new and published.version.state is FormState.CURRENT
    folder = forms_folder(centre.share)
    assert sorted(p.name for p in folder.iterdir()) == [
        "index.json",
        "index.json.minisig",
        "intake-fi_2026.2.json",
        "intake-fi_2026.2.json.minisig",
    ]
    index = read_index(centre)
    assert index == published.index and index.serial == 1
    (entry,) = index.entries
    data = (folder / entry.file_name).read_bytes()
    form = verify_package(
        data,
        (folder / (entry.file_name + ".minisig")).read_bytes(),
        centre_id=centre.centre_id,
        receipt_key=centre.profile.receipt_key,
        entry=entry,
    )
    assert form.definition == edited("2026.2")
    assert form.form.choice_lists["setting"].choices[-1].name == "home"
    with centre.vault.reading() as conn:
        assert form_versions.package_data(conn, "intake-fi", "2026.2") == data
        assert form_versions.drafts(conn) == []
        (version,) = form_versions.published_versions(conn)
    assert (version.published_by, version.size) == ("admin", len(data))
    # Nothing but ordinary, complete files: no partial file left behind.
    assert all(not p.name.startswith(".") for p in folder.iterdir())


@needs_cli
def test_the_minisign_tool_verifies_what_was_published(centre: Centre, tmp_path: Path) -> None:
    publish(centre, tmp_path, edited("2026.2"))
    folder = forms_folder(centre.share)
    for name, comment in (
        (
            "intake-fi_2026.2.json",
            "intake-form v1 centre={c} form=intake-fi version=2026.2 sha256={h}",
        ),
        ("index.json", "intake-form-index v1 centre={c} sha256={h}"),
    ):
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        result = run("minisign", "-Vm", folder / name, "-P", centre.profile.receipt_key)
        assert result.returncode == 0, result.stderr
        expected = comment.format(c=centre.centre_id, h=digest)
        assert f"Trusted comment: {expected}\n".encode() in result.stdout


def test_a_published_version_is_never_changed(centre: Centre, tmp_path: Path) -> None:
    publish(centre, tmp_path, edited("2026.2"))
    before = (forms_folder(centre.share) / "intake-fi_2026.2.json").read_bytes()
    with pytest.raises(FormVersionPublished):
        publish(centre, tmp_path, edited("2026.2", label="Something else"))
    with pytest.raises(FormVersionShipped):
        publish(centre, tmp_path, edited("2026.1"))
    with pytest.raises(FormVersionNotNewer):
        publish(centre, tmp_path, edited("2026.1.5"))
    assert (forms_folder(centre.share) / "intake-fi_2026.2.json").read_bytes() == before
    with centre.vault.reading() as conn:
        assert [v.version for v in form_versions.published_versions(conn)] == ["2026.2"]
        assert form_versions.drafts(conn) == []  # refused at import: nothing kept
    # The same bytes again: nothing to import; the share can be written again.
    with pytest.raises(FormVersionUnchanged):
        publish(centre, tmp_path, edited("2026.2"))
    assert write_forms_to_share(centre).serial == 2


def test_retiring_rewrites_the_index_and_keeps_the_package(centre: Centre, tmp_path: Path) -> None:
    publish(centre, tmp_path, edited("2026.2"))
    publish(centre, tmp_path, edited("2026.3", label="Alias"))
    retired = retire_form(centre, "intake-fi", "2026.2", by="someone")
    assert retired.new and retired.version.retired_by == "someone"
    index = read_index(centre)
    assert index.serial == 3
    assert [(e.version, e.state) for e in index.entries] == [
        ("2026.2", FormState.RETIRED),
        ("2026.3", FormState.CURRENT),
    ]
    assert (forms_folder(centre.share) / "intake-fi_2026.2.json").exists()
    assert not retire_form(centre, "intake-fi", "2026.2", by="x").new
    assert read_index(centre).serial == 4
    for form_id, version in (("intake-fi", "2026.1"), ("intake-fi", "9.9"), ("other", "1")):
        with pytest.raises(FormVersionNotFound):
            retire_form(centre, form_id, version, by="x")


def test_a_centre_restored_from_a_backup_writes_a_newer_index_than_the_share_has(
    tmp_path: Path,
) -> None:
    """The vault's serial went back with the restore; the share's signed index did not. The
    next index is numbered after the share's, so laptops that took serial 3 take it."""
    from tests.helpers.centre import make_centre, open_centre

    data = tmp_path / "centre-data"
    centre = make_centre(tmp_path)
    publish(centre, tmp_path, edited("2026.2"))  # serial 1
    centre.close()
    shutil.copytree(data, tmp_path / "backup")
    centre = open_centre(tmp_path)
    publish(centre, tmp_path, edited("2026.3", label="Alias"))  # 2
    retire_form(centre, "intake-fi", "2026.2", by="admin")  # 3
    centre.close()
    shutil.rmtree(data)
    shutil.copytree(tmp_path / "backup", data)
    centre = open_centre(tmp_path)
    try:
        assert publish(centre, tmp_path, edited("2026.4", label="Alias 4")).index.serial == 4
        assert read_index(centre).serial == 4
        assert retire_form(centre, "intake-fi", "2026.2", by="admin").index.serial == 5
        assert write_forms_to_share(centre).serial == 6
        assert read_index(centre).serial == 6
    finally:
        centre.close()


def test_an_index_on_the_share_that_does_not_verify_never_sets_the_serial(
    centre: Centre, tmp_path: Path
) -> None:
    publish(centre, tmp_path, edited("2026.2"))  # serial 1
    # Signed by another key for this centre's id, with a huge serial: not this centre's.
    stranger = FormShare(CentreKeys.make(tmp_path / "other"), centre.share)
    stranger.centre.profile = centre.profile
    stranger.write_index([], serial=1000)
    assert write_forms_to_share(centre).serial == 2
    # This centre's own index, damaged after signing: not trusted either.
    index = forms_folder(centre.share) / "index.json"
    index.write_bytes(index.read_bytes().replace(b'"serial":2', b'"serial":900'))
    assert retire_form(centre, "intake-fi", "2026.2", by="admin").index.serial == 3
    assert read_index(centre).serial == 3


def test_the_importer_accepts_every_published_version_and_no_other(
    centre: Centre, tmp_path: Path
) -> None:
    laptop = Laptop()
    register(centre, laptop)

    def imported(version: str, setting: str = "home") -> Reason | None:
        document = make_document(setting=setting)
        document["form_version"] = version
        bundle = laptop.bundle(tmp_path / "out", centre, records=[document])
        return import_bundle(centre, bundle.path).reason

    assert imported("2026.2") is Reason.UNKNOWN_FORM  # not published yet
    publish(centre, tmp_path, edited("2026.2"))
    assert imported("2026.2") is None  # the new choice is known with it
    assert imported("2026.1", setting="street") is None  # the built-in version still is
    assert imported("2026.1") is Reason.INVALID_RECORD  # 2026.1 has no choice "home"
    assert imported("2026.4") is Reason.UNKNOWN_FORM  # newer than anything published
    publish(centre, tmp_path, edited("2026.3"))
    retire_form(centre, "intake-fi", "2026.2", by="admin")
    assert imported("2026.2") is None  # retired: its records still arrive
    assert imported("2026.3") is None


def test_the_importer_knows_published_versions_after_reopening(tmp_path: Path) -> None:
    from tests.helpers.centre import make_centre, open_centre

    centre = make_centre(tmp_path)
    publish(centre, tmp_path, edited("2026.2"))
    centre.close()
    reopened = open_centre(tmp_path)
    try:
        laptop = Laptop()
        register(reopened, laptop)
        document = make_document(setting="home")
        document["form_version"] = "2026.2"
        bundle = laptop.bundle(tmp_path / "out", reopened, records=[document])
        assert import_bundle(reopened, bundle.path).delivered
    finally:
        reopened.close()


def test_a_failed_index_write_keeps_the_version_and_can_be_written_again(
    centre: Centre, tmp_path: Path
) -> None:
    folder = forms_folder(centre.share)
    (folder / "index.json").mkdir(parents=True)  # something odd where the index goes
    with pytest.raises(FormsNotOnShare):
        publish(centre, tmp_path, edited("2026.2"))
    assert (folder / "intake-fi_2026.2.json").is_file()  # the package went first
    with centre.vault.reading() as conn:
        assert [v.version for v in form_versions.published_versions(conn)] == ["2026.2"]
    (folder / "index.json").rmdir()
    index = write_forms_to_share(centre)
    assert read_index(centre) == index and [e.version for e in index.entries] == ["2026.2"]


def test_a_forms_folder_that_is_a_link_is_never_written_through(
    centre: Centre, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, forms_folder(centre.share))
    with pytest.raises(ShareTargetNotAFile):
        publish(centre, tmp_path, edited("2026.2"))
    assert list(elsewhere.iterdir()) == []
    with centre.vault.reading() as conn:
        assert form_versions.published_versions(conn) == []
        assert [d.version for d in form_versions.drafts(conn)] == ["2026.2"]  # still waiting


def test_drafts_one_per_form_checked_again_before_publishing(
    centre: Centre, tmp_path: Path
) -> None:
    with pytest.raises(NoFormDraft):
        publish_draft(centre, None, shipped=SHIPPED, by="admin")
    staged(centre, tmp_path, edited("2026.2"))
    staged(centre, tmp_path, edited("2026.3"))  # replaces the draft of the same form
    other = copy.deepcopy(FORM) | {"id": "intake-other", "version": "1"}
    staged(centre, tmp_path, other)
    with centre.vault.reading() as conn:
        assert [(d.form_id, d.version) for d in form_versions.drafts(conn)] == [
            ("intake-fi", "2026.3"),
            ("intake-other", "1"),
        ]
    with pytest.raises(FormDraftAmbiguous):
        publish_draft(centre, None, shipped=SHIPPED, by="admin")
    assert check_draft(centre, "intake-fi", shipped=SHIPPED).new
    publish_draft(centre, "intake-fi", shipped=SHIPPED, by="admin")
    with centre.vault.reading() as conn:
        assert [d.form_id for d in form_versions.drafts(conn)] == ["intake-other"]


def test_a_bad_workbook_keeps_nothing(centre: Centre, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = workbook(tmp_path, edited("2026.2"))
    book = load_workbook(path)
    book["survey"].cell(row=3, column=1).value = "geopoint"
    book.save(path)
    with pytest.raises(WorkbookInvalid) as invalid:
        stage_workbook(centre, path, version=None, shipped=SHIPPED, at=NOW, by="admin")
    assert invalid.value.problems[0].sheet == "survey"
    with centre.vault.reading() as conn:
        assert form_versions.drafts(conn) == []
    assert not forms_folder(centre.share).exists()


def test_the_index_lists_no_built_in_form(centre: Centre, tmp_path: Path) -> None:
    publish(centre, tmp_path, edited("2026.2"))
    index = json.loads((forms_folder(centre.share) / "index.json").read_bytes())
    assert [(f["form"], f["version"]) for f in index["forms"]] == [("intake-fi", "2026.2")]


DATA = Path(__file__).resolve().parents[3] / "data" / "xlsform"


def _no_choices_sheet(tmp_path: Path) -> Path:
    from openpyxl import load_workbook

    path = workbook(tmp_path, edited("2026.2"), "no-choices.xlsx")
    book = load_workbook(path)
    book.remove(book["choices"])
    book.save(path)
    return path


def _sparse_50_mb(tmp_path: Path) -> Path:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda tmp: DATA / "macro.xlsm",
        lambda tmp: DATA / "bomb.xlsx",
        _sparse_50_mb,
        _no_choices_sheet,
    ],
    ids=["macros", "zip bomb", "50 MB", "no choices sheet"],
)
def test_hostile_workbooks_keep_and_publish_nothing(
    centre: Centre, tmp_path: Path, make: Any
) -> None:
    with pytest.raises(WorkbookInvalid) as invalid:
        stage_workbook(
            centre, make(tmp_path), version="2026.2", shipped=SHIPPED, at=NOW, by="admin"
        )
    assert all(problem.translated() for problem in invalid.value.problems)
    with centre.vault.reading() as conn:
        assert form_versions.drafts(conn) == []
        assert form_versions.published_versions(conn) == []
    with pytest.raises(NoFormDraft):
        publish_draft(centre, None, shipped=SHIPPED, by="admin")
    assert not forms_folder(centre.share).exists()


def test_a_translators_workbook_of_a_published_version_becomes_the_next(
    centre: Centre, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from intake_app.domain.xlsform import translation_workbook

    publish(centre, tmp_path, edited("2026.2"))
    with centre.vault.reading() as conn:
        data = form_versions.package_data(conn, "intake-fi", "2026.2")
    assert data is not None
    path = tmp_path / "fi.xlsx"
    path.write_bytes(translation_workbook(json.loads(data), "fi"))
    book = load_workbook(path)
    header = [cell.value for cell in book["survey"][1]]
    names = [row[header.index("name")].value for row in book["survey"].iter_rows(min_row=2)]
    book["survey"].cell(
        row=names.index("setting") + 2, column=header.index("label::Finnish (fi)") + 1
    ).value = "Ympäristö"
    book.save(path)
    staged_form, checked = stage_workbook(
        centre, path, version="2026.3", shipped=SHIPPED, at=NOW, by="translator"
    )
    assert (staged_form.version, checked.new) == ("2026.3", True)
    setting = checked.form.question("setting")
    assert setting is not None and setting.labels["fi"] == "Ympäristö"
    assert setting.labels["en"] == "Setting"  # the published version's other texts kept
    assert checked.form.choice_lists["setting"].choices[-1].name == "home"


def test_a_record_of_a_published_version_is_judged_by_it_when_a_newer_build_knows_more(
    tmp_path: Path,
) -> None:
    """After the centre runs a build that ships a newer version of the form, a record made with
    a version the centre published is still checked against that very version, not against the
    newest newer one (which lacks the published version's new choice)."""
    from intake_app.domain.form_loader import load_form_text
    from intake_app.domain.registry import FormRegistry
    from intake_app.sync.centre.forms import registry_validator
    from tests.helpers.centre import PASSPHRASE, make_centre

    make_centre(tmp_path).close()
    shipped_later = load_form_text(json.dumps(dict(FORM, version="2026.3")), "later.json")
    built_in = FormRegistry([*REGISTRY.forms(), shipped_later])
    centre = Centre.open(
        tmp_path / "centre-data", PASSPHRASE, validator=lambda: registry_validator(built_in)
    )
    try:
        laptop = Laptop()
        register(centre, laptop)
        publish(centre, tmp_path, edited("2026.2"))  # adds the choice "home"
        document = make_document(setting="home")
        document["form_version"] = "2026.2"
        bundle = laptop.bundle(tmp_path / "out", centre, records=[document])
        assert import_bundle(centre, bundle.path).reason is None
    finally:
        centre.close()
