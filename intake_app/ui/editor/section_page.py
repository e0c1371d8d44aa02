"""One section of the form on screen: its title, a notice while consent is missing, questions."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from intake_app.domain.form import Form, Question
from intake_app.i18n import _
from intake_app.ui.common import Heading, wrap_text
from intake_app.ui.editor.consent_panel import consent_notes
from intake_app.ui.editor.question_row import Block, build_blocks
from intake_app.ui.editor.side_by_side import SecondLine, second_text


class SectionPage(QScrollArea):
    """A scrolling page with the blocks of one top-level form entry; the consent section has a
    button that emits `consent_requested` (the consent text to show the person)."""

    consent_requested = Signal()

    def __init__(self, form: Form, section: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        # Not a Tab stop of its own (an unnamed one): Tab goes to the controls, which it shows.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 24)
        self.title = Heading(1.4, body)
        self.second_title = SecondLine(body)
        self.consent_button = QPushButton(body)
        self.consent_button.setObjectName("show_consent_text")
        self.consent_button.clicked.connect(self.consent_requested)
        self.consent_button.setVisible(bool(consent_notes(form, section)))
        self.hint = QLabel(body)
        wrap_text(self.hint)
        self.consent_notice = QLabel(body)
        wrap_text(self.consent_notice)
        self.consent_notice.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px;")
        self.consent_notice.hide()
        layout.addWidget(self.title)
        layout.addWidget(self.second_title)
        layout.addWidget(self.consent_button, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.hint)
        layout.addWidget(self.consent_notice)
        children = section.children if section.type == "group" else (section,)
        self.blocks = build_blocks(form, children, body, layout, None)
        layout.addStretch(1)
        self.setWidget(body)

    def all_blocks(self) -> Iterator[Block]:
        """Every block on the page, nested ones included."""
        for block in self.blocks:
            yield from block.blocks()

    def set_read_only(self, read_only: bool) -> None:
        """A finished interview: the answers are shown, not edited (until Edit)."""
        body = self.widget()
        if body is not None:
            body.setEnabled(not read_only)
            body.setPalette(readable_when_disabled(self.palette()) if read_only else QPalette())
            # With the application's style sheet (the focus ring) a palette is not enough: the
            # style sheet draws disabled text grey unless a rule says otherwise.
            body.setStyleSheet(readable_rule(self.palette()) if read_only else "")

    def set_open(self, is_open: bool) -> None:
        """Show the consent notice instead of questions while the section is closed."""
        self.consent_notice.setVisible(not is_open)

    def retranslate(self, lang: str) -> None:
        self.title.setText(self.section.label(lang))
        hint = self.section.hint(lang)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.consent_notice.setText(
            _(
                "Record the consent to the interview and to data processing first. "
                "These questions open when consent is given."
            )
        )
        self.consent_button.setText(_("Show the consent text to the person…"))
        self.consent_button.setAccessibleName(_("Show the consent text to the person"))
        for block in self.blocks:
            block.retranslate(lang)

    def show_second(self, lang: str, second: str | None) -> None:
        """Show the section's title also in `second` (None hides it)."""
        text = self.section.label(second) if second is not None else ""
        self.second_title.show_text(second_text(text, self.section.label(lang)), second)

    def reveal(self, widget: QWidget) -> None:
        """Scroll so that `widget` is in view."""
        self.ensureWidgetVisible(widget, 24, 48)


def readable_rule(palette: QPalette) -> str:
    """A style sheet rule giving disabled texts the normal text colour (see above)."""
    colour = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text).name()
    return f"*:disabled {{ color: {colour}; }}"


def readable_when_disabled(palette: QPalette) -> QPalette:
    """`palette` with its disabled texts in the normal colours: a finished interview's answers
    cannot be changed, but they are there to be read, not greyed to a faint outline."""
    readable = QPalette(palette)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.PlaceholderText):
        readable.setColor(QPalette.ColorGroup.Disabled, role,
                          palette.color(QPalette.ColorGroup.Active, role))
    return readable
