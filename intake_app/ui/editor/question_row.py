"""One question on screen: its label (with a required marker), hint, answer widget and message;
groups and notes; and the builder that turns a list of form questions into these blocks."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout, QWidget

from intake_app.domain.form import Form, Question
from intake_app.i18n import _
from intake_app.ui.common import Heading, MessageLine, announce, wrap_text
from intake_app.ui.editor.answer_input import AnswerInput
from intake_app.ui.editor.choice_inputs import (
    RADIO_LIMIT,
    ListChoiceInput,
    MultipleChoiceInput,
    RadioChoiceInput,
    YesNoUnknownInput,
)
from intake_app.ui.editor.code_picker import CodePicker
from intake_app.ui.editor.long_text import LongTextInput
from intake_app.ui.editor.side_by_side import SecondLine, second_text
from intake_app.ui.editor.simple_inputs import NumberInput, PartialDateInput, TextInput

Key = tuple[str, int | None]  # (question name, repeat entry index or None)


class Block(QWidget):
    """Anything the editor shows for one form entry (question, group or note)."""

    changed = Signal()

    def __init__(self, form: Form, question: Question, item: int | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.form = form
        self.question = question
        self.item = item

    @property
    def key(self) -> Key:
        return (self.question.name, self.item)

    def retranslate(self, lang: str) -> None:
        """Set every text: form labels in `lang`, the rest in the UI language."""

    def blocks(self) -> Iterator[Block]:
        """This block and every block inside it."""
        yield self

    def show_second(self, lang: str, second: str | None) -> None:
        """Show this block's own texts also in `second` (None hides them); not nested blocks."""

    def set_message(self, text: str) -> None:
        """Show a validation message next to the question ("" hides it)."""


class QuestionRow(Block):
    """A question that takes an answer."""

    def __init__(self, form: Form, question: Question, item: int | None, parent: QWidget) -> None:
        super().__init__(form, question, item, parent)
        self.label = QLabel(self)
        wrap_text(self.label)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.hint = QLabel(self)
        wrap_text(self.hint)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.second_label = SecondLine(self)
        self.second_hint = SecondLine(self)
        self.input = make_input(form, question, self)
        self.input.changed.connect(self.changed)
        # One label per field: the control itself, or the whole input when it has several
        # controls (each then names its part: "Date of birth: year", "Yes").
        proxy = self.input.focusProxy()
        self.label.setBuddy(self.input if self.input.compound() or proxy is None else proxy)
        self.message = MessageLine(self, announced=False)  # the control carries it
        self._lang = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.second_label)
        layout.addWidget(self.hint)
        layout.addWidget(self.second_hint)
        layout.addWidget(self.input)
        layout.addWidget(self.message)

    def blocks(self) -> Iterator[Block]:
        yield self
        if isinstance(self.input, RepeatHolder):
            yield from self.input.blocks()

    def label_text(self, lang: str) -> str:
        """The question as shown, without the required marker."""
        return self.question.label(lang)

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        text = self.question.label(lang)
        if self.question.required:
            self.label.setText(_("{question} (required)", question=text))
        else:
            self.label.setText(text)
        hint = self.question.hint(lang)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.input.retranslate(lang)
        self.input.set_accessible_label(text)
        self._describe()

    def description(self) -> str:
        """What a screen reader says after the question's name: the problem, whether an
        answer is required, the hint."""
        parts = [
            self.message.text(),
            _("Required") if self.question.required else "",
            self.question.hint(self._lang) if self._lang else "",
        ]
        return "\n".join(part for part in parts if part)

    def _describe(self) -> None:
        self.input.set_description(self.description())

    def show_second(self, lang: str, second: str | None) -> None:
        question = self.question
        if second is not None:
            self.second_label.show_text(
                second_text(question.label(second), question.label(lang)), second
            )
            self.second_hint.show_text(
                second_text(question.hint(second), question.hint(lang)), second
            )
        else:
            self.second_label.show_text("", None)
            self.second_hint.show_text("", None)
        self.input.show_second(lang, second)

    def set_message(self, text: str) -> None:
        changed = text != self.message.text()
        self.message.show_message(text)
        self._describe()
        focus = QApplication.focusWidget()
        if text and changed and focus is not None and self.isAncestorOf(focus):
            announce(focus, text, urgent=False)  # a problem with what is being typed


