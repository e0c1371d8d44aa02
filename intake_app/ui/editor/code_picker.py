"""Language and country pickers that can be searched by typing part of a name or the code.

Typing filters the list (accent- and case-insensitive, in the current language's names and in
English); Enter or a click picks. A question with `multiple` keeps a list of picked entries.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.form import Form, Question
from intake_app.i18n import _
from intake_app.i18n.formatting import (
    Choice,
    country_choices,
    country_name,
    fold,
    language_choices,
    language_name,
)
from intake_app.ui.editor.answer_input import AnswerInput

CODE_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class _WordFilter(QSortFilterProxyModel):
    """Rows whose search text holds every typed word."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: object) -> bool:
        model = self.sourceModel()
        text = str(model.data(model.index(row, 0), SEARCH_ROLE) or "")
        return all(word in text for word in self._words)


class SearchableCombo(QComboBox):
    """An editable combo box whose list narrows to the entries matching what is typed."""

    picked = Signal(str)  # the code, "" when cleared

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Sized by a typical name, not by measuring all 600 entries on every relayout.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.filter = _WordFilter(self)
        self._completer = QCompleter(self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # The text overload; PySide's stubs do not know a signal's overloads by index.
        self._completer.activated[str].connect(self._completed)  # type: ignore[index]
        self.line_edit().textEdited.connect(self._typed)
        self.activated.connect(self._activated)
        self.prepare: Callable[[], None] | None = None  # fills the list before first use

    def line_edit(self) -> QLineEdit:
        """The line typed in (an editable combo box always has one)."""
        edit = self.lineEdit()
        assert edit is not None
        return edit

    def _prepare(self) -> None:
        if self.prepare is not None:
            self.prepare()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._prepare()
        super().focusInEvent(event)

    def showPopup(self) -> None:
        self._prepare()
        super().showPopup()

    def set_choices(self, model: QStandardItemModel, selected: str | None) -> None:
        """Use a (shared) list of names in the current language and show `selected`."""
        self.blockSignals(True)
        self.setModel(model)  # an editable combo also hands the model to its completer
        # The filter is connected on the first keystroke: most pickers are never searched.
        if self.filter.sourceModel() is not None:
            self.filter.setSourceModel(model)
        self._completer.setModel(self.filter)
        self.setCompleter(self._completer)
        self.select(selected)
        self.blockSignals(False)

    def select(self, code: str | None) -> None:
        """Show the entry of `code` (blank when None or unknown)."""
        row = self.findData(code or "", CODE_ROLE)
        self.setCurrentIndex(max(row, 0))

    def code(self) -> str:
        """The picked code, "" when none."""
        return str(self.currentData(CODE_ROLE) or "")

    def _typed(self, text: str) -> None:
        self._prepare()
        if self.filter.sourceModel() is not self.model():
            self.filter.setSourceModel(self.model())
        self.filter.set_query(text)
        completer = self.completer()
        if text.strip() and completer is not None:
            completer.complete()
            # After the line edit's own completion for this key press, which resets the popup.
            QTimer.singleShot(0, self, self._select_first)

    def _select_first(self) -> None:
        """Make the first match really selected, not only drawn as current: Enter picks it
        and Down moves to the second ("Nig": Niger, then Nigeria). Signals are held back so the
        typed text stays as typed."""
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if popup is None or not popup.isVisible():
            return
        selection = popup.selectionModel()
        model = popup.model()
        if selection is None or model is None or model.rowCount() == 0:
            return
        selection.blockSignals(True)
        try:
            selection.setCurrentIndex(
                model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            selection.blockSignals(False)
        popup.viewport().update()

    def _completed(self, text: str) -> None:
        matches = self.filter.match(
            self.filter.index(0, 0), Qt.ItemDataRole.DisplayRole, text, 1, Qt.MatchFlag.MatchExactly
        )
        code = str(self.filter.data(matches[0], CODE_ROLE)) if matches else ""
        self.select(code)
        self.picked.emit(self.code())

    def _activated(self, _row: int) -> None:
        self.picked.emit(self.code())

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # Text typed but not picked does not count: show the real answer again.
        self.setEditText(self.itemText(self.currentIndex()))
        super().focusOutEvent(event)


_MODELS: dict[tuple[str, str, str, str, str], QStandardItemModel] = {}


def _model_key(form: Form, question: Question, lang: str) -> tuple[str, str, str, str, str]:
    return (question.type, form.id, form.version, question.extra_choices or "", lang)


def has_choice_model(form: Form, question: Question, lang: str) -> bool:
    """Whether the shared picker list for `lang` was built already."""
    return _model_key(form, question, lang) in _MODELS


def choice_model(form: Form, question: Question, lang: str) -> QStandardItemModel:
    """The picker list for a question in `lang`, built once and shared by every picker."""
    key = _model_key(form, question, lang)
    model = _MODELS.get(key)
    if model is None:
        model = QStandardItemModel()
        blank = QStandardItem("")
        blank.setData("", CODE_ROLE)
        blank.setData("", SEARCH_ROLE)
        model.appendRow(blank)
        for choice in code_choices(form, question, lang):
            item = QStandardItem(choice.name)
            item.setData(choice.code, CODE_ROLE)
            item.setData(choice.search_text, SEARCH_ROLE)
            model.appendRow(item)
        _MODELS[key] = model
    return model


def code_choices(form: Form, question: Question, lang: str) -> list[Choice]:
    """The form's extra choices (e.g. stateless, unknown) first, then every language or country."""
    extra = form.choice_lists.get(question.extra_choices or "")
    first = [
        Choice(c.name, c.label(lang), fold(c.label(lang)) + " " + c.name)
        for c in (extra.choices if extra is not None else ())
    ]
    rest = (
        language_choices(in_lang=lang)
        if question.type == "language"
        else country_choices(in_lang=lang)
    )
    return first + rest


class CodePicker(AnswerInput):
    """One language or country, or a list of them when the question allows several."""

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(form, question, parent)
        self.combo = SearchableCombo(self)
        self.combo.setMinimumContentsLength(24)
        self.combo.picked.connect(self._picked)
        self.combo.prepare = self._ensure_list
        self.multiple = question.multiple
        self._codes: list[str] = []
        self._lang = ""
        self._list_lang = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.combo)
        top.addStretch(1)
        layout.addLayout(top)
        self.picked_list: QListWidget | None = None
        self.remove_button: QPushButton | None = None
        if self.multiple:
            self.picked_list = QListWidget(self)
            self.picked_list.setMaximumHeight(110)
            self.remove_button = QPushButton(self)
            self.remove_button.clicked.connect(self._remove_selected)
            row = QHBoxLayout()
            row.addWidget(self.picked_list, 1)
            row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(row)
        self.setFocusProxy(self.combo)

    def _picked(self, code: str) -> None:
        if not self.multiple:
            self._codes = [code] if code else []
            self.emit_changed()
            return
        if code and code not in self._codes:
            self._codes.append(code)
            self._show_list()
            self.emit_changed()
        self.combo.select(None)
        self.combo.setEditText("")

    def _remove_selected(self) -> None:
        if self.picked_list is None:
            return
        item = self.picked_list.currentItem()
        if item is None:
            return
        code = str(item.data(CODE_ROLE))
        self._codes = [c for c in self._codes if c != code]
        self._show_list()
        self.emit_changed()

    def _show_list(self) -> None:
        if self.picked_list is None:
            return
        self.picked_list.clear()
        for code in self._codes:
            item = QListWidgetItem(self._name(code))
            item.setData(CODE_ROLE, code)
            self.picked_list.addItem(item)
        if self.remove_button is not None:
            self.remove_button.setEnabled(bool(self._codes))

    def value(self) -> object | None:
        if self.multiple:
            return list(self._codes) or None
        return self._codes[0] if self._codes else None

    def load(self, value: object | None) -> None:
        if isinstance(value, list):
            self._codes = [str(code) for code in value]
        elif isinstance(value, str) and value:
            self._codes = [value]
        else:
            self._codes = []
        self._show_selected()
        self._show_list()

    def _selected(self) -> str | None:
        return None if self.multiple else (self._codes[0] if self._codes else None)

    def _name(self, code: str) -> str:
        extra = self.form.choice_lists.get(self.question.extra_choices or "")
        choice = extra.get(code) if extra is not None else None
        if choice is not None:
            return choice.label(self._lang)
        if self.question.type == "language":
            return language_name(code, self._lang or None)
        return country_name(code, self._lang or None)

    def _show_selected(self) -> None:
        if self._list_lang == self._lang:
            self.combo.select(self._selected())
        else:  # the list is built when the person first goes to the picker
            code = self._selected()
            self.combo.setEditText(self._name(code) if code else "")

    def _ensure_list(self) -> None:
        if self._list_lang != self._lang:
            self._list_lang = self._lang
            self.combo.set_choices(
                choice_model(self.form, self.question, self._lang), self._selected()
            )

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        if self.combo.hasFocus() or has_choice_model(self.form, self.question, lang):
            self._ensure_list()
        self._show_selected()
        self.combo.line_edit().setPlaceholderText(_("Type to search"))
        if self.remove_button is not None:
            self.remove_button.setText(_("Remove"))
        self._show_list()

    def set_accessible_label(self, label: str) -> None:
        self.combo.setAccessibleName(label)
        self.combo.line_edit().setAccessibleName(label)
        if self.picked_list is not None:
            self.picked_list.setAccessibleName(_("Chosen for: {question}", question=label))
        if self.remove_button is not None:
            self.remove_button.setAccessibleName(_("Remove the selected entry"))
