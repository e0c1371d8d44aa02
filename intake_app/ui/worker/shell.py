"""The one window: first start, unlock, and the workspace; locking tears the workspace down.

The window title is always "Intake". Everything that showed personal data lives inside the
workspace (and its dialogs); locking saves the draft, closes the vault and destroys the
workspace, and a fresh one is built after the next unlock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QStackedWidget, QWidget

from intake_app import safelog
from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.services.worker import WorkerService
from intake_app.ui.application import WINDOW_TITLE, apply_text_size
from intake_app.ui.clipboard_guard import ClipboardGuard
from intake_app.ui.common import fit_to_screen
from intake_app.ui.idle_lock import IdleLock
from intake_app.ui.preferences import Preferences
from intake_app.ui.session_watch import SessionWatch
from intake_app.ui.tasks import when_done
from intake_app.ui.vault_damage import when_pages_checked
from intake_app.ui.worker.quick_exit import QUICK_EXIT_KEY, QuickExitKey, hide_every_window
from intake_app.ui.worker.unlock import UnlockScreen

if TYPE_CHECKING:  # imported when first needed: the unlock screen comes up sooner
    from intake_app.ui.worker.first_start import FirstStart
    from intake_app.ui.worker.workspace import Workspace


class Shell(QMainWindow):
    """Holds the screens and decides which one shows; `locked(reason)` after each lock."""

    locked = Signal(str)
    workspace_ready = Signal()

    def __init__(
        self,
        service: WorkerService,
        preferences: Preferences,
        *,
        demo_passphrase: str | None = None,
        idle_seconds: float | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("intake_window")
        self.service = service
        self.prefs = preferences
        self.demo_passphrase = demo_passphrase
        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self.first_start: FirstStart | None = None
        self.unlock_screen: UnlockScreen | None = None
        self.workspace: Workspace | None = None
        self.clipboard = ClipboardGuard()
        seconds = idle_seconds if idle_seconds is not None else preferences.idle_minutes * 60
        self.idle = IdleLock(seconds, self)
        self.idle.lock_now.connect(self.lock)
        self.session_watch = SessionWatch(self)
        self.session_watch.session_locked.connect(lambda: self.idle.fire("session"))
        fit_to_screen(self, QSize(1100, 760))  # never taller than a small laptop screen
        # Quit from every screen: Ctrl+Q (also where the platform knows no Quit key).
        self.quit_action = QAction(self)
        self.quit_action.setObjectName("quit")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(self.quit)
        self.addAction(self.quit_action)
        # Quick exit (F12): gone at once, from every screen and over any dialog.
        self.quick_exit_action = QAction(self)
        self.quick_exit_action.setObjectName("quick_exit")
        self.quick_exit_action.setShortcut(QUICK_EXIT_KEY)
        self.quick_exit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quick_exit_action.triggered.connect(self.quick_exit)
        self.addAction(self.quick_exit_action)
        self._quick_exit_key = QuickExitKey(self.quick_exit, self)
        self._exiting = False
        register(self)

    def retranslate(self) -> None:
        """The title never names a person or an interview."""
        self.setWindowTitle(WINDOW_TITLE)
        self.quit_action.setText(_("&Quit"))
        self.quit_action.setToolTip(_("Lock the vault and close Intake (Ctrl+Q)"))
        self.quick_exit_action.setText(_("Quick e&xit"))
        self.quick_exit_action.setToolTip(
            _("Hide Intake at once, lock the vault and close, without asking (F12)")
        )
        self._name_quit_button()

    def _name_quit_button(self) -> None:
        if self.workspace is None:
            return
        for action, name in ((self.quit_action, _("Quit")),
                             (self.quick_exit_action, _("Quick exit"))):
            button = self.workspace.toolbar.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(name)

    # -- which screen ---------------------------------------------------------------------------

    def start(self) -> None:
        """Show first start when there is no vault yet, else the unlock screen."""
        if self.service.vault_exists():
            self.show_unlock()
        else:
            self.show_first_start()

    def show_first_start(self) -> None:
        """The set-up pages."""
        from intake_app.ui.worker.first_start import FirstStart

        self.first_start = FirstStart(self.service, self)
        self.first_start.language_chosen.connect(self._language_chosen)
        self.first_start.finished.connect(self._first_start_done)
        self._show(self.first_start)
        self.first_start.languages.setFocus()

    def _first_start_done(self) -> None:
        self._drop(self.first_start)
        self.first_start = None
        self.show_workspace()

    def show_unlock(self) -> None:
        """The unlock screen (built once, kept: it shows nothing personal)."""
        if self.unlock_screen is None:
            self.unlock_screen = UnlockScreen(
                self.service, self.prefs, self, demo_passphrase=self.demo_passphrase
            )
            self.unlock_screen.unlocked.connect(self._unlocked)
            self.unlock_screen.language_chosen.connect(self._language_chosen)
        self._show(self.unlock_screen)
        self.unlock_screen.focus_passphrase()
        # Once the window is on screen, while the worker types: load the workspace's code
        # (its list, editor and sync modules take ~170 ms), so the list follows the unlock
        # at once instead of after a freeze.
        QTimer.singleShot(PRELOAD_AFTER_MS, self._preload_workspace)

    def _preload_workspace(self) -> None:
        self.service.warm_up()  # what the list's first read needs, on the vault thread
        import intake_app.ui.worker.workspace  # noqa: F401 - imported for its cost

    def _unlocked(self) -> None:
        self.show_workspace(offer_draft=True)
        check = self.service.check_pages_if_needed()
        if check is not None:
            when_done(check, self._pages_checked, lambda _error: None, owner=self,
                      context="vault page check")

    def _pages_checked(self, intact: object) -> None:
        when_pages_checked(intact, self)

    def show_workspace(self, *, offer_draft: bool = False) -> None:
        """A fresh workspace over the open vault."""
        from intake_app.ui.worker.workspace import Workspace

        self.workspace = Workspace(
            self.service, self.prefs, self, demo=self.demo_passphrase is not None
        )
        self.workspace.lock_requested.connect(lambda: self.lock("button"))
        self.workspace.settings_requested.connect(self.open_settings)
        self.workspace.toolbar.addAction(self.quit_action)
        self.workspace.toolbar.addAction(self.quick_exit_action)
        self._name_quit_button()
        self._show(self.workspace)
        self.workspace.start(offer_draft=offer_draft)
        self.idle.arm()
        self.workspace_ready.emit()

    def _show(self, page: QWidget) -> None:
        if self.pages.indexOf(page) < 0:
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)

    def _drop(self, page: QWidget | None) -> None:
        if page is None:
            return
        self.pages.removeWidget(page)
        page.hide()
        page.setParent(None)
        page.deleteLater()

    # -- locking --------------------------------------------------------------------------------

    def lock(self, reason: str = "button") -> None:
        """Save the draft, close the vault, destroy everything that showed personal data."""
        self.idle.disarm()
        workspace, self.workspace = self.workspace, None
        if workspace is not None:
            workspace.stop_background()
            try:
                workspace.flush()
            except Exception as bug:  # locking must go on: the vault closes regardless
                safelog.log_bug(bug, "saving before lock")
        self._close_dialogs()
        self.service.lock()
        self._drop(workspace)
        self.clipboard.clear_if_ours()
        if self.service.vault_exists():
            self.show_unlock()
        self.locked.emit(reason)

    def quit(self) -> None:
        """Lock (saving the draft), then close the window; the application ends with it."""
        if self.workspace is not None:
            self.lock("quit")
        self.close()

    def quick_exit(self) -> None:
        """F12 or the Quick exit button: hide every window first (nothing stays on screen
        while the draft is saved), then lock, clear our clipboard text and end Intake."""
        if self._exiting:
            return
        self._exiting = True
        hide_every_window()
        self.lock("quick exit")  # saves the draft, closes the vault, clears the clipboard
        self.clipboard.clear_if_ours()  # also on the unlock screen, where lock() is not needed
        self.close()
        QApplication.quit()  # the window was hidden first: its closing may not end the loop

    def _close_dialogs(self) -> None:
        # Dialogs may show personal data (attachment previews, confirmations naming an alias).
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    # -- settings and language ------------------------------------------------------------------

    def open_settings(self) -> None:
        """The settings dialog (non-blocking), with the vault's settings: it is open now."""
        from intake_app.ui.worker.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.prefs, self, service=self.service)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.idle_changed.connect(lambda minutes: self.idle.set_timeout(minutes * 60))
        dialog.text_size_changed.connect(self._text_size_changed)
        dialog.open()

    def _text_size_changed(self, points: int) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_text_size(app, points)

    def _language_chosen(self, code: str) -> None:
        self.prefs.language = code

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window saves the draft and closes the vault."""
        workspace = self.workspace
        if workspace is not None:
            workspace.stop_background()
            try:
                workspace.flush()
            except Exception as bug:
                safelog.log_bug(bug, "saving on close")
        self.idle.stop()
        self.service.lock()
        super().closeEvent(event)


# Late enough that the unlock window has been painted, early enough to be done before a
# passphrase is typed.
PRELOAD_AFTER_MS = 300