class GroupBlock(Block):
    """A heading with questions under it."""

    def __init__(self, form: Form, question: Question, item: int | None, parent: QWidget) -> None:
        super().__init__(form, question, item, parent)
        self.heading = Heading(1.15, self)
        self.second_heading = SecondLine(self)
        self.hint = QLabel(self)
        wrap_text(self.hint)
        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.NoFrame)
        self.children_layout = QVBoxLayout(frame)
        self.children_layout.setContentsMargins(16, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.second_heading)
        layout.addWidget(self.hint)
        layout.addWidget(frame)
        self.inner = build_blocks(form, question.children, frame, self.children_layout, item)
        for block in self.inner:
            block.changed.connect(self.changed)

    def blocks(self) -> Iterator[Block]:
        yield self
        for block in self.inner:
            yield from block.blocks()

    def retranslate(self, lang: str) -> None:
        self.heading.setText(self.question.label(lang))
        hint = self.question.hint(lang)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        for block in self.inner:
            block.retranslate(lang)

    def show_second(self, lang: str, second: str | None) -> None:
        text = self.question.label(second) if second is not None else ""
        self.second_heading.show_text(second_text(text, self.question.label(lang)), second)


class NoteBlock(Block):
    """Text for the worker (or to read out), no answer."""

    def __init__(self, form: Form, question: Question, item: int | None, parent: QWidget) -> None:
        super().__init__(form, question, item, parent)
        self.text = QLabel(self)
        wrap_text(self.text)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setStyleSheet("background: palette(alternate-base); padding: 8px;")
        self.second = SecondLine(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.text)
        layout.addWidget(self.second)

    def note_text(self, lang: str) -> str:
        """The note with its hint, in `lang`."""
        label, hint = self.question.label(lang), self.question.hint(lang)
        return label + ("\n" + hint if hint else "")

    def retranslate(self, lang: str) -> None:
        self.text.setText(self.note_text(lang))

    def show_second(self, lang: str, second: str | None) -> None:
        text = self.note_text(second) if second is not None else ""
        self.second.show_text(second_text(text, self.note_text(lang)), second)


class RepeatHolder(AnswerInput):
    """The interface the repeat widget offers (defined in `repeat.py`)."""

    def blocks(self) -> Iterator[Block]:
        raise NotImplementedError


def make_input(form: Form, question: Question, parent: QWidget) -> AnswerInput:
    """The answer widget for a question's type."""
    kind = question.type
    if kind == "text":
        return TextInput(form, question, parent)
    if kind == "long_text":
        return LongTextInput(form, question, parent)
    if kind in ("integer", "decimal"):
        return NumberInput(form, question, parent)
    if kind == "date":
        return PartialDateInput(form, question, parent)
    if kind == "select_one":
        choice_list = form.choice_list(question)
        many = choice_list is not None and len(choice_list.choices) > RADIO_LIMIT
        return (ListChoiceInput if many else RadioChoiceInput)(form, question, parent)
    if kind == "select_multiple":
        return MultipleChoiceInput(form, question, parent)
    if kind in ("language", "country"):
        return CodePicker(form, question, parent)
    if kind == "yes_no_unknown":
        return YesNoUnknownInput(form, question, parent)
    if kind == "repeat":
        from intake_app.ui.editor.repeat import RepeatInput

        return RepeatInput(form, question, parent)
    raise ValueError(f"no input for question type {kind!r}")


def build_blocks(
    form: Form,
    questions: tuple[Question, ...],
    parent: QWidget,
    layout: QVBoxLayout,
    item: int | None,
) -> list[Block]:
    """One block per question, added to `layout` in form order."""
    blocks: list[Block] = []
    for question in questions:
        block: Block
        if question.type == "group":
            block = GroupBlock(form, question, item, parent)
        elif question.type == "note":
            block = NoteBlock(form, question, item, parent)
        else:
            block = QuestionRow(form, question, item, parent)
        layout.addWidget(block)
        blocks.append(block)
    return blocks
