"""The interview list for triage: its columns, its sort by meaning and its filters.

Immediate danger and high risk never stand out by colour alone: the first column says it in
words ("In danger", "High risk"), in bold, with the standard warning icon, and the row's
accessible description says it for a screen reader. Dates sort by their stored UTC time, the
risk by its level, danger as yes before unknown before no; "Most urgent first" sorts by danger,
then risk, then how many needs are urgent.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from intake_app.i18n import N_, _, current_language, ngettext
from intake_app.services.centre_triage import TriageTexts
from intake_app.sync.centre import TriageRow, follow_up_text, short_id, when
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.rows_model import ROW_ROLE, Column, RowsModel
from intake_app.ui.interview_model import STATUS_LABELS

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
DANGER_RANKS = {"yes": 3, "unknown": 2, "no": 1}

# The risk filter's choices: code -> does a row pass.
RISK_FILTERS: dict[str, Callable[[TriageRow], bool]] = {
    "urgent": lambda r: r.in_danger or r.high_risk,
    "danger": lambda r: r.in_danger,
    "high": lambda r: r.high_risk,
    "medium": lambda r: r.risk_rank == 2,
    "low": lambda r: r.risk_rank == 1,
    "none": lambda r: r.risk_rank == 0,
}


@dataclass(frozen=True)
class TriageColumn(Column):
    """A column with its own sort key (None: the text, case folded)."""

    sort: Callable[[TriageRow], Any] | None = None


def urgency_text(row: TriageRow) -> str:
    """The first column's mark in words ("" for neither danger nor high risk)."""
    if row.in_danger and row.high_risk:
        return _("In danger, high risk")
    if row.in_danger:
        return _("In danger")
    if row.high_risk:
        return _("High risk")
    return ""


def urgency_description(row: TriageRow) -> str:
    """What a screen reader says of the mark."""
    if row.in_danger and row.high_risk:
        return _("The person is in immediate danger and at high risk.")
    if row.in_danger:
        return _("The person is in immediate danger.")
    if row.high_risk:
        return _("The person is at high risk.")
    return ""


def laptop_text(row: TriageRow) -> str:
    """The laptop by its name; its id's first block when the registry has no name. Names come
    from laptops: hidden characters (a U+202E turning text round) are shown as escapes."""
    return escape_hidden(row.device_name or short_id(row.interview.device_id))


def duplicates_text(row: TriageRow) -> str:
    count = len(row.duplicates)
    if not count:
        return ""
    return ngettext("{n} possible", "{n} possible", count)


def triage_columns(texts: TriageTexts) -> list[TriageColumn]:
    """The list's columns; answers in words in the current language, from each row's form."""

    def answer(name: str) -> Callable[[TriageRow], str]:
        return lambda row: texts.answer(row, name, current_language())

    def newest(row: TriageRow) -> str:
        return row.interview.modified or ""

    return [
        TriageColumn(N_("Alias"), lambda r: r.interview.alias or ""),
        TriageColumn(
            N_("Urgency"), urgency_text, sort=lambda r: (r.priority, r.interview.modified or "")
        ),
        TriageColumn(
            N_("Risk level"), answer("risk_level"), sort=lambda r: (r.risk_rank, newest(r))
        ),
        TriageColumn(
            N_("Immediate danger"),
            answer("immediate_danger"),
            sort=lambda r: (DANGER_RANKS.get(_danger(r), 0), newest(r)),
        ),
        TriageColumn(
            N_("Urgent needs"),
            lambda r: texts.urgent_needs(r, current_language()),
            sort=lambda r: (len(r.urgent_needs()), newest(r)),
        ),
        TriageColumn(N_("Referral consent"), answer("consent_referral")),
        TriageColumn(N_("Follow-up"), lambda r: follow_up_text(r.follow_up)),
        TriageColumn(N_("Duplicates"), duplicates_text, sort=lambda r: len(r.duplicates)),
        TriageColumn(
            N_("Interview date"),
            answer("interview_date"),
            sort=lambda r: str(r.answers.get("interview_date", "")),
        ),
        TriageColumn(N_("Laptop"), laptop_text),
        TriageColumn(N_("Worker"), lambda r: escape_hidden(r.device_worker or "")),
        TriageColumn(
            N_("Status"), lambda r: _(STATUS_LABELS.get(r.interview.status, r.interview.status))
        ),
        TriageColumn(
            N_("Revision"), lambda r: str(r.interview.revision), sort=lambda r: r.interview.revision
        ),
        TriageColumn(N_("Changed"), lambda r: when(r.interview.modified), sort=newest),
        TriageColumn(
            N_("Received"),
            lambda r: when(r.interview.imported),
            sort=lambda r: r.interview.imported,
        ),
    ]


