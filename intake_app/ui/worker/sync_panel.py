"""The sync status in the workspace's status bar, and what starts sync rounds.

A round runs a minute after the last one, soon after unlocking, when Qt reports a change of
network (the laptop is back on the centre's network), when an interview is finished, and on
"Sync now". The status line says where things stand at a glance (offline / sending n of m /
waiting for a receipt / all delivered / a problem and what to do); a bar shows the bytes sent.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QWidget

from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.services.sync_runner import SyncRunner
from intake_app.services.worker import WorkerService
from intake_app.sync.device import SyncState, SyncStatus

ROUND_EVERY_MS = 60_000
FIRST_ROUND_MS = 1_500  # after unlocking: the list first


class _Relay(QObject):
    """Carries a status from the sync thread to the GUI thread (a queued signal). It has no
    parent, so it outlives the panel when a round reports after the vault was locked."""

    status = Signal(object)


class ElidedLabel(QLabel):
    """One line that never widens its window: shortened with "…" to the width it gets, and
    read whole in the tooltip and by screen readers (set those from `full_text`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(
            self.full_text, Qt.TextElideMode.ElideRight, max(self.width(), 1)))


class SyncPanel(QWidget):
    """Status line, progress bar and the round timer for one unlocked vault.

    `deliveries_changed()` says that a round changed what is delivered (a receipt came, an
    interview was refused or waits anew): the list shows the Delivered column again.
    """

    deliveries_changed = Signal()

    def __init__(self, service: WorkerService, parent: QWidget | None = None, *,
                 runner: SyncRunner | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_panel")
        self._relay = _Relay()
        self._relay.status.connect(self._show)
        self.runner = runner or service.sync_runner(self._relay.status.emit)
        self.status: SyncStatus | None = None  # until the first round reports
        # (undelivered, refused, last receipt) of the last round that finished
        self._delivery: tuple[int, int, str | None] | None = None
        self.centre: str | None = None
        self.text = ElidedLabel(self)
        self.text.setObjectName("sync_status")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("sync_progress")
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.progress)
        self.timer = QTimer(self)
        self.timer.setInterval(ROUND_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self._network: Any = None
        self.destroyed.connect(self.runner.close)  # also when torn down without `stop`
        register(self)

    def start(self) -> None:
        """Begin: a first round soon, then one a minute and on network changes."""
        QTimer.singleShot(FIRST_ROUND_MS, self, self.check)
        self.timer.start()
        self._watch_network()

    def stop(self) -> None:
        """The vault is being locked: no more rounds, nothing more shown."""
        self.timer.stop()
        self.runner.close()

    def show_centre(self, name: str | None) -> None:
        """Which centre the interviews go to; None: not enrolled (said at once, no round)."""
        self.centre = name
        if name is None and self.status is None:
            self.status = SyncStatus(SyncState.NOT_ENROLLED)
        self._describe()

    def check(self) -> None:
        self.runner.check()

    def sync_now(self) -> None:
        """The worker asked: a round now (after the running one), resending what waits."""
        sending = self.status is not None and self.status.state is SyncState.SENDING
        if self.runner.check(now=True) is not None and not sending:
            self.text.set_full_text(_("Checking the connection to the centre…"))

    def _watch_network(self) -> None:
        # Qt tells when the network changes (the laptop is back at the centre); not every
        # platform has a backend, and then the minute timer alone notices.
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except (ImportError, RuntimeError):
            return
        if info is not None:
            info.reachabilityChanged.connect(self._network_changed)
            self._network = info

    def _network_changed(self, *_args: object) -> None:
        self.check()

    def _show(self, status: SyncStatus) -> None:
        if status.state is not SyncState.SENDING:
            delivery = (status.undelivered, status.refused, status.last_receipt)
            if delivery != self._delivery:
                self._delivery = delivery
                self.deliveries_changed.emit()
        self.status = status
        self._describe()
        sending = status.state is SyncState.SENDING and status.bytes_total > 0
        if sending:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * status.bytes_sent / status.bytes_total))
        self.progress.setVisible(sending)

    def _describe(self) -> None:
        text = (_("Checking the connection to the centre…") if self.status is None
                else self.status.describe())
        self.text.set_full_text(text)
        lines = [text] if self.centre is None else [
            _("Interviews go to: {centre}", centre=self.centre), text]
        # Qt shows a tip that looks like HTML as HTML; a centre's name or a folder stays text.
        self.text.setToolTip("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
        self.text.setAccessibleName(_("Sync status"))
        self.text.setAccessibleDescription(text)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.progress.setAccessibleName(_("Sending to the centre"))
        self._describe()
