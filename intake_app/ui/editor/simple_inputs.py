"""Answer widgets for one line of text, numbers and partial dates."""

from __future__ import annotations

import datetime as dt

from babel.numbers import NumberFormatError, parse_decimal
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from intake_app.domain.answers import TEXT_MAX_LENGTH
from intake_app.domain.form import Form, Question
from intake_app.i18n import _, current_language
from intake_app.i18n.formatting import ascii_digits
from intake_app.i18n.languages import babel_locale
from intake_app.ui.editor.answer_input import AnswerInput
from intake_app.ui.editor.date_picker import CalendarPopup, limit_date
from intake_app.ui.editor.digits import LocalDigits, shown_digits

# Open the calendar from the date's fields: the keys a date field opens its calendar with.
CALENDAR_KEYS = (QKeySequence("Alt+Down"), QKeySequence(Qt.Key.Key_F4))


def _row(parent: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout(parent)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


class TextInput(AnswerInput):
    """One line of text."""

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(form, question, parent)
        self.edit = QLineEdit(self)
        self.edit.setMaxLength(question.max_length or TEXT_MAX_LENGTH)
        self.edit.textEdited.connect(self.emit_changed)
        _row(self).addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def value(self) -> object | None:
        return self.edit.text() or None

    def load(self, value: object | None) -> None:
        self.edit.setText(value if isinstance(value, str) else "")

    def set_accessible_label(self, label: str) -> None:
        self.edit.setAccessibleName(label)


class NumberInput(AnswerInput):
    """A whole number or a decimal, typed with the locale's decimal sign (or a dot) and digits
    of any script, shown in the UI language's digits."""

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(form, question, parent)
        self.edit = QLineEdit(self)
        self.edit.setMaximumWidth(220)
        pattern = (
            "-?[0-9]{0,12}" if question.type == "integer" else "-?[0-9]{0,12}([.,٫][0-9]{0,6})?"
        )
        self.edit.setValidator(LocalDigits(pattern, self.edit))
        self.edit.textEdited.connect(self.emit_changed)
        layout = _row(self)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self) -> object | None:
        text = ascii_digits(self.edit.text().strip())
        if not text or text == "-":
            return None
        if self.question.type == "integer":
            return int(text)
        try:
            number = parse_decimal(text.replace(",", ".").replace("٫", "."), locale="en")
        except NumberFormatError:
            return None
        return int(number) if number == number.to_integral_value() else float(number)

    def load(self, value: object | None) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.edit.clear()
            return
        text = str(value)
        locale = babel_locale(current_language())
        symbols = locale.number_symbols.get(locale.default_numbering_system, {})
        decimal_sign = symbols.get("decimal", ".")
        text = text.replace(".", decimal_sign if decimal_sign in ".,٫" else ".")
        self.edit.setText(shown_digits(text))

    def retranslate(self, lang: str) -> None:
        self.edit.setText(shown_digits(self.edit.text()))  # the new language's digits

    def set_accessible_label(self, label: str) -> None:
        self.edit.setAccessibleName(label)