URGENCY_COLUMN = 1
CHANGED_COLUMN = 13


def _danger(row: TriageRow) -> str:
    value = row.answers.get("immediate_danger")
    if isinstance(value, dict):
        value = value.get("value")
    return str(value) if value is not None else ""


class TriageModel(RowsModel):
    """The interviews as rows, with a sort key, a mark and a description for each cell.

    Texts and sort keys are made once per row and column and kept until the rows or the
    language change: laying out and sorting 2,000 interviews asks for each many times."""

    def __init__(self, columns: Sequence[TriageColumn], parent: QObject | None = None) -> None:
        super().__init__(columns, parent)
        self._triage_columns = list(columns)
        self._texts: dict[tuple[int, int], str] = {}
        self._keys: dict[int, list[Any]] = {}
        self._marked: list[bool] = []
        self._icon: QIcon | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self._texts, self._keys = {}, {}
        self._marked = [row.in_danger or row.high_risk for row in rows]
        super().set_rows(rows)

    def retranslate(self) -> None:
        self._texts, self._keys = {}, {}
        super().retranslate()

    def text(self, row: int, column: int) -> str:
        """A cell's text in the current language."""
        key = (row, column)
        found = self._texts.get(key)
        if found is None:
            found = self._triage_columns[column].text(self.row_object(row))
            self._texts[key] = found
        return found

    def sort_key(self, row: int, column: int) -> Any:
        keys = self._keys.get(column)
        if keys is None:
            spec = self._triage_columns[column]
            rows = self.rows()
            if spec.sort is not None:
                keys = [spec.sort(item) for item in rows]
            else:
                keys = [self.text(number, column).casefold() for number in range(len(rows))]
            self._keys[column] = keys
        return keys[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._marked):
            return None
        if not 0 <= column < len(self._triage_columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.text(row, column)  # a laptop's name stays text, never markup
            return f"<p>{html.escape(text)}</p>" if text else None
        if role == SORT_ROLE:
            return self.sort_key(row, column)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return urgency_description(self.row_object(row)) or None if self._marked[row] else None
        if column == URGENCY_COLUMN and self._marked[row]:
            if role == Qt.ItemDataRole.DecorationRole:
                if self._icon is None:
                    self._icon = QApplication.style().standardIcon(
                        QStyle.StandardPixmap.SP_MessageBoxWarning
                    )
                return self._icon
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        if role == ROW_ROLE:
            return self.row_object(row)
        return None


class TriageFilter(QSortFilterProxyModel):
    """Filters by follow-up status, risk or danger, laptop and the search's matches; sorts by
    each column's key."""

    def __init__(self, model: TriageModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setSourceModel(model)
        self.setDynamicSortFilter(False)
        self.status = ""  # "": all
        self.risk = ""
        self.laptop = ""  # a device id; "": all
        self.matches: frozenset[str] | None = None  # the search's matches; None: no search

    def set_filters(
        self, *, status: str, risk: str, laptop: str, matches: frozenset[str] | None
    ) -> None:
        """Show only the rows passing every filter."""
        self.beginFilterChange()
        self.status, self.risk, self.laptop, self.matches = status, risk, laptop, matches
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        row: TriageRow = self._model.row_object(source_row)
        if self.status and row.follow_up != self.status:
            return False
        if self.risk and not RISK_FILTERS[self.risk](row):
            return False
        if self.laptop and row.interview.device_id != self.laptop:
            return False
        return self.matches is None or row.record_id in self.matches

    def lessThan(self, left: Index, right: Index) -> bool:
        first = self._model.sort_key(left.row(), left.column())
        second = self._model.sort_key(right.row(), right.column())
        return bool(first < second)

    def row_object(self, row: int) -> TriageRow:
        """The interview shown in the proxy's `row`."""
        found: TriageRow = self._model.row_object(self.mapToSource(self.index(row, 0)).row())
        return found

    def proxy_row(self, record_id: str) -> int | None:
        """Where an interview is shown, if it is."""
        for row in range(self.rowCount()):
            if self.row_object(row).record_id == record_id:
                return row
        return None
