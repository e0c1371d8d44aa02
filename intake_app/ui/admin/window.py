"""The administrator's window: set up or unlock, then laptops, interviews, import log and alerts.

While the centre is open the inbox is watched; each import shows in the progress bar and the
tabs are read again when a scan ends. Locking shows the unlock page at once, destroys the
workspace (a fresh, empty one waits for the next unlock, so nothing read before the lock can
land in it) and closes the vault, without waiting behind work that hangs on the share.
Closing the window waits until an unsaved follow-up change is stored (it says so meanwhile);
when it cannot be stored the window stays open and says why, unless the administrator
chooses to close without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError, VaultLocked
from intake_app.i18n import _, ngettext, set_language
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.sync.centre import ImportResult, Outcome, ScanProgress
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.conflicts import ConflictsView
from intake_app.ui.admin.devices_tab import DevicesTab
from intake_app.ui.admin.exports_tab import ExportsTab
from intake_app.ui.admin.forms_tab import FormsTab
from intake_app.ui.admin.inbox_watch import DEFAULT_INTERVAL_MS, InboxWatch
from intake_app.ui.admin.interviews_tab import InterviewsTab
from intake_app.ui.admin.log_tab import AlertsTab, LogTab
from intake_app.ui.admin.referral import ReferralPrinter
from intake_app.ui.admin.setup_page import SetupPage
from intake_app.ui.admin.unlock_page import UnlockPage
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import fit_to_screen, wrap_text
from intake_app.ui.idle_lock import IdleLock
from intake_app.ui.language_combo import LanguageCombo
from intake_app.ui.tasks import when_done
from intake_app.ui.vault_damage import when_pages_checked

DEFAULT_IDLE_SECONDS = 5 * 60


class AdminWindow(QMainWindow):
    """The centre administrator's one window."""

    def __init__(self, service: CentreService, *, watch_interval_ms: int = DEFAULT_INTERVAL_MS,
                 idle_seconds: float = DEFAULT_IDLE_SECONDS) -> None:
        super().__init__()
        self.setObjectName("centre_window")
        self.service = service
        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self._closing = False  # waiting for the follow-up to be stored before closing
        self._may_close = False  # stored, or the administrator chose to close without it
        self.close_refused: QMessageBox | None = None  # why the window is still open
        self.unlock_page = UnlockPage(service, self)
        self.unlock_page.unlocked.connect(self._unlocked)
        self.pages.addWidget(self.unlock_page)
        self.setup_page: SetupPage | None = None
        if not service.exists():
            self.setup_page = SetupPage(service, self)
            self.setup_page.done.connect(self._set_up)
            self.pages.addWidget(self.setup_page)
            self.pages.setCurrentWidget(self.setup_page)
        self.watch = InboxWatch(service, watch_interval_ms, self)
        self.watch.progress.connect(self._progress)
        self.watch.finished.connect(self._scanned)
        self.watch.failed.connect(self._watch_failed)
        self._build_workspace()
        # A window shortcut: the button's own would be replaced by its mnemonic on retranslate.
        self.lock_shortcut = QShortcut(QKeySequence("Ctrl+L"), self)
        self.lock_shortcut.activated.connect(self._lock_if_open)
        # The centre vault holds every imported interview: lock it when nobody is at the desk.
        self.idle = IdleLock(idle_seconds, self)
        self.idle.lock_now.connect(lambda _reason: self.lock())
        fit_to_screen(self, QSize(1200, 800))
        register(self)

    def _build_workspace(self) -> None:
        self.workspace = QWidget(self)
        self.centre_name = QLabel(self.workspace)
        self.centre_name.setTextFormat(Qt.TextFormat.PlainText)
        self.import_button = QPushButton(self.workspace)
        self.scan_button = QPushButton(self.workspace)
        # Made after the buttons before it on screen, so that Tab follows the row; labelled,
        # as Qt names a combo box by its current text, not its purpose.
        self.language = LanguageCombo(self.workspace, labelled=True)
        self.language.chosen.connect(set_language)
        self.lock_button = QPushButton(self.workspace)
        self.progress = QProgressBar(self.workspace)
        self.progress.hide()
        self.status = QLabel(self.workspace)
        # File names come from the share: never markup, never a line break of their own.
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        wrap_text(self.status)
        self.tabs = QTabWidget(self.workspace)
        self.devices = DevicesTab(self.service, self.tabs)
        self.interviews = InterviewsTab(self.service, self.tabs)
        self.log = LogTab(self.service, self.tabs)
        self.alerts = AlertsTab(self.service, self.tabs)
        self.exports = ExportsTab(self.service, self.tabs)
        self.conflicts = ConflictsView(self.service, self.tabs)
        self.forms = FormsTab(self.service, self.tabs)
        for tab in (self.devices, self.interviews, self.log, self.alerts, self.exports,
                    self.conflicts, self.forms):
            self.tabs.addTab(tab, "")
        # Records of a new version show with its form; the tab read its own list already.
        self.forms.changed.connect(lambda: self.refresh(besides=self.forms))
        self.conflicts.changed.connect(self.refresh)
        self.conflicts.counted.connect(lambda _count: self.retranslate())
        self.alerts.held.compare_button.clicked.connect(
            lambda: self.tabs.setCurrentWidget(self.conflicts))
        self.devices.changed.connect(self.refresh)
        self.alerts.changed.connect(self.refresh)
        self.alerts.model.modelReset.connect(self.retranslate)
        top = QHBoxLayout()
        # The name at the start and the space after it: a stretching label would place a Latin
        # name by its own direction, at the far side of the row in right-to-left languages.
        top.addWidget(self.centre_name)
        top.addStretch(1)
        assert self.language.label is not None
        for widget in (self.import_button, self.scan_button, self.language.label, self.language,
                       self.lock_button):
            top.addWidget(widget)
        column = QVBoxLayout(self.workspace)
        column.addLayout(top)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addWidget(self.tabs)
        self.import_button.clicked.connect(self.choose_files)
        self.scan_button.clicked.connect(self.watch.scan_now)
        self.lock_button.clicked.connect(self.lock)
        # Results of a referral asked before a lock are dropped with the workspace.
        self.referral = ReferralPrinter(self.service, self.workspace)
        self.referral.attach(self.interviews.print_button, self._current_record_id)
        self.pages.addWidget(self.workspace)

    def retranslate(self) -> None:
        """Texts in the current language; the title never names anything."""
        self.setWindowTitle(WINDOW_TITLE)
        self.import_button.setText(_("Import files…"))
        self.scan_button.setText(_("Check the inbox now"))
        self.lock_button.setText(_("Lock"))
        self.import_button.setAccessibleName(_("Import bundle files"))
        self.scan_button.setAccessibleName(_("Check the inbox now"))
        self.lock_button.setAccessibleName(_("Lock"))
        self.progress.setAccessibleName(_("Importing bundles"))
        self.tabs.setTabText(0, _("Laptops"))
        self.tabs.setTabText(1, _("Interviews"))
        self.tabs.setTabText(2, _("Import log"))
        count = self.alerts.count()
        self.tabs.setTabText(3, ngettext("Alerts ({count})", "Alerts ({count})", count,
                                         count=count) if count else _("Alerts"))
        self.tabs.setTabText(4, _("Exports"))
        conflicts = self.conflicts.count()
        self.tabs.setTabText(5, ngettext("Conflicts ({count})", "Conflicts ({count})", conflicts,
                                         count=conflicts) if conflicts else _("Conflicts"))
        self.tabs.setTabText(6, _("Forms"))

    def _set_up(self) -> None:
        """The new centre exists: open it like any other, and drop the set-up page."""
        page, self.setup_page = self.setup_page, None
        self.pages.setCurrentWidget(self.unlock_page)
        self.unlock_page.reset()
        if page is not None:
            self.pages.removeWidget(page)
            page.deleteLater()

    def _unlocked(self, name: str) -> None:
        self.centre_name.setText(name)
        self.pages.setCurrentWidget(self.workspace)
        self.tabs.tabBar().setFocus()  # the keyboard starts on the tabs, not a stray button
        self.refresh()
        self.watch.start()
        self.idle.arm()
        check = self.service.check_pages_if_needed()
        if check is not None:
            when_done(check, lambda intact: when_pages_checked(intact, self), lambda _e: None,
                      owner=self, context="centre page check")

    def refresh(self, besides: QWidget | None = None) -> None:
        """Read every tab again (but `besides`, which did)."""
        for tab in (self.devices, self.interviews, self.log, self.alerts, self.conflicts,
                    self.forms):
            if tab is not besides:
                tab.refresh()

    def choose_files(self) -> None:
        """Import bundle files picked by hand (from a USB stick, say)."""
        names, _filter = QFileDialog.getOpenFileNames(self, WINDOW_TITLE, "",
                                                      _("Intake bundles (*.ibundle)"))
        if names:
            self.import_paths([Path(name) for name in names])

    def import_paths(self, paths: Sequence[Path]) -> None:
        if not self.watch.import_files(paths):
            self.status.setText(_("An import is running; try again when it has finished."))

    def _progress(self, progress: ScanProgress) -> None:
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        self.progress.setVisible(progress.done < progress.total)
        if progress.current is not None:
            self.status.setText(_("Importing {file} ({done} of {total}) …",
                                  file=escape_hidden(progress.current),
                                  done=progress.done + 1, total=progress.total))

    def _scanned(self, results: object) -> None:
        self.progress.hide()
        assert isinstance(results, list)
        if not results:
            # No bundle came in, but a laptop may have written its request meanwhile, or a
            # bundle may have been left in the inbox by a cap: read both again (a list that
            # did not change keeps its selection).
            self.devices.refresh_requests()
            self.alerts.refresh_alerts()
            return
        self.status.setText(summary_text(results))
        self.refresh()

    def _watch_failed(self, error: KnownError) -> None:
        self.progress.hide()
        if not isinstance(error, VaultLocked):  # locked meanwhile: nothing to say
            self.status.setText(error.translated())

    def _current_record_id(self) -> str | None:
        current = self.interviews.current
        return None if current is None else current.record_id

    def _lock_if_open(self) -> None:
        if self.pages.currentWidget() is self.workspace:
            self.lock()

    def lock(self) -> None:
        """Forget everything shown and close the centre vault, at once, even while its thread
        hangs on the share (its work is given up)."""
        self.idle.disarm()
        self.watch.stop()
        # Queued before the vault closes: nothing typed is lost, or the unlock page says so.
        self.interviews.save_unsaved(self._unsaved_failed)
        shown = self.workspace
        self._build_workspace()
        self.retranslate()
        self.pages.setCurrentWidget(self.unlock_page)
        self.unlock_page.reset()
        self.pages.removeWidget(shown)
        shown.hide()
        shown.deleteLater()
        for widget in QApplication.topLevelWidgets():  # dialogs may show imported data
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.service.lock()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close once the follow-up being typed is stored: the save runs on the vault thread,
        so the window waits for it (saying so) and stays open when it fails."""
        if not self._may_close and self.pages.currentWidget() is self.workspace:
            if self._closing:  # asked again while the save runs: it closes when stored
                event.ignore()
                return
            follow_up = self.interviews.follow_up
            saving = follow_up.save_for_closing()
            if saving is not None:
                event.ignore()
                self._close_when_saved(saving)
                return
            if follow_up.is_dirty():  # the save could not even start (a bug, logged)
                event.ignore()
                self._refuse_to_close(KnownError())
                return
        self.idle.stop()
        self.watch.stop()
        super().closeEvent(event)

    def _close_when_saved(self, saving: Future[Any]) -> None:
        self._closing = True
        self.watch.stop()  # no import starts behind the save; the vault is closing anyway
        self.progress.setRange(0, 0)  # moving: how long it takes is not known
        self.progress.show()
        self.status.setText(_("Saving the follow-up before the window closes…"))
        when_done(saving, lambda _saved: self._close_now(), self._refuse_to_close,
                  owner=self, context="centre follow-up save on close")

    def _close_now(self) -> None:
        self._closing, self._may_close = False, True
        self.close()

    def _refuse_to_close(self, error: KnownError) -> None:
        """The change was not stored: stay open with it shown, say why, and let the
        administrator correct it or close without it."""
        self._closing = False
        if self.pages.currentWidget() is self.workspace:
            self.progress.hide()
            self.status.setText("")
            self.tabs.setCurrentWidget(self.interviews)
            self.interviews.details_tabs.setCurrentWidget(self.interviews.follow_up)
            self.watch.start()
        box = QMessageBox(QMessageBox.Icon.Warning, WINDOW_TITLE,
                          _("The follow-up change could not be saved, so the window stays "
                            "open."), QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(error.translated() + "\n\n" + _(
            "Correct it and save it, or close without saving it: the change is then lost."))
        keep = box.addButton(_("Keep the window open"), QMessageBox.ButtonRole.RejectRole)
        leave = box.addButton(_("Close without saving"), QMessageBox.ButtonRole.DestructiveRole)
        for button in (keep, leave):
            button.setAccessibleName(button.text())
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self._close_answered(box.clickedButton() is leave))
        self.close_refused = box
        box.open()

    def _close_answered(self, leave: bool) -> None:
        self.close_refused = None
        if leave:
            self._may_close = True
            self.close()

    def _unsaved_failed(self, error: KnownError) -> None:
        self.unlock_page.error.show_message(_(
            "The follow-up change could not be saved when the window was locked: {error}",
            error=error.translated()))


def summary_text(results: Sequence[ImportResult]) -> str:
    """"3 bundles handled: 2 imported. 1 bundle was refused; …" in the current language.

    Whole sentences, each one message with its own plural, so a translator can reorder them.
    """
    delivered = sum(1 for r in results if r.delivered)
    held = sum(1 for r in results if r.outcome is Outcome.QUARANTINED)
    refused = len(results) - delivered - held
    sentences = [ngettext("{n} bundle handled: {imported} imported.",
                          "{n} bundles handled: {imported} imported.", len(results),
                          imported=delivered)]
    if held:
        sentences.append(ngettext("{n} bundle is held; see the alerts.",
                                  "{n} bundles are held; see the alerts.", held))
    if refused:
        sentences.append(ngettext("{n} bundle was refused; see the import log.",
                                  "{n} bundles were refused; see the import log.", refused))
    problems = [r.receipt_error for r in results if r.receipt_error is not None]
    if problems:
        sentences.append(_("Receipts could not be written: {problem}",
                           problem=problems[0].translated()))
    return " ".join(sentences)
