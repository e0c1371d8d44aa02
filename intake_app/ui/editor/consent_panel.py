"""The consent text in large print, in the interview language, to show the person (full screen).

It shows only the form's consent notes: nothing typed, nothing about the person. While a consent
text is still a draft translation in that language, a line above it says so, in that language
and in the worker's.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.form import Form, Question
from intake_app.i18n import _, current_language
from intake_app.i18n.qt import layout_direction, register
from intake_app.ui.common import fit_to_screen, wrap_text

CONSENT_TEXT_SCALE = 1.8


def consent_notes(form: Form, section: Question) -> list[Question]:
    """The notes (texts to read out) of `section` when it is a consent section of the form."""
    gate = form.consent_gate
    if gate is None or section.name not in gate.open_sections:
        return []
    return [question for question in section.walk() if question.type == "note"]


def consent_text(form: Form, lang: str) -> str:
    """Every consent note of the form in `lang`, one paragraph each."""
    paragraphs: list[str] = []
    for section in form.questions:
        for note in consent_notes(form, section):
            paragraphs.extend(text for text in (note.label(lang), note.hint(lang)) if text)
    return "\n\n".join(paragraphs)


def consent_is_draft(form: Form, lang: str) -> bool:
    """Whether a consent text of the form is still a draft translation in `lang`."""
    return any(
        form.text_status(note, lang) == "draft"
        for section in form.questions
        for note in consent_notes(form, section)
    )


def consent_language(form: Form, interview: object, second: str | None, ui: str) -> str:
    """The interview language when the form has it, else the second language, else the UI's."""
    for code in (interview, second):
        if isinstance(code, str) and code in form.languages:
            return code
    return ui


class ConsentPanel(QDialog):
    """Large consent text in one language; "Full screen" shows it alone, Esc closes it."""

    def __init__(self, form: Form, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consent_panel")
        self.form = form
        self.lang = lang
        self.draft = consent_is_draft(form, lang)
        # "Draft translation - confirm with the interpreter": in the interview language (fixed)
        # and in the worker's (follows language changes), each in its own direction.
        self.draft_line = _notice_line("consent_draft_notice", self)
        self.draft_line.setLayoutDirection(layout_direction(lang))
        self.draft_line.setText(form.draft_notice(lang) if self.draft else "")
        self.draft_line.setVisible(bool(self.draft_line.text()))
        self.worker_draft_line = _notice_line("consent_draft_notice_worker", self)
        self.text = QLabel(self)
        self.text.setObjectName("consent_text")
        wrap_text(self.text)
        self.text.setMargin(16)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The text reads in its own direction whatever the worker's language is.
        self.text.setLayoutDirection(layout_direction(lang))
        font = QFont(self.text.font())
        font.setPointSizeF(max(font.pointSizeF(), 1.0) * CONSENT_TEXT_SCALE)
        self.text.setFont(font)
        self.text.setText(consent_text(form, lang))
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.text)
        self.full_button = QPushButton(self)
        self.full_button.setObjectName("consent_full_screen")
        self.full_button.setCheckable(True)
        self.full_button.toggled.connect(self._full_screen)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("consent_close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.full_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.addWidget(self.draft_line)
        layout.addWidget(self.worker_draft_line)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, QSize(900, 600))
        register(self)

    def retranslate(self) -> None:
        """The buttons in the worker's language; the consent text stays in its own."""
        self.setWindowTitle(_("Consent"))
        self.text.setAccessibleName(_("Consent text"))
        self.full_button.setText(_("Full screen"))
        self.full_button.setAccessibleName(_("Full screen"))
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        ui = current_language()
        notice = self.form.draft_notice(ui) if self.draft else ""
        self.worker_draft_line.setLayoutDirection(layout_direction(ui))
        self.worker_draft_line.setText(notice)
        # Once is enough when the worker reads the interview language (or both fall back alike).
        self.worker_draft_line.setVisible(bool(notice) and notice != self.draft_line.text())

    def _full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc closes the panel, also in full screen (QDialog's own Esc handling does the same,
        # but only when no child has taken the key).
        if event.key() == Qt.Key.Key_Escape:
            self.reject()
            return
        super().keyPressEvent(event)


def _notice_line(name: str, parent: QWidget) -> QLabel:
    """A line of plain text in the usual size, at the start of its own reading direction.

    Not italic: Arabic and Thai scripts have no italic, and a slanted fallback reads worse.
    """
    line = QLabel(parent)
    line.setObjectName(name)
    wrap_text(line)
    line.setTextFormat(Qt.TextFormat.PlainText)
    line.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return line
