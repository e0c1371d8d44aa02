"""Retention in the settings: days or never, kept in the vault; the list says what goes when,
and it is exactly what the purge removes. Real vault, real bundles and receipts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from intake_app.i18n import set_language
from intake_app.i18n.formatting import format_date
from intake_app.services import retention as retention_service
from intake_app.services.worker import WorkerService
from intake_app.sync.device import purge
from intake_app.sync.device.enrol import accept_profile, read_profile_file
from intake_app.sync.device.export import export_changes
from intake_app.sync.device.identity import load_device
from intake_app.sync.device.outbox import Outbox, OutboxState
from intake_app.sync.device.receipts import collect_receipts
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.sync.device.transport import copy_bundle, prepare_inbox
from intake_app.sync.format.strict_json import format_timestamp
from intake_app.ui.application import apply_text_size
from intake_app.ui.worker.enrol_dialog import EnrolDialog
from intake_app.ui.worker.purge_view import RetentionSection
from intake_app.ui.worker.settings_dialog import SettingsDialog
from tests.gui.worker.test_accessibility import unnamed_controls
from tests.gui.worker.test_enrol_request import _clipped
from tests.helpers.bundles import CentreKeys
from tests.helpers.device import save_interview
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    PASSPHRASE,
    make_preferences,
    opened_service,
    speaking,
    workspace_shell,
)

pytestmark = OFFSCREEN_NOISE
WAIT = 20000
# The centre's receipt arrived yesterday: with 30 days the interview goes in 29 days.
RECEIVED = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)


def _local(moment: datetime) -> str:
    return format_date(moment.astimezone().date())


def _deliver(tmp_path: Path) -> Any:
    """Vault work: enrol, deliver two interviews, change one of them, start a third."""

    def work(vault: Any) -> dict[str, str]:
        centre = CentreKeys.make(tmp_path)
        ensure_device_schema(vault)
        identity = accept_profile(
            vault, read_profile_file(centre.profile_path), device_name="Laptop 7", worker="W-12"
        )
        ids = {
            "delivered": save_interview(vault, alias="Fictional Amal"),
            "changed": save_interview(vault, alias="Fictional Bilal"),
        }
        export_changes(vault)
        inbox = prepare_inbox(centre.share, identity.device_id)
        for bundle in Outbox(vault).bundles((OutboxState.READY,)):
            centre.receipt_for(copy_bundle(vault, bundle, inbox), identity)
        collect_receipts(vault, load_device(vault), centre.share, format_timestamp(RECEIVED))
        draft = vault.interviews.get(ids["changed"])
        draft["answers"]["alias"] = "Fictional Bilal K."
        vault.interviews.save_draft(draft)  # changed since delivery: stays
        ids["waiting"] = save_interview(vault, alias="Fictional Dana")
        return ids

    return work


@pytest.fixture
def service(tmp_path: Path) -> Iterator[WorkerService]:
    with opened_service(tmp_path) as made:
        yield made


@pytest.fixture
def delivered(tmp_path: Path, service: WorkerService) -> dict[str, str]:
    return dict(service.run(_deliver(tmp_path)).result())


def _dialog(
    qtbot, tmp_path: Path, service: WorkerService
) -> tuple[SettingsDialog, RetentionSection]:
    dialog = SettingsDialog(make_preferences(tmp_path), None, service=service)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.tabs is not None and dialog.retention is not None
    dialog.tabs.setCurrentIndex(2)
    section = dialog.retention
    qtbot.waitUntil(
        lambda: section.list.topLevelItemCount() > 0 or section.never.isEnabled(), timeout=WAIT
    )
    return dialog, section


def _rows(section: RetentionSection) -> list[list[str]]:
    tree = section.list
    return [
        [tree.topLevelItem(r).text(c) for c in range(3)] for r in range(tree.topLevelItemCount())
    ]


def _stored(service: WorkerService) -> int | None:
    return service.run(purge.retention_days).result()  # type: ignore[no-any-return]


def test_the_list_shows_what_goes_when_and_the_setting_lives_in_the_vault(
    qtbot, tmp_path: Path, service: WorkerService, delivered: dict[str, str]
) -> None:
    dialog, section = _dialog(qtbot, tmp_path, service)
    assert section.days.value() == 30 and not section.never.isChecked()
    assert _rows(section) == [
        ["Fictional Amal", f"Delivered {_local(RECEIVED)}", _local(RECEIVED + timedelta(days=30))],
        [
            "Fictional Bilal",
            "Changed since it was delivered",
            "Kept until the changes are delivered",
        ],
        ["Fictional Dana", "Not delivered yet", "Kept until delivered"],
    ]
    assert section.summary.text() == (
        "1 interview will be removed on the date shown. 2 interviews stay on this laptop."
    )
    section.days.setValue(7)
    qtbot.waitUntil(
        lambda: _rows(section)[0][2] == _local(RECEIVED + timedelta(days=7)), timeout=WAIT
    )
    assert _stored(service) == 7
    section.days.setValue(0)
    qtbot.waitUntil(lambda: _rows(section)[0][2] == "At the next sync", timeout=WAIT)
    assert _stored(service) == 0
    section.never.setChecked(True)
    qtbot.waitUntil(lambda: _rows(section)[0][1:] == ["Delivered", "Never"], timeout=WAIT)
    assert _stored(service) is None and not section.days.isEnabled()
    assert section.summary.text().startswith("Delivered interviews are never removed")
    section.never.setChecked(False)
    qtbot.waitUntil(lambda: _rows(section)[0][2] == "At the next sync", timeout=WAIT)
    assert _stored(service) == 0 and section.days.isEnabled()
    # The vault's policy, not the computer's: nothing about it in the settings file.
    settings = tmp_path / "settings.ini"
    assert not settings.exists() or "retention" not in settings.read_text()
    # What the list says goes is exactly what the purge removes; the rest stays.
    later = datetime.now(UTC) + timedelta(days=1)
    removed = service.run(lambda vault: purge.purge_due(vault, later)).result()
    assert removed == [delivered["delivered"]]
    dialog.close()
    _dialog_again, again = _dialog(qtbot, tmp_path, service)
    qtbot.waitUntil(lambda: again.list.topLevelItemCount() == 2, timeout=WAIT)
    assert [row[0] for row in _rows(again)] == ["Fictional Bilal", "Fictional Dana"]


def test_a_known_error_is_shown_and_the_stored_value_comes_back(
    qtbot, tmp_path: Path, service: WorkerService, delivered: dict[str, str]
) -> None:
    _shown, section = _dialog(qtbot, tmp_path, service)
    qtbot.waitUntil(lambda: section.list.topLevelItemCount() == 3, timeout=WAIT)
    service.lock()  # the vault closes under the dialog (the shell would close it too)
    section.days.setValue(12)
    qtbot.waitUntil(lambda: bool(section.error.text()), timeout=WAIT)
    assert section.error.text() == "The vault is locked. Unlock it to continue."
    assert section.days.value() == 30
    service.unlock(PASSPHRASE).result()
    assert _stored(service) == 30


def test_named_controls_keyboard_order_and_service_constants(
    qtbot, tmp_path: Path, service: WorkerService
) -> None:
    assert retention_service.DEFAULT_DAYS == purge.DEFAULT_RETENTION_DAYS
    assert retention_service.MAX_DAYS == purge.MAX_RETENTION_DAYS
    dialog, section = _dialog(qtbot, tmp_path, service)
    qtbot.waitUntil(lambda: section.summary.text() != "", timeout=WAIT)
    assert section.summary.text() == "There are no interviews on this laptop."
    assert dialog.tabs is not None
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        assert unnamed_controls(dialog) == [], index
    dialog.tabs.setCurrentIndex(2)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT)
    section.days.setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    close = dialog.buttons.button(QDialogButtonBox.StandardButton.Close)
    assert order == [section.days, section.never, section.list, close]


@pytest.fixture
def arabic() -> Iterator[None]:
    with speaking("ar"):
        yield


def test_arabic_dates_mirrored_layout_and_larger_text(
    qtbot, arabic: None, tmp_path: Path, service: WorkerService, delivered: dict[str, str]
) -> None:
    apply_text_size(QApplication.instance(), 5)  # "larger"
    dialog, section = _dialog(qtbot, tmp_path, service)
    qtbot.waitUntil(lambda: section.list.topLevelItemCount() == 3, timeout=WAIT)
    assert section.list.layoutDirection() == Qt.LayoutDirection.RightToLeft
    removal = RECEIVED + timedelta(days=30)
    assert _rows(section)[0][2] == format_date(removal.astimezone().date(), in_lang="ar")
    assert "/" in _rows(section)[0][2]  # Babel's Arabic date, not the English one
    # The spin box sits at the right of its unit in a right-to-left layout.
    assert section.days.geometry().left() > section.days_unit.geometry().left()
    qtbot.waitUntil(lambda: _clipped(section) == [], timeout=3000)  # once laid out again
    dialog.resize(dialog.minimumSize())  # as small as it goes: scrolls, cuts nothing
    qtbot.waitUntil(lambda: _clipped(section) == [], timeout=3000)
    assert dialog.tabs is not None
    dialog.tabs.setCurrentIndex(1)
    assert dialog.centre is not None
    qtbot.waitUntil(lambda: dialog.centre.key.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: _clipped(dialog) == [], timeout=3000)
    set_language("en")  # live switch: the dates follow
    assert _rows(section)[0][2] == _local(removal)


def test_settings_from_the_shell_have_the_vault_tabs_and_close_on_lock(
    qtbot, tmp_path: Path
) -> None:
    with workspace_shell(qtbot, tmp_path) as shell:
        shell.open_settings()
        dialog = shell.findChild(SettingsDialog)
        assert dialog is not None and dialog.isVisible()
        assert dialog.retention is not None and dialog.centre is not None
        qtbot.waitUntil(lambda: dialog.centre.connect_button.isEnabled(), timeout=WAIT)
        enrol = dialog.centre.open_enrolment(write_again=False)
        assert enrol.isVisible()
        shell.lock("button")
        visible = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, SettingsDialog | EnrolDialog) and w.isVisible()
        ]
        assert visible == []
