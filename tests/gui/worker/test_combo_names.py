"""Issue 20, defect 5: a screen reader learns what a combo box is for, not only its value. Qt
names a combo box by its current text whatever its accessible name, so each has a label (its
buddy) that says its purpose: the list's two filters, both language pickers, the second
language of side by side."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox

from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    PASSPHRASE,
    editor_opened,
    make_preferences,
    make_service,
)

pytestmark = OFFSCREEN_NOISE


def label_texts(combo: QComboBox) -> list[str]:
    """The texts of the labels a screen reader is told name `combo` (LABELLED_BY)."""
    interface = QAccessible.queryAccessibleInterface(combo)
    assert interface is not None
    return [
        other.text(QAccessible.Text.Name)
        for other, _relation in interface.relations(QAccessible.RelationFlag.Label)
    ]


def test_each_combo_box_has_one_label_saying_its_purpose(qtbot, tmp_path: Path) -> None:
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    shell = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(shell)
    try:
        shell.show_workspace()
        shell.show()
        workspace = shell.workspace
        listing = workspace.list
        assert label_texts(listing.status_filter) == ["Status:"]
        assert label_texts(listing.delivered_filter) == ["Delivery:"]
        assert label_texts(workspace.language) == ["Language"]
        workspace.new_action.trigger()
        editor_opened(qtbot, workspace)
        picker = workspace.editor.side_by_side.picker
        assert label_texts(picker) == ["Second language of the questions"]
        shell.service.lock()
        shell.show_unlock()
        assert label_texts(shell.unlock_screen.language) == ["Language"]
    finally:
        service.shutdown()
