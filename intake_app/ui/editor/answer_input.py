"""The common shape of every answer widget in the editor."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from intake_app.domain.form import Form, Question


class AnswerInput(QWidget):
    """A widget that edits one answer: `value()` is the stored shape (None when empty).

    `changed` is emitted on every edit by the person, never by `set_value`.
    """

    changed = Signal()

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.question = question
        self._loading = False

    def value(self) -> object | None:
        """The answer in its stored shape, or None when nothing is given."""
        raise NotImplementedError

    def set_value(self, value: object | None) -> None:
        """Show a stored answer without emitting `changed`."""
        self._loading = True
        try:
            self.load(value)
        finally:
            self._loading = False

    def load(self, value: object | None) -> None:
        """Show a stored answer (subclasses; `changed` is suppressed meanwhile)."""
        raise NotImplementedError

    def emit_changed(self) -> None:
        """Tell the editor about an edit by the person."""
        if not self._loading:
            self.changed.emit()

    def retranslate(self, lang: str) -> None:
        """Set choice labels and hints in `lang` (the form's labels) and the UI language."""

    def show_second(self, lang: str, second: str | None) -> None:
        """Show choice labels also in `second` (None: only in `lang`); no choices, nothing."""

    def set_accessible_label(self, label: str) -> None:
        """Give the inner controls the question as their accessible name."""

    def controls(self) -> list[QWidget]:
        """The controls the person answers with (each is told the hint and any problem)."""
        proxy = self.focusProxy()
        return [proxy] if proxy is not None else []

    def compound(self) -> bool:
        """Whether the answer takes several controls (choices, a date's parts): the question's
        label then names the whole input, each control names its own part."""
        return False

    def set_description(self, text: str) -> None:
        """Tell screen readers `text` (problem, "required", hint) with each control."""
        for control in self.controls():
            control.setAccessibleDescription(text)

    def focus_input(self) -> None:
        """Put the keyboard focus into the first control."""
        self.setFocus()

    def set_allowed_codes(self, codes: frozenset[str] | None) -> None:
        """Offer only these choices (None: all); used for choices that depend on earlier answers."""
