"""Delivered interviews: how long they stay on this laptop, and what will be removed when.

The retention period is the vault's policy (kept in the vault, not in the computer's
settings). The list shows every interview with its delivery state and the local date it will
be removed, or why it stays: only delivered, unchanged interviews are ever removed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _, ngettext
from intake_app.i18n.formatting import format_moment, format_number
from intake_app.i18n.qt import register
from intake_app.services.retention import (
    DEFAULT_DAYS,
    MAX_DAYS,
    InterviewRemoval,
    Removal,
    RetentionOverview,
    retention_overview,
    set_retention,
)
from intake_app.services.worker import WorkerService
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.tasks import when_done
from intake_app.ui.worker.row_list import RowList

VISIBLE_ROWS = 5  # never squeezed below this many rows: the page scrolls instead


def interview_name(row: InterviewRemoval) -> str:
    """The alias the worker gave, or what the interview is when it has none."""
    if row.deleted:
        return _("Deleted interview")
    return row.alias or _("Interview without an alias")


def delivery_text(row: InterviewRemoval) -> str:
    """The interview's delivery state in the worker's words."""
    if row.removal is Removal.SCHEDULED and row.delivered is not None:
        return _("Delivered {date}", date=format_moment(row.delivered, date_only=True))
    if row.removal is Removal.CHANGED:
        return _("Changed since it was delivered")
    if row.removal is Removal.KEPT:
        return _("Delivered")
    return _("Not delivered yet")


def removal_text(row: InterviewRemoval, now: datetime) -> str:
    """When the interview is removed from this laptop, or why it stays."""
    if row.removal is Removal.SCHEDULED and row.remove_after is not None:
        if row.remove_after <= now:
            return _("At the next sync")
        return format_moment(row.remove_after, date_only=True)
    if row.removal is Removal.CHANGED:
        return _("Kept until the changes are delivered")
    if row.removal is Removal.KEPT:
        return _("Never")
    return _("Kept until delivered")


class PurgeList(RowList):
    """Interview, delivery state, removal date: one row per interview, soonest removal first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("purge_list", 3, VISIBLE_ROWS, parent)
        self._rows: list[InterviewRemoval] = []
        register(self)

    def retranslate(self) -> None:
        """Set the headers and every row's texts (dates too) in the current language."""
        self.setHeaderLabels([_("Interview"), _("Delivery"), _("Removed from this laptop")])
        self.setAccessibleName(_("Interviews and when they are removed from this laptop"))
        self._fill()

    def show_rows(self, rows: list[InterviewRemoval]) -> None:
        """Show these interviews (replacing the earlier list)."""
        self._rows = list(rows)
        self._fill()

    def _fill(self) -> None:
        now = datetime.now(UTC)
        self.refill(
            (row.record_id, [interview_name(row), delivery_text(row), removal_text(row, now)])
            for row in self._rows
        )


class RetentionSection(QWidget):
    """The retention setting (days, or never) and the list of what goes when."""

    def __init__(self, service: WorkerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._overview: RetentionOverview | None = None
        self.days_label = QLabel(self)
        wrap_text(self.days_label)
        self.days = QSpinBox(self)
        self.days.setRange(0, MAX_DAYS)
        self.days.setValue(DEFAULT_DAYS)
        # Stored when the number is complete (Enter, leaving the field, arrow keys), not at
        # each digit typed.
        self.days.setKeyboardTracking(False)
        self.days_unit = QLabel(self)
        self.days_label.setBuddy(self.days)
        self.never = QCheckBox(self)
        self.explain = QLabel(self)
        wrap_text(self.explain)
        self.list = PurgeList(self)
        self.summary = QLabel(self)
        wrap_text(self.summary)
        self.summary.setObjectName("purge_summary")
        self.error = MessageLine(self)
        row = QHBoxLayout()
        row.addWidget(self.days)
        row.addWidget(self.days_unit)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.days_label)
        layout.addLayout(row)
        layout.addWidget(self.never)
        layout.addWidget(self.explain)
        layout.addWidget(self.error)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        self._set_enabled(False)
        self.days.valueChanged.connect(lambda _days: self._store())
        self.never.toggled.connect(lambda _never: self._store())
        register(self)
        when_done(
            retention_overview(service),
            self._show,
            self._failed,
            owner=self,
            context="reading the retention period",
        )

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.days_label.setText(_("&Keep delivered interviews on this laptop for:"))
        self.days.setAccessibleName(_("Days to keep delivered interviews"))
        self.days_unit.setText(ngettext("day", "days", self.days.value()))
        self.never.setText(_("&Never remove them"))
        self.never.setAccessibleName(_("Never remove delivered interviews"))
        self.explain.setText(
            _(
                "The days count from the centre's receipt. Only interviews that your centre "
                "has confirmed and that have not changed since are removed. Interviews not "
                "yet delivered are never removed."
            )
        )
        self._show_summary()

    def _set_enabled(self, enabled: bool) -> None:
        self.never.setEnabled(enabled)
        self.days.setEnabled(enabled and not self.never.isChecked())

    def _show(self, overview: RetentionOverview) -> None:
        self._overview = overview
        for control in (self.days, self.never):
            control.blockSignals(True)
        self.never.setChecked(overview.days is None)
        if overview.days is not None:
            self.days.setValue(overview.days)
        for control in (self.days, self.never):
            control.blockSignals(False)
        self.days_unit.setText(ngettext("day", "days", self.days.value()))
        self._set_enabled(True)
        self.error.show_message("")
        self.list.show_rows(overview.interviews)
        self._show_summary()

    def _store(self) -> None:
        days = None if self.never.isChecked() else self.days.value()
        self.days_unit.setText(ngettext("day", "days", self.days.value()))
        self.days.setEnabled(not self.never.isChecked())
        when_done(
            set_retention(self._service, days),
            self._show,
            self._failed,
            owner=self,
            context="storing the retention period",
        )

    def _failed(self, error: KnownError) -> None:
        if self._overview is not None:
            self._show(self._overview)  # back to what is stored
        self.error.show_message(error.translated())

    def _show_summary(self) -> None:
        overview = self._overview
        if overview is None:
            self.summary.clear()
            return
        count = sum(1 for row in overview.interviews if row.removal is Removal.SCHEDULED)
        kept = len(overview.interviews) - count
        if not overview.interviews:
            self.summary.setText(_("There are no interviews on this laptop."))
            return
        if overview.days is None:
            text = _("Delivered interviews are never removed from this laptop.")
        else:
            text = ngettext(
                "{count} interview will be removed on the date shown.",
                "{count} interviews will be removed on the dates shown.",
                count,
                count=format_number(count),
            )
        text += " " + ngettext(
            "{count} interview stays on this laptop.",
            "{count} interviews stay on this laptop.",
            kept,
            count=format_number(kept),
        )
        self.summary.setText(text)
