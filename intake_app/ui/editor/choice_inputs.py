"""Answer widgets for choices: one of a few (radio buttons), one of many (a list), several
(check boxes), and yes / no / unknown with an optional note."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.form import Choice, Form, Question
from intake_app.i18n import _, current_language
from intake_app.ui.common import visible_focus
from intake_app.ui.editor.answer_input import AnswerInput

RADIO_LIMIT = 7  # more choices than this go into a drop-down list


def _choices(form: Form, question: Question) -> tuple[Choice, ...]:
    choice_list = form.choice_list(question)
    return choice_list.choices if choice_list is not None else ()


def choice_text(choice: Choice, lang: str, second: str | None, separator: str = "\n") -> str:
    """The choice's label in `lang`, and in `second` after `separator` when that differs."""
    first = choice.label(lang)
    other = choice.label(second) if second is not None else first
    return first if other == first else first + separator + other


class ChoiceTexts:
    """The second language of a choice widget's labels (side by side for interpreters)."""

    second: str | None = None


class RadioChoiceInput(AnswerInput, ChoiceTexts):
    """One of a few choices, as radio buttons, with a button to clear the answer."""

    def __init__(
        self,
        form: Form,
        question: Question,
        parent: QWidget | None = None,
        *,
        horizontal: bool = False,
    ) -> None:
        super().__init__(form, question, parent)
        self.choices = _choices(form, question)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QRadioButton] = {}
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 0, 0, 0)
        self.outer.setSpacing(2)
        layout = QHBoxLayout() if horizontal else self.outer
        for choice in self.choices:
            button = QRadioButton(self)
            self.group.addButton(button)
            self.buttons[choice.name] = button
            button.installEventFilter(self)
            layout.addWidget(button)
        self.clear_button = QPushButton(self)
        self.clear_button.setFlat(True)
        visible_focus(self.clear_button)
        self.clear_button.clicked.connect(self._clear)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignLeading)
        if isinstance(layout, QHBoxLayout):
            layout.addStretch(1)
            self.outer.addLayout(layout)
        self.group.buttonToggled.connect(self._toggled)
        self._sync_clear()

    def _toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._sync_clear()
            self.emit_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._set_tab_stop()  # Qt made the button focused last the Tab stop
        return super().eventFilter(watched, event)

    def _entry_button(self) -> QRadioButton | None:
        """The button Tab enters the group on: the checked one, else the first one shown."""
        shown = [b for b in self.buttons.values() if not b.isHidden()] or list(
            self.buttons.values()
        )
        checked = [b for b in shown if b.isChecked()]
        return (checked or shown)[0] if shown else None

    def _set_tab_stop(self) -> None:
        """Only the entry button takes Tab (Qt keeps the last focused one, so a group whose
        answer is "No" was entered on "Yes" and sounded unanswered)."""
        entry = self._entry_button()
        if entry is None:
            return
        for button in self.buttons.values():
            policy = button.focusPolicy()
            if button is entry:
                button.setFocusPolicy(policy | Qt.FocusPolicy.TabFocus)
            else:
                button.setFocusPolicy(Qt.FocusPolicy(policy.value & ~Qt.FocusPolicy.TabFocus.value))
        self.setFocusProxy(entry)

    def _clear(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self._sync_clear()
        self.emit_changed()
        if self.choices:
            self.buttons[self.choices[0].name].setFocus()

    def _sync_clear(self) -> None:
        self.clear_button.setVisible(self.code() is not None)
        self._set_tab_stop()

    def code(self) -> str | None:
        """The checked choice's code."""
        for code, button in self.buttons.items():
            if button.isChecked():
                return code
        return None

    def value(self) -> object | None:
        return self.code()

    def load(self, value: object | None) -> None:
        self.group.setExclusive(False)
        for code, button in self.buttons.items():
            button.setChecked(code == value)
        self.group.setExclusive(True)
        self._sync_clear()

    def retranslate(self, lang: str) -> None:
        for choice in self.choices:
            self.buttons[choice.name].setText(choice_text(choice, lang, self.second))
        self.clear_button.setText(_("Clear the answer"))

    def show_second(self, lang: str, second: str | None) -> None:
        self.second = second
        self.retranslate(lang)

    def set_accessible_label(self, label: str) -> None:
        # The group says the question (once, on entering it); each button says its choice.
        self.setAccessibleName(label)
        for choice in self.choices:
            button = self.buttons[choice.name]
            button.setAccessibleName(button.text())
        self.clear_button.setAccessibleName(_("Clear the answer to: {question}", question=label))

    def controls(self) -> list[QWidget]:
        return list(self.buttons.values())

    def compound(self) -> bool:
        return True

    def set_allowed_codes(self, codes: frozenset[str] | None) -> None:
        for code, button in self.buttons.items():
            button.setVisible(codes is None or code in codes)
        self._set_tab_stop()


class ListChoiceInput(AnswerInput, ChoiceTexts):
    """One of many choices in a drop-down list; the first entry means "not answered"."""

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(form, question, parent)
        self.choices = _choices(form, question)
        self.combo = QComboBox(self)
        self.combo.addItem("", None)
        for choice in self.choices:
            self.combo.addItem("", choice.name)
        self.combo.activated.connect(lambda _row: self.emit_changed())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.setFocusProxy(self.combo)

    def value(self) -> object | None:
        data = self.combo.currentData()
        return str(data) if data else None

    def load(self, value: object | None) -> None:
        row = self.combo.findData(value) if isinstance(value, str) else 0
        self.combo.setCurrentIndex(max(row, 0))

    def retranslate(self, lang: str) -> None:
        self.combo.setItemText(0, _("— not answered —"))
        for row, choice in enumerate(self.choices, start=1):
            self.combo.setItemText(row, choice_text(choice, lang, self.second, " / "))

    def show_second(self, lang: str, second: str | None) -> None:
        self.second = second
        self.retranslate(lang)

    def set_accessible_label(self, label: str) -> None:
        self.combo.setAccessibleName(label)


class MultipleChoiceInput(AnswerInput, ChoiceTexts):
    """Several choices as check boxes; stored as the list of codes in form order."""

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(form, question, parent)
        self.choices = _choices(form, question)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for choice in self.choices:
            box = QCheckBox(self)
            box.toggled.connect(lambda _checked: self.emit_changed())
            self.boxes[choice.name] = box
            layout.addWidget(box)
        if self.choices:
            self.setFocusProxy(self.boxes[self.choices[0].name])

    def value(self) -> object | None:
        codes = [code for code, box in self.boxes.items() if box.isChecked()]
        return codes or None

    def load(self, value: object | None) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for code, box in self.boxes.items():
            box.setChecked(code in chosen)

    def retranslate(self, lang: str) -> None:
        for choice in self.choices:
            self.boxes[choice.name].setText(choice_text(choice, lang, self.second))

    def show_second(self, lang: str, second: str | None) -> None:
        self.second = second
        self.retranslate(lang)

    def set_accessible_label(self, label: str) -> None:
        self.setAccessibleName(label)  # the group says the question, each box its choice
        for box in self.boxes.values():
            box.setAccessibleName(box.text())

    def controls(self) -> list[QWidget]:
        return list(self.boxes.values())

    def compound(self) -> bool:
        return True

    def set_allowed_codes(self, codes: frozenset[str] | None) -> None:
        for code, box in self.boxes.items():
            box.setVisible(codes is None or code in codes)


class YesNoUnknownInput(RadioChoiceInput):
    """Yes / no / unknown side by side, with a one-line note when the form asks for one."""

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        self.note_edit: QLineEdit | None = None
        super().__init__(form, question, parent, horizontal=True)
        self._note_lang = current_language()
        if question.note:
            self.note_edit = QLineEdit(self)
            self.note_edit.textEdited.connect(self.emit_changed)
            self.outer.addWidget(self.note_edit)

    def value(self) -> object | None:
        code = self.code()
        note = self.note_edit.text().strip() if self.note_edit is not None else ""
        if code is None:
            return None
        if note:
            return {"value": code, "note": {"text": note, "lang": self._note_lang}}
        return code

    def load(self, value: object | None) -> None:
        code = value.get("value") if isinstance(value, dict) else value
        super().load(code)
        if self.note_edit is not None:
            note = value.get("note") if isinstance(value, dict) else None
            text = note.get("text") if isinstance(note, dict) else ""
            self.note_edit.setText(text if isinstance(text, str) else "")
            if isinstance(note, dict) and isinstance(note.get("lang"), str):
                self._note_lang = note["lang"]

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.clear_button.setText(_("Clear"))
        if self.note_edit is not None:
            self.note_edit.setPlaceholderText(_("Note (optional)"))

    def set_accessible_label(self, label: str) -> None:
        super().set_accessible_label(label)
        if self.note_edit is not None:
            self.note_edit.setAccessibleName(_("Note on: {question}", question=label))

    def controls(self) -> list[QWidget]:
        extra = [self.note_edit] if self.note_edit is not None else []
        return [*super().controls(), *extra]