class PartialDateInput(AnswerInput):
    """Year, month and day in separate fields; only the year is needed for a partial date.
    A calendar (the button, Alt+Down or F4) fills all three."""

    def __init__(self, form: Form, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(form, question, parent)
        self.year = QLineEdit(self)
        self.month = QLineEdit(self)
        self.day = QLineEdit(self)
        self.labels = [QLabel(self) for _ in range(3)]
        layout = _row(self)
        for label, edit, digits in zip(
            self.labels, (self.year, self.month, self.day), (4, 2, 2), strict=True
        ):
            edit.setValidator(LocalDigits(f"[0-9]{{0,{digits}}}", edit))
            edit.setMaxLength(digits)
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("0") * (digits + 4))
            edit.textEdited.connect(self.emit_changed)
            # Not the edit's buddy: a second label would hide the question ("Year text").
            layout.addWidget(label)
            layout.addWidget(edit)
        self.calendar_button = QPushButton(self)
        self.calendar_button.setObjectName("calendar_button")
        self.calendar_button.clicked.connect(self.open_calendar)
        layout.addWidget(self.calendar_button)
        layout.addStretch(1)
        self.setFocusProxy(self.year)
        self.popup: CalendarPopup | None = None
        for key in CALENDAR_KEYS:
            shortcut = QShortcut(key, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.open_calendar)

    def open_calendar(self) -> CalendarPopup:
        """Show the calendar on the date typed (as far as it goes), else on today."""
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.picked.connect(self._picked)
        parts = [ascii_digits(edit.text().strip()) for edit in (self.year, self.month, self.day)]
        numbers = [int(part) if part.isdigit() else 0 for part in parts]
        today = dt.date.today()
        year = numbers[0] if 1900 <= numbers[0] <= 2100 else today.year
        month = numbers[1] if 1 <= numbers[1] <= 12 else (today.month if not parts[0] else 1)
        shown = QDate(year, month, 1)
        day = numbers[2] if 1 <= numbers[2] <= shown.daysInMonth() else 0
        if not day:
            day = today.day if (year, month) == (today.year, today.month) else 1
        self.popup.open_at(
            self,
            QDate(year, month, day),
            limit_date(self.question.earliest, last=False),
            limit_date(self.question.latest, last=True),
        )
        return self.popup

    def _picked(self, date: QDate) -> None:
        self.year.setText(shown_digits(f"{date.year():04d}"))
        self.month.setText(shown_digits(f"{date.month():02d}"))
        self.day.setText(shown_digits(f"{date.day():02d}"))
        self.calendar_button.setFocus()
        self.emit_changed()

    def value(self) -> object | None:
        year, month, day = (
            ascii_digits(e.text().strip()) for e in (self.year, self.month, self.day)
        )
        if not (year or month or day):
            return None
        # What was typed is kept as typed (in ASCII digits); validation says what is missing
        # or wrong.
        text = year
        if month or day:
            text += "-" + (month.zfill(2) if month else "")
        if day:
            text += "-" + day.zfill(2)
        return text

    def load(self, value: object | None) -> None:
        parts = value.split("-") if isinstance(value, str) else []
        for edit, part in zip(
            (self.year, self.month, self.day), [*parts, "", "", ""], strict=False
        ):
            edit.setText(shown_digits(part))

    def retranslate(self, lang: str) -> None:
        for label, text in zip(self.labels, (_("Year"), _("Month"), _("Day")), strict=True):
            label.setText(text)
        for edit in self.controls():
            assert isinstance(edit, QLineEdit)
            edit.setText(shown_digits(edit.text()))  # the new language's digits
        optional = self.question.partial
        self.year.setPlaceholderText(_("YYYY"))
        self.month.setPlaceholderText(_("MM") if not optional else _("MM, if known"))
        self.day.setPlaceholderText(_("DD") if not optional else _("DD, if known"))
        for edit in (self.month, self.day):
            edit.setFixedWidth(
                max(edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 16, 48)
            )
        self.calendar_button.setText(_("Calendar…"))
        self.calendar_button.setToolTip(_("Pick the date from a calendar (Alt+Down or F4)"))

    def set_accessible_label(self, label: str) -> None:
        self.year.setAccessibleName(_("{question}: year", question=label))
        self.month.setAccessibleName(_("{question}: month", question=label))
        self.day.setAccessibleName(_("{question}: day", question=label))
        self.calendar_button.setAccessibleName(
            _("{question}: pick from a calendar", question=label)
        )

    def controls(self) -> list[QWidget]:
        return [self.year, self.month, self.day]

    def compound(self) -> bool:
        return True

    def set_description(self, text: str) -> None:
        for edit in self.controls():
            assert isinstance(edit, QLineEdit)
            # One line each, as the question's description (not "hint.. YYYY"): the format
            # after the problem, "Required" and the hint.
            parts = [part for part in (text, edit.placeholderText()) if part]
            edit.setAccessibleDescription("\n".join(parts))
