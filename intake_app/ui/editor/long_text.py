"""Long free text tagged with the language it is written in (the account, its translation)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from intake_app.domain.answers import LONG_TEXT_MAX_LENGTH
from intake_app.domain.form import Form, Question
from intake_app.i18n import LANGUAGE_CODES, _, current_language
from intake_app.i18n.formatting import language_name
from intake_app.ui.editor.answer_input import AnswerInput


class LongTextInput(AnswerInput):
    """A text box and the language of the text; stored as {"text": ..., "lang": ...}."""

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(form, question, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(120)
        self.edit.textChanged.connect(self._text_changed)
        self.lang_label = QLabel(self)
        self.lang = QComboBox(self)
        self.lang_label.setBuddy(self.lang)
        self._codes = list(question.languages or dict.fromkeys((*LANGUAGE_CODES, *form.languages)))
        for code in self._codes:
            self.lang.addItem(code, code)
        self.lang.activated.connect(lambda _row: self.emit_changed())
        self._max = question.max_length or LONG_TEXT_MAX_LENGTH
        row = QHBoxLayout()
        row.addWidget(self.lang_label)
        row.addWidget(self.lang)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addLayout(row)
        self.setFocusProxy(self.edit)
        self.set_default_language(current_language())

    def _text_changed(self) -> None:
        if len(self.edit.toPlainText()) > self._max:
            cursor = self.edit.textCursor()
            self.edit.setPlainText(self.edit.toPlainText()[: self._max])
            self.edit.setTextCursor(cursor)
        self.emit_changed()

    def set_default_language(self, code: str) -> None:
        """Tag new text with `code` (the interview language) until the person picks another."""
        if self.edit.toPlainText().strip():
            return
        row = self.lang.findData(code)
        if row < 0 and code not in self._codes and self.question.languages is None:
            self._codes.append(code)
            self.lang.addItem(code, code)
            row = self.lang.count() - 1
        if row >= 0:
            self.lang.setCurrentIndex(row)

    def value(self) -> object | None:
        text = self.edit.toPlainText()
        if not text.strip():
            return None
        return {"text": text, "lang": str(self.lang.currentData())}

    def load(self, value: object | None) -> None:
        text = value.get("text") if isinstance(value, dict) else None
        lang = value.get("lang") if isinstance(value, dict) else None
        self.edit.setPlainText(text if isinstance(text, str) else "")
        if isinstance(lang, str):
            if self.lang.findData(lang) < 0:
                self._codes.append(lang)
                self.lang.addItem(lang, lang)
            self.lang.setCurrentIndex(self.lang.findData(lang))

    def retranslate(self, lang: str) -> None:
        self.lang_label.setText(_("Language of the text:"))
        for row in range(self.lang.count()):
            code = str(self.lang.itemData(row))
            self.lang.setItemText(row, language_name(code))
            # The name of a language reads in its own direction inside any layout.
            self.lang.setItemData(
                row, Qt.AlignmentFlag.AlignLeading, Qt.ItemDataRole.TextAlignmentRole
            )

    def set_accessible_label(self, label: str) -> None:
        self.edit.setAccessibleName(label)
        self.lang.setAccessibleName(_("Language of the text: {question}", question=label))
