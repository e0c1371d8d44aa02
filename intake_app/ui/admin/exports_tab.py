"""Exports from the administrator's window: the interviews as a spreadsheet or a CSV file
(interview_export), and statistics.

The statistics table never shows a group smaller than five, nor one that could be worked out
from what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.form import Question
from intake_app.domain.registry import FormRegistry
from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.core import current_language
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.sync.centre import (
    CODED_TYPES,
    PSEUDO_FIELDS,
    SECTION_SEPARATOR,
    ReportRow,
    StatsTable,
    count_cell,
    count_text,
    report_table,
    rule_text,
    total_row,
)
from intake_app.ui.admin.interview_export import InterviewExportBox
from intake_app.ui.admin.rows_model import Column, RowsModel
from intake_app.ui.admin.stats_save import StatsSaveBox
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.tasks import when_done

NONE = ""  # the second grouping field left empty


def pseudo_field_name(field: str) -> str:
    """A pseudo field's name in the current language."""
    return {"month": _("Month the interview was made"), "status": _("Status"),
            "form": _("Form")}[field]


@dataclass(frozen=True)
class CodedField:
    """A question the statistics can count by, with the section it sits in."""

    section: str  # "8 Indicators › Coercive recruitment"
    name: str
    label: str  # with its own group: "Coercive recruitment › Violence on victims"


def coded_fields(registry: FormRegistry, lang: str) -> list[CodedField]:
    """Every coded question the statistics can count (not those inside repeat groups), each
    name once, in form order and so grouped by section; two indicators with the same words in
    different sections are told apart by their section."""
    found: dict[str, CodedField] = {}

    def walk(questions: Sequence[Question], path: tuple[str, ...]) -> None:
        for question in questions:
            if question.type == "group":
                walk(question.children, (*path, question.label(lang) or question.name))
            elif (question.type in CODED_TYPES and question.name not in found):
                label = question.label(lang) or question.name
                if len(path) > 1:
                    label = f"{path[-1]}{SECTION_SEPARATOR}{label}"
                found[question.name] = CodedField(SECTION_SEPARATOR.join(path), question.name,
                                                  label)

    for form in sorted(registry.forms(), key=lambda f: f.version_key, reverse=True):
        walk(form.questions, ())
    by_section: dict[str, list[CodedField]] = {}
    for field in found.values():
        by_section.setdefault(field.section, []).append(field)
    return [field for fields in by_section.values() for field in fields]


def add_heading(combo: QComboBox, text: str) -> None:
    """A section's name in the list: bold, and not a choice."""
    combo.insertSeparator(combo.count())
    combo.addItem(text)
    model = combo.model()
    if isinstance(model, QStandardItemModel):
        item = model.item(combo.count() - 1)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)


