"""An interview whose form this version does not know: its raw answers, read-only, never dropped."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.ui.common import wrap_text


def answer_text(value: Any) -> str:
    """An answer as a person can read it: text as is, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"text", "lang"}:
        return f"[{value['lang']}] {value['text']}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class RawInterviewView(QWidget):
    """Shows the stored answers by question name; nothing here can change them."""

    def __init__(self, form: str, form_version: str, answers: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("raw-interview")
        self._form = form
        self._version = form_version
        self.heading = QLabel(self)
        self.heading.setObjectName("heading")
        self.explanation = QLabel(self)
        wrap_text(self.explanation)
        self.table = QTableWidget(len(answers), 2, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for row, (name, value) in enumerate(sorted(answers.items())):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(answer_text(value)))
        self.table.resizeRowsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        register(self)

    def retranslate(self) -> None:
        self.heading.setText(_("Read only: this form is not known here"))
        self.explanation.setText(
            _(
                "This interview was made with the form {form} {version}, which this version "
                "of Intake does not know. Its answers are shown as they were stored and cannot "
                "be changed here. Install the newer version of Intake to edit it.",
                form=self._form,
                version=self._version,
            )
        )
        self.table.setHorizontalHeaderLabels([_("Question"), _("Answer")])
        self.table.setAccessibleName(_("Stored answers"))
