"""Choosing a new passphrase: the field, a strength meter, the confirmation, a show box."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QProgressBar, QWidget

from intake_app.i18n import _
from intake_app.i18n.formatting import format_number
from intake_app.i18n.qt import register
from intake_app.services.passphrase_strength import (
    ACCEPTED,
    ADVICE,
    LABELS,
    MINIMUM_LENGTH,
    Strength,
    estimate,
    refusal,
)
from intake_app.ui.common import MessageLine, PassphraseEdit, wrap_text

_METER_COLOURS = {
    Strength.TOO_SHORT: "#b00020",
    Strength.WEAK: "#b00020",
    Strength.FAIR: "#b26a00",
    Strength.GOOD: "#2e7d32",
    Strength.STRONG: "#1b5e20",
}


class NewPassphraseFields(QWidget):
    """Two passphrase fields; `acceptable_changed(bool)` says whether the pair can be used."""

    acceptable_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passphrase = PassphraseEdit(self)
        self.passphrase.setObjectName("new_passphrase")
        self.confirmation = PassphraseEdit(self)
        self.confirmation.setObjectName("confirm_passphrase")
        self.meter = QProgressBar(self)
        self.meter.setRange(0, int(Strength.STRONG))
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(12)
        self.strength_label = QLabel(self)
        wrap_text(self.strength_label)
        self.match_line = MessageLine(self)
        self.show_box = QCheckBox(self)
        self.show_box.toggled.connect(self._show)

        self.passphrase_label = QLabel(self)
        self.passphrase_label.setBuddy(self.passphrase)
        self.confirmation_label = QLabel(self)
        self.confirmation_label.setBuddy(self.confirmation)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow("", self.meter)
        form.addRow("", self.strength_label)
        form.addRow(self.confirmation_label, self.confirmation)
        form.addRow("", self.match_line)
        form.addRow("", self.show_box)

        self._acceptable = False
        self.passphrase.textChanged.connect(self._update)
        self.confirmation.textChanged.connect(self._update)
        register(self)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.passphrase_label.setText(_("&New passphrase:"))
        self.confirmation_label.setText(_("&Type it again:"))
        self.passphrase.setAccessibleName(_("New passphrase"))
        self.passphrase.setPlaceholderText(
            _(
                "At least {minimum} characters; several words are easiest",
                minimum=format_number(MINIMUM_LENGTH),
            )
        )
        self.confirmation.setAccessibleName(_("New passphrase again"))
        self.meter.setAccessibleName(_("Passphrase strength"))
        self.show_box.setText(_("&Show what I type"))
        self.show_box.setAccessibleName(_("Show what I type"))
        self._update()

    def _show(self, shown: bool) -> None:
        self.passphrase.set_shown(shown)
        self.confirmation.set_shown(shown)

    def _update(self) -> None:
        text = self.passphrase.text()
        level = estimate(text).strength
        self.meter.setValue(int(level) if text else 0)
        self.meter.setStyleSheet(
            "QProgressBar::chunk { background: %s; }" % _METER_COLOURS[level]  # noqa: UP031
        )
        refused = refusal(text) if text else None
        if refused is not None:
            self.strength_label.setText(refused)
        elif text:
            self.strength_label.setText(
                _(
                    "Strength: {level}. {advice}",
                    level=_(LABELS[level]),
                    advice=_(ADVICE[level], minimum=format_number(MINIMUM_LENGTH)),
                )
            )
        else:
            self.strength_label.setText(
                _("Use at least {minimum} characters.", minimum=format_number(MINIMUM_LENGTH))
            )
        self.meter.setAccessibleDescription(self.strength_label.text())
        confirmation = self.confirmation.text()
        mismatch = bool(confirmation) and confirmation != text
        self.match_line.show_message(_("The two passphrases are different.") if mismatch else "")
        acceptable = level >= ACCEPTED and confirmation == text
        if acceptable != self._acceptable:
            self._acceptable = acceptable
            self.acceptable_changed.emit(acceptable)

    def acceptable(self) -> bool:
        """True when the passphrase is strong enough (fair or better) and typed the same twice."""
        return self._acceptable

    def value(self) -> str:
        """The chosen passphrase."""
        return self.passphrase.text()

    def wipe(self) -> None:
        """Clear both fields."""
        self.passphrase.clear()
        self.confirmation.clear()
        self.show_box.setChecked(False)
