"""A repeated block of questions (other languages spoken, needs): add and remove entries."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from intake_app.domain.answers import REPEAT_MAX_ITEMS, is_empty
from intake_app.domain.form import Form, Question
from intake_app.i18n import _
from intake_app.i18n.formatting import format_number
from intake_app.ui.editor.question_row import Block, QuestionRow, RepeatHolder, build_blocks


class RepeatEntry(QFrame):
    """One entry: its questions and a button that removes it."""

    def __init__(self, form: Form, question: Question, index: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.index = index
        self.title = QLabel(self)
        self.remove_button = QPushButton(self)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.inner = build_blocks(form, question.children, self, layout, index)

    def rows(self) -> Iterator[QuestionRow]:
        for block in self.inner:
            for inner in block.blocks():
                if isinstance(inner, QuestionRow):
                    yield inner

    def value(self) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for row in self.rows():
            value = row.input.value()
            if not is_empty(value):
                answers[row.question.name] = value
        return answers

    def load(self, values: dict[str, Any]) -> None:
        for row in self.rows():
            row.input.set_value(values.get(row.question.name))

    def retranslate(self, lang: str) -> None:
        number = format_number(self.index + 1)
        self.title.setText(_("Entry {number}", number=number))
        self.remove_button.setText(_("Remove this entry"))
        self.remove_button.setAccessibleName(_("Remove entry {number}", number=number))
        for block in self.inner:
            block.retranslate(lang)


def _takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


def _tab_stops(entry: QWidget) -> list[QWidget]:
    """The entry's controls that take Tab, in the order Qt chained them (creation order)."""
    stops: list[QWidget] = []
    start = entry.window()
    widget = start.nextInFocusChain()
    while widget is not None and widget is not start:
        if entry.isAncestorOf(widget) and _takes_tab(widget):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


class RepeatInput(RepeatHolder):
    """Entries of the repeat's questions; stored as a list of answer objects."""

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(form, question, parent)
        self.entries: list[RepeatEntry] = []
        self._lang = ""
        self.entries_layout = QVBoxLayout()
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self._add_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.entries_layout)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        layout.addLayout(add_row)
        self.setFocusProxy(self.add_button)

    @property
    def limit(self) -> int:
        return self.question.max_items or REPEAT_MAX_ITEMS

    def blocks(self) -> Iterator[Block]:
        for entry in self.entries:
            for block in entry.inner:
                yield from block.blocks()

    def _add_entry(self) -> RepeatEntry:
        entry = RepeatEntry(self.form, self.question, len(self.entries), self)
        for block in entry.inner:
            block.changed.connect(self.emit_changed)
        entry.remove_button.clicked.connect(lambda: self._remove(entry))
        self.entries.append(entry)
        self.entries_layout.addWidget(entry)
        if self._lang:
            entry.retranslate(self._lang)
        self.add_button.setEnabled(len(self.entries) < self.limit)
        self._chain(entry)
        return entry

    def _chain(self, entry: RepeatEntry) -> None:
        """Put the new entry's controls into the Tab order where the entry is on screen: after
        what comes before "Add an entry", before the button (a widget made later than the page
        otherwise comes after the page's last question)."""
        controls = _tab_stops(entry)
        if not controls:
            return
        before = self.add_button.previousInFocusChain()
        while (
            before is not None
            and before is not self.add_button
            and (entry.isAncestorOf(before) or not _takes_tab(before))
        ):
            before = before.previousInFocusChain()
        if before is None:
            return
        chain = [before, *controls, self.add_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _add_clicked(self) -> None:
        entry = self._add_entry()
        self.emit_changed()
        rows = list(entry.rows())
        if rows:
            rows[0].input.focus_input()

    def _remove(self, entry: RepeatEntry) -> None:
        values = [e.value() for e in self.entries if e is not entry]
        self.load(values)
        self.emit_changed()
        self.add_button.setFocus()

    def value(self) -> object | None:
        # Empty entries stay, so entry i on screen is entry i in the answers (finishing drops them).
        return [entry.value() for entry in self.entries] or None

    def load(self, value: object | None) -> None:
        for entry in self.entries:
            self.entries_layout.removeWidget(entry)
            entry.hide()
            entry.deleteLater()
        self.entries = []
        for values in value if isinstance(value, list) else []:
            if isinstance(values, dict):
                entry = self._add_entry()
                entry.load(values)
        self.add_button.setEnabled(len(self.entries) < self.limit)

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self.add_button.setText(_("Add an entry"))
        for entry in self.entries:
            entry.retranslate(lang)

    def set_accessible_label(self, label: str) -> None:
        self.add_button.setAccessibleName(_("Add an entry to: {question}", question=label))
