"""A calendar to pick a date from, besides typing it: a QCalendarWidget in a popup under the
date's fields, in the UI language (month and day names, the first day of the week, right to
left for Arabic and Dari). Enter or a double click picks the day; Escape closes it unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QFrame, QVBoxLayout, QWidget

from intake_app.domain.answers import parse_partial_date
from intake_app.i18n import _, current_language
from intake_app.i18n.qt import layout_direction, qt_locale

# The calendar never offers days no date question could take.
FIRST_DAY = QDate(1900, 1, 1)
LAST_DAY = QDate(2100, 12, 31)


def limit_date(text: str | None, *, last: bool) -> QDate | None:
    """A form's "min"/"max" ("2000-01-01", "1900") as the first or last day it allows."""
    parts = parse_partial_date(text) if text else None
    if parts is None:
        return None
    year, month, day = (*parts, 0, 0)[:3]
    if not last:
        return QDate(year, month or 1, day or 1)
    if not month:
        return QDate(year, 12, 31)
    end = QDate(year, month, 1)
    return QDate(year, month, day or end.daysInMonth())


class CalendarPopup(QFrame):
    """The popup; `picked(date)` when a day is chosen."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("calendar_popup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("calendar")
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.activated.connect(self._activated)
        self.calendar.clicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calendar)
        self.setFocusProxy(self.calendar)

    def open_at(
        self,
        anchor: QWidget,
        date: QDate,
        earliest: QDate | None,
        latest: QDate | None,
    ) -> None:
        """Show the calendar under `anchor` (its leading edge lined up), on `date`."""
        lang = current_language()
        locale = qt_locale(lang)
        direction = layout_direction(lang)
        self.setLayoutDirection(direction)
        self.calendar.setLocale(locale)
        self.calendar.setFirstDayOfWeek(locale.firstDayOfWeek())
        self.calendar.setDateRange(earliest or FIRST_DAY, latest or LAST_DAY)
        self.calendar.setSelectedDate(date)
        self.calendar.setAccessibleName(_("Calendar"))
        self.calendar.setAccessibleDescription(
            _(
                "Arrow keys move by day and week, Page Up and Page Down by month. Enter picks the "
                "day; Escape closes the calendar without a change."
            )
        )
        self._fit()
        size = self.size()
        if direction == Qt.LayoutDirection.RightToLeft:
            corner = anchor.mapToGlobal(QPoint(anchor.width() - size.width(), anchor.height()))
        else:
            corner = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = anchor.screen().availableGeometry()
        x = max(screen.left(), min(corner.x(), screen.right() - size.width()))
        y = corner.y()
        if y + size.height() > screen.bottom():  # no room below: open above the fields
            y = anchor.mapToGlobal(QPoint(0, 0)).y() - size.height()
        self.move(x, max(screen.top(), y))
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _fit(self) -> None:
        """Size the popup to the calendar. Its own size hint leaves the last week half cut
        off (the rows take more than it counts with a large text size): add half a line."""
        metrics = self.calendar.fontMetrics()
        locale = self.calendar.locale()
        widest = max(
            metrics.horizontalAdvance(locale.dayName(day, QLocale.FormatType.ShortFormat))
            for day in range(1, 8)
        )
        self.calendar.setMinimumSize(0, 0)
        hint = self.calendar.sizeHint()
        # Room for each day's name (Arabic's are whole words) and for the last week's row.
        self.calendar.setMinimumSize(
            max(hint.width(), 7 * (widest + 16)), hint.height() + metrics.height() // 2 + 4
        )
        self.adjustSize()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def _activated(self, date: QDate) -> None:
        self.close()
        self.picked.emit(date)
