"""Issue 20, item 2: the administrator's window and its dialogs without sight or mouse: the
unlock page opens on the passphrase, every control is named and every field labelled on every
tab (a combo box by a label: Qt names it by its current text), Tab follows the screen and leaves
each table, and the dialogs label their fields and answer their own keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from intake_app.ui.admin.window import AdminWindow
from tests.gui.admin.test_window import run, unlock, window
from tests.helpers.bundles import Laptop
from tests.helpers.centre import register
from tests.helpers.documents import make_document

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)
__all__ = ["window"]  # the fixture

FIELDS = (QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit)


def accessible(widget: QWidget) -> QAccessible:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface


def name_of(widget: QWidget) -> str:
    return accessible(widget).text(QAccessible.Text.Name).strip()


def labels_of(widget: QWidget) -> list[str]:
    return [
        other.text(QAccessible.Text.Name)
        for other, _r in accessible(widget).relations(QAccessible.RelationFlag.Label)
    ]


def tab_stops(root: QWidget) -> Iterator[QWidget]:
    """The shown widgets under `root` that Tab can reach."""
    for widget in root.findChildren(QWidget):
        if (
            widget.isVisibleTo(root)
            and widget.isEnabled()
            and widget.focusProxy() is None
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            yield widget


def problems(root: QWidget) -> list[str]:
    """Stops without a name, fields without a label (or a name saying their purpose)."""
    found = []
    for widget in tab_stops(root):
        what = f"{type(widget).__name__} {widget.objectName()!r} {name_of(widget)!r}"
        if isinstance(widget, QComboBox) and not widget.isEditable():
            if not labels_of(widget):
                found.append(f"combo box without a label: {what}")
        elif not name_of(widget) and not labels_of(widget):
            found.append(f"unnamed: {what}")
    return found


@pytest.fixture
def shown(window: AdminWindow, qtbot: QtBot) -> AdminWindow:
    window.resize(1280, 800)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def press(qtbot: QtBot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> QWidget:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def ring(qtbot: QtBot, limit: int = 60) -> list[QWidget]:
    """Tab from the focus until it comes back."""
    start = QApplication.focusWidget()
    stops = [start]
    for _ in range(limit):
        focus = press(qtbot, Qt.Key.Key_Tab)
        if focus is start:
            return stops
        stops.append(focus)
    raise AssertionError(f"Tab did not come back round within {limit} presses")


def test_the_unlock_page_opens_on_the_passphrase_with_a_labelled_language_box(
    shown: AdminWindow, qtbot: QtBot
) -> None:
    page = shown.unlock_page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.passphrase)
    assert labels_of(page.language) == ["Language"]
    assert problems(page) == []
    stops = ring(qtbot)
    assert stops[:3] == [page.passphrase, page.open_button, page.recovery_link]
    assert stops[-1] is page.language  # below the column, last


def test_after_unlocking_the_keyboard_is_on_the_tabs_and_tab_follows_the_top_row(
    shown: AdminWindow, qtbot: QtBot
) -> None:
    unlock(shown, qtbot)
    tab_bar = shown.tabs.tabBar()
    assert QApplication.focusWidget() is tab_bar
    assert labels_of(shown.language) == ["Language"]
    stops = ring(qtbot)
    top_row = [shown.import_button, shown.scan_button, shown.language, shown.lock_button]
    positions = [stops.index(widget) for widget in top_row]
    assert positions == list(range(positions[0], positions[0] + 4))  # in screen order, together
    page = shown.tabs.currentWidget()
    inside = [stops.index(w) for w in stops if page.isAncestorOf(w)]
    assert inside and inside == list(range(1, 1 + len(inside)))  # the tab's page, after the tabs


def with_an_interview(window: AdminWindow, qtbot: QtBot, laptop: Laptop, stick: Path) -> None:
    """A registered laptop and one imported interview, so that tables have rows."""
    run(window, lambda centre: register(centre, laptop))
    doc = make_document(answers={"consent_interview": "yes", "alias": "Ilona"})
    written = laptop.bundle(stick, run(window, lambda centre: centre.profile), records=[doc])
    with qtbot.waitSignal(window.watch.finished, timeout=30_000):
        window.import_paths([written.path])
    qtbot.waitUntil(lambda: window.interviews.model.rowCount() == 1, timeout=20_000)


def test_every_tab_names_its_controls_labels_its_fields_and_lets_tab_leave_its_tables(
    shown: AdminWindow, qtbot: QtBot, laptop: Laptop, tmp_path: Path
) -> None:
    unlock(shown, qtbot)
    with_an_interview(shown, qtbot, laptop, tmp_path / "stick")
    found: dict[str, list[str]] = {}
    for index in range(shown.tabs.count()):
        shown.tabs.setCurrentIndex(index)
        page = shown.tabs.currentWidget()
        for table in page.findChildren(QAbstractItemView):
            if (
                table.isVisibleTo(page)
                and table.model() is not None
                and (table.model().rowCount() > 0)
            ):
                table.setCurrentIndex(table.model().index(0, 0))  # its details appear
        qtbot.wait(200)
        found[shown.tabs.tabText(index)] = problems(shown.workspace)
        for table in page.findChildren(QAbstractItemView):
            if table.isVisibleTo(page) and table.focusPolicy() & Qt.FocusPolicy.TabFocus:
                assert not table.tabKeyNavigation(), (shown.tabs.tabText(index), table)
                table.setFocus(Qt.FocusReason.TabFocusReason)
                assert press(qtbot, Qt.Key.Key_Tab) is not table
    assert found == {name: [] for name in found}


# -- dialogs ----------------------------------------------------------------------------------


def answer_dialog(qtbot: QtBot, look) -> list[object]:  # type: ignore[no-untyped-def]
    """When the next modal dialog opens, hand it to `look` (which closes it)."""
    seen: list[object] = []

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, check)
            return
        try:
            seen.append(look(dialog))
        except Exception as error:  # reported by the test, after the dialog is closed
            seen.append(error)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(50, check)
    return seen


def test_the_laptop_dialogs_label_their_fields_and_answer_their_own_keys(
    shown: AdminWindow, qtbot: QtBot, laptop: Laptop
) -> None:
    unlock(shown, qtbot)
    run(shown, lambda centre: register(centre, laptop))
    shown.devices.refresh()
    qtbot.waitUntil(lambda: shown.devices.model.rowCount() == 1, timeout=20_000)
    shown.devices.table.selectRow(0)

    def retire(dialog: QDialog) -> list[str]:
        spin = dialog.findChild(QAbstractSpinBox)
        assert spin is not None and QApplication.focusWidget() is spin
        assert labels_of(spin) and problems(dialog) == []
        return labels_of(spin)

    seen = answer_dialog(qtbot, retire)
    shown.devices.retire_selected()
    assert seen and not isinstance(seen[0], Exception), seen

    # Approval: the fingerprint is typed into a labelled field (it is not shown to compare).
    dialog = shown.devices.approve_selected()
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert problems(dialog) == []
    assert labels_of(dialog.fingerprint)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.fingerprint)
    assert laptop.fingerprint not in " ".join(w.text() for w in dialog.findChildren(QLabel))
    qtbot.keyClick(dialog.fingerprint, Qt.Key.Key_Escape)  # the dialog's own key
    assert shown.devices.approval is None  # closed (and gone)
