"""The interview list's filters: follow-up status, risk or danger, laptop; and "most urgent first".

Each filter is a combo box with a label that is its buddy (Alt+letter moves to it) and an
accessible name; the choices keep their codes as item data, so a language change keeps what is
chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QWidget

from intake_app.i18n import N_, _, ngettext
from intake_app.i18n.qt import register
from intake_app.sync.centre import FOLLOW_UP_STATUSES, TriageRow, follow_up_text
from intake_app.ui.admin.triage_model import laptop_text

RISK_CHOICES = (
    ("", N_("All")),
    ("urgent", N_("In danger or high risk")),
    ("danger", N_("In immediate danger")),
    ("high", N_("High risk")),
    ("medium", N_("Medium risk")),
    ("low", N_("Low risk")),
    ("none", N_("Risk not assessed")),
)


class TriageFilters(QWidget):
    """Emits `changed` when a filter changes, `urgent_first(bool)` when that box is ticked."""

    changed = Signal()
    urgent_first = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QComboBox(self)
        self.risk = QComboBox(self)
        self.laptop = QComboBox(self)
        self.status_label = QLabel(self)
        self.risk_label = QLabel(self)
        self.laptop_label = QLabel(self)
        for label, combo in (
            (self.status_label, self.status),
            (self.risk_label, self.risk),
            (self.laptop_label, self.laptop),
        ):
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.urgent = QCheckBox(self)
        self.urgent.toggled.connect(self.urgent_first.emit)
        self.shown = QLabel(self)
        self._laptops: list[tuple[str, str]] = []  # (device id, words)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for column, (label, combo) in enumerate(
            (
                (self.status_label, self.status),
                (self.risk_label, self.risk),
                (self.laptop_label, self.laptop),
            )
        ):
            grid.addWidget(label, 0, column)
            grid.addWidget(combo, 1, column)
        grid.setColumnStretch(3, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.urgent)
        bottom.addStretch(1)
        bottom.addWidget(self.shown)
        outer = QGridLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(grid, 0, 0)
        outer.addLayout(bottom, 1, 0)
        register(self)

    def retranslate(self) -> None:
        self.status_label.setText(_("&Follow-up:"))
        self.risk_label.setText(_("&Risk or danger:"))
        self.laptop_label.setText(_("L&aptop:"))
        self.status.setAccessibleName(_("Show interviews with this follow-up status"))
        self.risk.setAccessibleName(_("Show interviews with this risk or danger"))
        self.laptop.setAccessibleName(_("Show interviews from this laptop"))
        self.urgent.setText(_("&Most urgent first"))
        self.urgent.setAccessibleName(_("Most urgent first"))
        self.urgent.setAccessibleDescription(
            _("Sort the interviews: immediate danger first, then high risk, then urgent needs")
        )
        self._fill(
            self.status,
            [("", _("All")), *((code, follow_up_text(code)) for code in FOLLOW_UP_STATUSES)],
        )
        self._fill(self.risk, [(code, _(words)) for code, words in RISK_CHOICES])
        self._fill(self.laptop, [("", _("All laptops")), *self._laptops])

    def _fill(self, combo: QComboBox, choices: Sequence[tuple[str, str]]) -> None:
        chosen = combo.currentData() or ""
        combo.blockSignals(True)
        combo.clear()
        for code, words in choices:
            combo.addItem(words, code)
        index = combo.findData(chosen)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if (combo.currentData() or "") != chosen:
            self.changed.emit()  # the chosen laptop is no longer in the list

    def set_laptops(self, rows: Sequence[TriageRow]) -> None:
        """The laptops the interviews came from, by name."""
        seen: dict[str, str] = {}
        for row in rows:
            seen.setdefault(row.interview.device_id, laptop_text(row))
        self._laptops = sorted(seen.items(), key=lambda item: (item[1].casefold(), item[0]))
        self._fill(self.laptop, [("", _("All laptops")), *self._laptops])

    def values(self) -> tuple[str, str, str]:
        """(follow-up status, risk choice, device id); "" for all."""
        return (
            self.status.currentData() or "",
            self.risk.currentData() or "",
            self.laptop.currentData() or "",
        )

    def show_count(self, shown: int, total: int) -> None:
        """Say how many interviews the filters leave."""
        self.shown.setText(
            ngettext(
                "{shown} of {n} interview shown",
                "{shown} of {n} interviews shown",
                total,
                shown=shown,
            )
        )

    def reset(self) -> None:
        """Every filter back to "All" (without asking the list again)."""
        for combo in (self.status, self.risk, self.laptop):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