class ExportsTab(QWidget):
    """The interviews as a file (codes and labels in a chosen language) and statistics."""

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._table: StatsTable | None = None
        self.interview_export = InterviewExportBox(service, self)
        self.stats_box = QGroupBox(self)
        self.first = QComboBox(self.stats_box)
        self.second = QComboBox(self.stats_box)
        self.first_label = QLabel(self.stats_box)
        self.first_label.setBuddy(self.first)
        self.second_label = QLabel(self.stats_box)
        self.second_label.setBuddy(self.second)
        self.count_button = QPushButton(self.stats_box)
        self.count_button.clicked.connect(self.count)
        self.stats_notice = wrap_text(QLabel(self.stats_box))
        self.stats_save = StatsSaveBox(service, self.chosen_fields, self.stats_box)
        self.model = RowsModel((), self)
        self.stats_view = QTableView(self.stats_box)
        self.stats_view.setModel(self.model)
        self.stats_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stats_view.horizontalHeader().setStretchLastSection(True)
        self.stats_view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.message = MessageLine(self, error=False)
        self._lay_out()
        register(self)

    def _lay_out(self) -> None:
        stats_form = QFormLayout()
        stats_form.addRow(self.first_label, self.first)
        stats_form.addRow(self.second_label, self.second)
        stats_buttons = QHBoxLayout()
        stats_buttons.addWidget(self.count_button)
        stats_buttons.addStretch(1)
        stats_column = QVBoxLayout(self.stats_box)
        stats_column.addLayout(stats_form)
        stats_column.addLayout(stats_buttons)
        stats_column.addWidget(self.stats_notice)
        stats_column.addWidget(self.stats_save)
        stats_column.addWidget(self.stats_view, 1)
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.addWidget(self.message)
        column.addWidget(self.interview_export)
        column.addWidget(self.stats_box, 1)
        # With long translations or a small screen the tab scrolls instead of pushing the
        # window past the screen's edge. Not a Tab stop of its own: Tab goes to the controls.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def retranslate(self) -> None:
        """Set every text in the current language (field names come from the forms)."""
        self.stats_box.setTitle(_("Statistics"))
        self.first_label.setText(_("&Count interviews by:"))
        self.second_label.setText(_("&And by:"))
        self.first.setAccessibleName(_("Count interviews by"))
        self.second.setAccessibleName(_("And by"))
        self.count_button.setText(_("C&ount"))
        self.count_button.setAccessibleName(_("Count the interviews"))
        self.stats_notice.setText(rule_text())
        self.stats_view.setAccessibleName(_("Statistics"))
        self._fill_fields()
        self._show_table()

    def _fill_fields(self) -> None:
        lang = current_language()
        pseudo = [(name, pseudo_field_name(name)) for name in PSEUDO_FIELDS]
        coded = coded_fields(self._service.registry(), lang)
        for combo, extra in ((self.first, []), (self.second, [(NONE, _("(nothing more)"))])):
            chosen = combo.currentData()
            combo.clear()
            for name, label in extra + pseudo:
                combo.addItem(label, name)
            section: str | None = None
            for field in coded:
                if field.section != section:
                    section = field.section
                    add_heading(combo, section)
                combo.addItem(field.label, field.name)
            row = combo.findData(chosen)
            combo.setCurrentIndex(max(row, 0))

    # -- statistics ---------------------------------------------------------------------------

    def chosen_fields(self) -> tuple[str, ...]:
        """The fields chosen to count by (one, or two different ones)."""
        by = [str(self.first.currentData())]
        if self.second.currentData() not in (None, NONE, by[0]):
            by.append(str(self.second.currentData()))
        return tuple(by)

    def count(self) -> None:
        """Count the interviews by the chosen fields."""
        by = list(self.chosen_fields())
        self.count_button.setEnabled(False)
        when_done(self._service.statistics(by), self._counted, self._failed, owner=self,
                  context="centre statistics")

    def _counted(self, table: object) -> None:
        assert isinstance(table, StatsTable)
        self.count_button.setEnabled(True)
        self._table = table
        self._show_table()
        if table.withheld:
            self.message.show_message(_("No group is listed: there are too few interviews in "
                                        "too many groups to show any count safely."))
        elif not table.rows:
            self.message.show_message(_("There are no interviews to count."))
        else:
            self.message.show_message("")

    def _show_table(self) -> None:
        """The counted table in words: the shown groups, "Groups not shown", the total."""
        if self._table is None:
            self.model.set_columns(())
            return
        table = report_table(self._service.registry(), self._table, current_language())

        def label(index: int) -> Callable[[ReportRow], str]:
            return lambda row: row.labels[index]

        columns = [Column(heading, label(i), translated=True)
                   for i, heading in enumerate(table.headings)]
        columns.append(Column(count_text(), lambda row: count_cell(row.count), translated=True))
        self.model.set_columns(columns)
        self.model.set_rows([*table.rows, total_row(table)] if table.rows else [])
        self.stats_view.resizeColumnsToContents()

    def _field_names(self) -> list[tuple[str, str]]:
        return [(str(self.first.itemData(i)), self.first.itemText(i))
                for i in range(self.first.count())]

    def _failed(self, error: KnownError) -> None:
        self.count_button.setEnabled(True)
        self.message.show_message(error.translated())

