"""The other interviews that may be of the same person, with a way to open each one and to say
"not the same person" (after which the pair is not flagged again). Nothing is ever merged."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _, current_language, ngettext
from intake_app.i18n.formatting import format_number, isolate
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.services.centre_triage import TriageTexts, mark_not_same_person
from intake_app.sync.centre import (
    WINDOW_DAYS,
    PossibleDuplicate,
    TriageRow,
    duplicate_reasons_text,
    short_id,
)
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.triage_model import laptop_text
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.tasks import when_done

OTHER_ROLE = Qt.ItemDataRole.UserRole


class DuplicatesBox(QGroupBox):
    """Emits `open_requested(record id)` and `changed` (a pair was marked not the same)."""

    open_requested = Signal(str)
    changed = Signal()

    def __init__(
        self, service: CentreService, texts: TriageTexts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("possible_duplicates")
        self._service = service
        self._texts = texts
        self._row: TriageRow | None = None
        self._others: Mapping[str, TriageRow] = {}
        self.explanation = wrap_text(QLabel(self))
        self.list = QListWidget(self)
        # Each entry wraps onto lines of its own rather than scrolling sideways.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 8)
        self.open_button = QPushButton(self)
        self.not_same_button = QPushButton(self)
        self.message = MessageLine(self)
        buttons = QVBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.not_same_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 2, 6, 2)
        column.addWidget(self.explanation)
        column.addLayout(row)
        column.addWidget(self.message)
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        self.list.itemActivated.connect(lambda _item: self.open_current())
        self.open_button.clicked.connect(self.open_current)
        self.not_same_button.clicked.connect(self.ask_not_same)
        self.hide()
        register(self)

    def retranslate(self) -> None:
        count = self.list.count()
        self.setTitle(
            ngettext(
                "Possibly the same person ({n})", "Possibly the same person ({n})", max(count, 1)
            )
        )
        self.explanation.setText(
            ngettext(
                "Interviewed by another worker within {days} day. Check before you act: "
                "nothing is merged.",
                "Interviewed by another worker within {days} days. Check before you act: "
                "nothing is merged.",
                WINDOW_DAYS,
                days=format_number(WINDOW_DAYS),
            )
        )
        self.list.setAccessibleName(_("Interviews possibly of the same person"))
        self.open_button.setText(_("&Open the other interview"))
        self.not_same_button.setText(_("Not the same &person"))
        self.open_button.setAccessibleName(_("Open the other interview"))
        self.not_same_button.setAccessibleName(_("Not the same person"))
        self.not_same_button.setAccessibleDescription(
            _("Stop flagging these two interviews as possibly one person")
        )
        if self._row is not None:
            self.set_row(self._row, self._others)

    def set_row(self, row: TriageRow | None, rows: Mapping[str, TriageRow]) -> None:
        """Show the interviews `row` may share a person with (hidden when none)."""
        self._row, self._others = row, rows
        current = self.list.currentRow()
        self.list.clear()
        for pair in row.duplicates if row is not None else ():
            other_id = pair.other(row.record_id) if row is not None else pair.first
            item = QListWidgetItem(self._describe(other_id, pair), self.list)
            item.setData(OTHER_ROLE, (other_id, pair))
        if self.list.count():
            self.list.setCurrentRow(min(max(current, 0), self.list.count() - 1))
        self.setVisible(self.list.count() > 0)
        self.setTitle(
            ngettext(
                "Possibly the same person ({n})",
                "Possibly the same person ({n})",
                max(self.list.count(), 1),
            )
        )
        self.message.show_message("")
        self._enable()

    def _describe(self, other_id: str, pair: PossibleDuplicate) -> str:
        other = self._others.get(other_id)
        if other is None:
            return f"{short_id(other_id)}\n{duplicate_reasons_text(pair)}"
        date = self._texts.answer(other, "interview_date", current_language())
        return _(
            "{alias}: {laptop}, worker {worker}, interviewed {date}\n{why}",
            alias=other.interview.alias or short_id(other_id),
            laptop=isolate(laptop_text(other)),
            worker=isolate(escape_hidden(other.device_worker or "-")),
            date=date or "-",
            why=duplicate_reasons_text(pair),
        )

    def _enable(self) -> None:
        chosen = self.list.currentItem() is not None
        self.open_button.setEnabled(chosen)
        self.not_same_button.setEnabled(chosen)

    def _chosen(self) -> tuple[str, PossibleDuplicate] | None:
        item = self.list.currentItem()
        if item is None:
            return None
        other_id, pair = item.data(OTHER_ROLE)
        return other_id, pair

    def open_current(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self.open_requested.emit(chosen[0])

    def ask_not_same(self) -> QMessageBox | None:
        """Ask before marking the chosen pair "not the same person"; the box, or None."""
        chosen = self._chosen()
        if chosen is None:
            return None
        _other, pair = chosen
        box = QMessageBox(
            QMessageBox.Icon.Question,
            WINDOW_TITLE,
            _(
                "Mark these two interviews as not the same person? They will not "
                "be flagged together again."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(lambda: self._mark(pair))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _mark(self, pair: PossibleDuplicate) -> None:
        when_done(
            mark_not_same_person(self._service, pair.first, pair.second),
            lambda _done: self.changed.emit(),
            self._failed,
            owner=self,
            context="centre not a duplicate",
        )

    def _failed(self, error: KnownError) -> None:
        self.message.show_message(error.translated())
