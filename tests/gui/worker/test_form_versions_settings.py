"""Settings show the interview form versions this laptop has (current or retired, built in or
from the centre, which one new interviews use) and when it last checked the share."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from intake_app.services.sync_runner import SyncRunner
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams, Vault
from intake_app.sync.device.enrol import accept_profile, read_profile_file
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.sync.format.form_package import FormState
from intake_app.ui.common import usable_area
from intake_app.ui.worker.settings_dialog import SettingsDialog
from tests.helpers.bundles import CentreKeys
from tests.helpers.form_share import FormShare, new_version
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences, speaking

pytestmark = OFFSCREEN_NOISE
# INTAKE_SCREENSHOTS=1 saves what each language looks like in docs/screenshots/.
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SAVE_SHOTS = bool(os.environ.get("INTAKE_SCREENSHOTS"))


def enrolled_service(tmp_path: Path, *, synced: bool = True) -> WorkerService:
    """A worker's service on a new vault enrolled with a centre that published two versions
    (one current, one retired), after a sync round when `synced`."""
    centre = CentreKeys.make(tmp_path)
    assert centre.profile_path is not None
    profile = read_profile_file(centre.profile_path)
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM)
    service.create_vault(PASSPHRASE).result(timeout=60)

    def enrol(vault: Vault) -> None:
        ensure_device_schema(vault)
        accept_profile(vault, profile, device_name="Laptop 7", worker="W-12")

    service.run(enrol).result(timeout=30)
    forms = FormShare(centre, centre.share)
    forms.publish(new_version("2026.3"))
    forms.publish(new_version("2026.4", label="Alias (2026.4)"), FormState.RETIRED)
    if synced:
        sync(service)
    return service


def sync(service: WorkerService) -> None:
    """One sync round, as the window's runner makes it."""
    runner = SyncRunner(service, lambda _status: None)
    future = runner.check(now=True)
    assert future is not None
    future.result(timeout=60)
    runner.close()


@pytest.fixture
def service(tmp_path: Path) -> Iterator[WorkerService]:
    worker = enrolled_service(tmp_path)
    try:
        yield worker
    finally:
        worker.shutdown()


def _open(qtbot, tmp_path: Path, service: WorkerService) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(make_preferences(tmp_path), service=service)
    qtbot.addWidget(dialog)
    assert dialog.tabs is not None and dialog.forms is not None
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    dialog.show()
    section = dialog.forms
    qtbot.waitUntil(lambda: section.list.topLevelItemCount() > 0, timeout=10_000)
    return dialog


def _rows(dialog: SettingsDialog) -> list[list[str]]:
    assert dialog.forms is not None
    tree = dialog.forms.list
    return [
        [tree.topLevelItem(r).text(c) for c in range(5)] for r in range(tree.topLevelItemCount())
    ]


def test_the_forms_tab_lists_every_version_and_the_last_check(
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    service,
) -> None:
    dialog = _open(qtbot, tmp_path, service)
    assert dialog.tabs is not None and dialog.forms is not None
    assert dialog.tabs.tabText(3) == "&Forms"
    rows = _rows(dialog)
    assert [row[:2] for row in rows] == [
        ["2026.1", "Current"],
        ["2026.2", "Current"],
        ["2026.3", "Current"],
        ["2026.4", "Retired"],
    ]
    assert [row[2] for row in rows] == ["Built into Intake"] * 2 + ["The centre"] * 2
    assert rows[0][3] == "" and rows[2][3] != ""  # when it came
    assert [row[4] for row in rows] == ["", "", "New interviews", ""]
    assert dialog.forms.checked.text().startswith("Last checked the centre's share")
    assert dialog.forms.list.accessibleName() == "Interview form versions on this laptop"
    # Read only, and reachable from the keyboard.
    assert dialog.forms.list.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert dialog.forms.list.editTriggers() == dialog.forms.list.EditTrigger.NoEditTriggers


def test_a_laptop_that_never_checked_says_so(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service = enrolled_service(tmp_path, synced=False)
    try:
        dialog = _open(qtbot, tmp_path, service)
        assert dialog.forms is not None
        assert [row[0] for row in _rows(dialog)] == ["2026.1", "2026.2"]
        assert "not checked" in dialog.forms.checked.text()
    finally:
        service.shutdown()


@pytest.mark.parametrize("lang", ["fi", "ar", "th"])
def test_the_forms_tab_in_other_languages_fits_and_mirrors(
    qtbot,
    tmp_path: Path,
    service,  # type: ignore[no-untyped-def]
    lang: str,
) -> None:
    with speaking(lang):
        dialog = _open(qtbot, tmp_path, service)
        assert dialog.forms is not None
        room = usable_area(dialog)
        assert dialog.width() <= min(room.width(), 1280) and dialog.height() <= 720 - 40
        rtl = lang == "ar"
        assert (dialog.forms.list.layoutDirection() == Qt.LayoutDirection.RightToLeft) is rtl
        assert (QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft) is rtl
        if SAVE_SHOTS:
            dialog.grab().save(str(SHOTS / f"issue18-settings-forms-{lang}.png"))


def test_the_last_pickup_problem_is_shown_in_words_until_a_pickup_takes_everything(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    service = enrolled_service(tmp_path, synced=False)
    try:
        package = tmp_path / "share" / "forms" / "intake-fi_2026.4.json"
        good = package.read_bytes()
        package.write_bytes(good.replace(b"Alias (2026.4)", b"Alias (changed)"))
        sync(service)
        dialog = _open(qtbot, tmp_path, service)
        assert dialog.forms is not None
        problem = dialog.forms.problem
        assert problem.isVisible() and problem.text().startswith(
            "Problem with the centre's forms since "
        )
        english = problem.text()
        assert (
            "(intake-fi_2026.4.json): A form file on the share is not signed by your centre."
            in english
        )
        assert [row[0] for row in _rows(dialog)] == ["2026.1", "2026.2"]  # nothing taken
        with speaking("fi"):  # said again in the new language (the time at least)
            assert problem.isVisible() and problem.text() not in ("", english)
        dialog.close()

        package.write_bytes(good)
        sync(service)
        dialog = _open(qtbot, tmp_path, service)
        assert dialog.forms is not None
        qtbot.waitUntil(lambda: _rows(dialog)[-1][0] == "2026.4", timeout=10_000)
        assert not dialog.forms.problem.isVisible() and dialog.forms.problem.text() == ""
    finally:
        service.shutdown()


def test_the_current_row_stays_on_its_version_when_the_list_is_refilled(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    service,
) -> None:
    dialog = _open(qtbot, tmp_path, service)
    assert dialog.forms is not None
    tree = dialog.forms.list
    tree.setCurrentItem(tree.topLevelItem(2))  # 2026.3
    versions = dialog.forms._found.versions  # type: ignore[union-attr]
    tree.show_versions(versions[1:])  # one fewer before it
    assert tree.currentItem().text(0) == "2026.3"
