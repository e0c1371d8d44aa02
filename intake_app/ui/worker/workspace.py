"""The unlocked workspace: toolbar, the interview list or the editor, and the save state.

Built fresh after every unlock and destroyed on lock, so nothing personal outlives the lock.
An interview opens without the window waiting for the disk: it is read on the vault thread
while an "Opening…" page shows; a result that comes after the worker went elsewhere (back to
the list, another interview, the lock) is dropped. Not so a finish, withdrawal, deletion or
Edit still on its way when the worker goes elsewhere: the editor is left to it out of sight,
and how it ended is said here (a finished interview may go home at once).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QChildEvent, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QStatusBar,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from intake_app import safelog
from intake_app.domain.registry import RawInterview
from intake_app.errors import KnownError
from intake_app.i18n import _, ngettext, set_language
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services import editor_memory
from intake_app.services.editor_opening import EditorStart, read_for_editor
from intake_app.services.enrolment import enrolled_centre
from intake_app.services.worker import WorkerService
from intake_app.sync.device import FolderExport
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine, usable_area
from intake_app.ui.editor.editor import InterviewEditor
from intake_app.ui.editor.finishing import CHANGE_WAIT
from intake_app.ui.file_dialogs import choose_folder
from intake_app.ui.language_combo import LanguageCombo
from intake_app.ui.preferences import Preferences
from intake_app.ui.tab_order import chain_tabs
from intake_app.ui.tasks import when_done
from intake_app.ui.worker.finished_state import finished_state
from intake_app.ui.worker.interview_list import InterviewList
from intake_app.ui.worker.opening_page import OpeningPage
from intake_app.ui.worker.raw_interview import RawInterviewView
from intake_app.ui.worker.sync_panel import SyncPanel


def tab_to(button: object) -> None:
    """Let Tab reach a toolbar button (a toolbar makes them take no focus)."""
    if isinstance(button, QToolButton):
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)


def plain(action: QAction) -> str:
    """The action's text without its mnemonic marker."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def with_keys(tip: str, action: QAction) -> str:
    """`tip` followed by the action's keyboard shortcuts (unless it names them already)."""
    keys = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()]
    keys = [key for key in keys if key and key not in tip]
    if not keys:
        return tip
    return _("{tip} ({keys})", tip=tip, keys=", ".join(isolate(key) for key in keys))


class FoldingToolBar(QToolBar):
    """A toolbar that asks for no more width than its window has on screen: what does not fit
    (long Finnish texts, the editor's Back button) goes into its » menu, the window stays on
    a small laptop's screen."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), usable_area(self.window()).width()), hint.height())


class Workspace(QWidget):
    """Emits `lock_requested` (Ctrl+L, the Lock button) and `settings_requested`."""

    lock_requested = Signal()
    settings_requested = Signal()

    def __init__(
        self,
        service: WorkerService,
        preferences: Preferences,
        parent: QWidget | None = None,
        *,
        demo: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self._service = service
        self._prefs = preferences
        self.editor: InterviewEditor | None = None
        self.raw_view: RawInterviewView | None = None
        self._opening: object | None = None  # the opening waited for; others are dropped
        self._left: list[InterviewEditor] = []  # closed with a change on its way: out of sight

        self.toolbar = FoldingToolBar(self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_interview)
        self.back_action = QAction(self)
        # Ctrl+letter shortcuts work in every UI language; the Alt+letter mnemonics follow
        # the translation (Arabic letters in Arabic) and need not exist on the keyboard.
        self.back_action.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence("Alt+Home")])
        self.back_action.triggered.connect(self.show_list)
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.settings_requested)
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock_requested)
        self.sync_action = QAction(self)
        self.sync_action.setObjectName("sync_now")
        self.sync_action.setShortcut(QKeySequence("Ctrl+R"))
        self.sync_action.triggered.connect(self.sync_now)
        self.usb_action = QAction(self)
        self.usb_action.setObjectName("copy_to_folder")
        self.usb_action.setShortcut(QKeySequence("Ctrl+E"))
        self.usb_action.triggered.connect(self.copy_to_folder)
        for action in (self.new_action, self.back_action, self.sync_action, self.usb_action,
                       self.settings_action):
            self.toolbar.addAction(action)
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        # Interpreters switch the language mid-interview: one click away, not in Settings only.
        self.language = LanguageCombo(self.toolbar, labelled=True)
        assert self.language.label is not None
        self.language.chosen.connect(self._language_picked)
        self.toolbar.addWidget(self.language.label)
        self.toolbar.addWidget(self.language)
        self.toolbar.addAction(self.lock_action)
        # A toolbar's buttons take no focus by default: Tab reaches them here (also the ones
        # the window adds later, once they are polished).
        self.toolbar.installEventFilter(self)
        for action in self.toolbar.actions():
            tab_to(self.toolbar.widgetForAction(action))

        self.demo_banner = QLabel(self)
        self.demo_banner.setObjectName("demo_banner")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setStyleSheet(
            "background: #ffd54f; color: #3e2723; font-weight: bold; padding: 6px;"
        )
        self.demo_banner.setVisible(demo)
        self.message = MessageLine(self, error=False)
        self.pages = QStackedWidget(self)
        self.list = InterviewList(service, self)
        self.list.open_requested.connect(self.open_interview)
        self.pages.addWidget(self.list)
        self.opening_page = OpeningPage(self.pages)
        self.pages.addWidget(self.opening_page)
        self.status = QStatusBar(self)
        self.status.setSizeGripEnabled(False)
        self.save_state = QLabel(self.status)
        self.save_state.setObjectName("save_state")
        self.status.addPermanentWidget(self.save_state)
        # Getting interviews home: rounds in the background, their state at a glance.
        self.sync = SyncPanel(service, self.status)
        self.sync.deliveries_changed.connect(self.list.reload)  # the Delivered column
        self.status.addWidget(self.sync, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        register(self)
        self._update_actions()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        polished = event.type() == QEvent.Type.ChildPolished
        if watched is self.toolbar and polished and isinstance(event, QChildEvent):
            tab_to(event.child())
            self._order_toolbar_tabs()
        return super().eventFilter(watched, event)

    def _order_toolbar_tabs(self) -> None:
        """Tab through the toolbar in its order (a button added later would come last)."""
        widgets = [self.toolbar.widgetForAction(action) for action in self.toolbar.actions()]
        chain_tabs(
            w for w in widgets if w is not None and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        )

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.new_action.setText(_("&New interview"))
        self.new_action.setToolTip(_("Start recording a new interview (Ctrl+N)"))
        self.back_action.setText(_("&Back to the list"))
        self.back_action.setToolTip(with_keys(plain(self.back_action), self.back_action))
        self.settings_action.setText(_("&Settings"))
        settings = self.settings_action
        settings.setToolTip(with_keys(plain(settings), settings))
        self.sync_action.setText(_("S&ync now"))
        self.sync_action.setToolTip(with_keys(_("Send finished interviews to the centre now and "
                                                "fetch its receipts (when this laptop is on its "
                                                "network)"), self.sync_action))
        self.usb_action.setText(_("Copy to &USB stick…"))
        self.usb_action.setToolTip(with_keys(_("Copy the bundles waiting for the centre to a USB "
                                               "stick or another folder, to take them there by "
                                               "hand"), self.usb_action))
        self.lock_action.setText(_("&Lock"))
        self.lock_action.setToolTip(_("Lock the vault now (Ctrl+L)"))
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if button is not None and action.text():  # not the language picker or spacer
                button.setAccessibleName(plain(action))
        self.demo_banner.setText(_("DEMO — fictional data. Nothing here is about a real person."))
        self.toolbar.setAccessibleName(_("Main toolbar"))
        # The » button Qt adds when the buttons do not fit (long Finnish texts, the editor's
        # Back button): without a name a screen reader says only "button".
        more = self.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        if more is not None:
            more.setAccessibleName(_("More toolbar buttons"))
            more.setToolTip(_("More toolbar buttons"))
        if self.editor is not None:
            self.save_state.setText(self.editor.saver.describe())

    def _language_picked(self, code: str) -> None:
        set_language(code)
        self._prefs.language = code

    # -- starting -------------------------------------------------------------------------------

    def start(self, *, offer_draft: bool = False) -> None:
        """Show the list; offer back an interview that was open at the last lock or crash."""
        self.list.reload()
        self.list.table.setFocus()
        when_done(
            enrolled_centre(self._service),
            self._show_centre,
            lambda _e: None,
            owner=self,
            context="sync status",
        )
        self.sync.start()
        when_done(editor_memory.prepare(self._service), lambda _none: None, lambda _e: None,
                  owner=self, context="editor memory")
        if offer_draft and self._prefs.interview_was_open:
            self._offer_draft()

    def _offer_draft(self) -> None:
        """Read the drafts in the background; the offer comes when they are read, unless the
        worker opened an interview meanwhile."""
        when_done(
            self._service.read_drafts(),
            self._drafts_read,
            lambda error: self.message.show_message(error.translated()),
            owner=self,
            context="offering the draft back",
        )

    def _drafts_read(self, drafts: list[Any]) -> None:
        if self.editor is not None or self._opening is not None or self.raw_view is not None:
            return  # the worker went to an interview already
        if not drafts:
            self._prefs.interview_was_open = False
            return
        record_id = str(drafts[0].id)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            WINDOW_TITLE,
            _("Continue the interview you were recording?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("offer_draft")
        box.setInformativeText(
            _("It was saved as a draft. If you choose No, it stays in the list as not finished.")
        )
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self.open_interview(record_id)
            else:
                self._prefs.interview_was_open = False

        box.finished.connect(answered)
        box.open()

    def _show_centre(self, name: str | None) -> None:
        self.sync.show_centre(name)

    def sync_now(self) -> None:
        """Send what waits and fetch receipts now (the status line says how it went)."""
        self.sync.sync_now()

    def copy_to_folder(self) -> None:
        """Ask for a folder (a USB stick) and copy the waiting bundles there."""
        folder = choose_folder(self, _("Choose the USB stick or folder for the bundles"))
        if folder:
            self.export_to_folder(Path(folder))

    def export_to_folder(self, folder: Path) -> None:
        """Bundle what changed and copy every bundle still waiting into `folder`."""
        try:
            future = self.sync.runner.export_to(folder)
        except KnownError as error:
            self.message.show_message(error.translated())
            return
        self.usb_action.setEnabled(False)
        self.message.show_message(_("Copying bundles to {folder}…", folder=isolate(folder)))
        when_done(future, lambda result: self._copied(folder, result), self._copy_failed,
                  owner=self, context="export to folder")

    def _copied(self, folder: Path, result: FolderExport) -> None:
        self.usb_action.setEnabled(True)
        count = len(result.written)
        if count:
            text = ngettext(
                "{n} bundle copied to {folder}. Take it to the centre; it stays on this "
                "laptop until the centre's receipt arrives.",
                "{n} bundles copied to {folder}. Take them to the centre; they stay on this "
                "laptop until the centre's receipts arrive.",
                count, folder=isolate(folder))
        else:
            text = _("Nothing is waiting to be sent to the centre.")
        for problem in result.problems:
            text += " " + problem.translated()
        self.message.show_message(text)

    def _copy_failed(self, error: KnownError) -> None:
        self.usb_action.setEnabled(True)
        self.message.show_message(error.translated())

    def stop_background(self) -> None:
        """Before the vault locks or the window closes: no more sync rounds, and an interview
        still being read is not opened."""
        self._opening = None
        self.sync.stop()

    # -- list and editor ------------------------------------------------------------------------

    def show_list(self) -> None:
        """Close the editor (its draft saved) and show the list again."""
        self._opening = None  # an interview still being read stays closed
        if self.editor is not None:
            self._close_editor()
        if self.raw_view is not None:
            self.pages.removeWidget(self.raw_view)
            self.raw_view.deleteLater()
            self.raw_view = None
        self._prefs.interview_was_open = False
        self.list.reload()
        self.pages.setCurrentWidget(self.list)
        self.list.table.setFocus()
        self._update_actions()

    def new_interview(self) -> None:
        """Open the editor on a new, empty interview."""
        self._start_opening(None)

    def open_interview(self, record_id: str) -> None:
        """Open the editor on an interview (its draft when there is one)."""
        self._start_opening(record_id)

    def is_opening(self) -> bool:
        """True while an interview is being read for the editor."""
        return self._opening is not None

    def _start_opening(self, record_id: str | None) -> None:
        """Read what the editor needs in the background; "Opening…" shows meanwhile."""
        if self.editor is not None:
            self._close_editor()
        self.message.show_message("")
        summary = None
        if record_id is not None and not self.list.is_reading():  # else out of date: read again
            summary = next((s for s in self.list.model.summaries() if s.id == record_id), None)
        token = self._opening = object()
        when_done(
            read_for_editor(self._service, record_id, summary),
            lambda start: self._opened(token, start),
            lambda error: self._open_failed(token, error),
            owner=self,
            context="opening an interview",
        )
        self.pages.setCurrentWidget(self.opening_page)
        self.opening_page.label.setFocus()
        self._update_actions()

    def _opened(self, token: object, start: EditorStart) -> None:
        if token is not self._opening:
            return  # the worker went elsewhere meanwhile
        self._opening = None
        document = start.document
        status = document.get("status")
        if status in ("deleted", "withdrawn"):
            self._back_to_list(
                _("This interview was deleted; nothing of it is left to open.")
                if status == "deleted"
                else _("Consent was withdrawn for this interview; its answers were removed.")
            )
            return
        finished = None
        if status == "final" and not start.new:
            finished = finished_state(start.standing)
            if finished is None:  # changes not finished: they open to edit, as a draft
                document = {**document, "status": "draft"}
        self._open_editor(document, start, finished=finished)

    def _open_failed(self, token: object, error: KnownError) -> None:
        if token is not self._opening:
            return
        self._opening = None
        self._back_to_list(error.translated())

    def _back_to_list(self, message: str) -> None:
        """Opening came to nothing: the list again, saying why."""
        self.pages.setCurrentWidget(self.list)
        self.list.table.setFocus()
        self._update_actions()
        self.message.show_message(message)

    def _open_editor(
        self, document: dict[str, object], start: EditorStart, *, finished: str | None = None
    ) -> None:
        opened = self._service.forms.open(dict(document))
        if isinstance(opened, RawInterview):
            self._show_raw(opened)
            return
        try:
            self.editor = InterviewEditor(
                self._service, document, self, new=start.new, finished=finished,
                remembered=start.second, enrolled=start.enrolled, attachments=start.attachments,
            )
        except KnownError as error:
            self._back_to_list(error.translated())
            return
        except Exception as bug:  # not left on "Opening…": the list, and the usual message
            safelog.log_bug(bug, "building the editor")
            self._back_to_list(KnownError().translated())
            return
        self.editor.saver.state_changed.connect(self.save_state.setText)
        self.editor.finished.connect(self._editor_finished)
        self.pages.addWidget(self.editor)
        self.pages.setCurrentWidget(self.editor)
        self._prefs.interview_was_open = True
        if self.editor.read_only:
            self.editor.review_page.browser.setFocus()  # a finished one opens on its answers
        elif start.place is None or not self.editor.go_to(start.place):
            self.editor.focus_first()
        self._update_actions()

    def _show_raw(self, opened: RawInterview) -> None:
        """An interview whose form is unknown here: shown read-only, in place of the editor."""
        if self.raw_view is not None:
            self.pages.removeWidget(self.raw_view)
            self.raw_view.deleteLater()
        interview = opened.interview
        self.raw_view = RawInterviewView(
            interview.form, interview.form_version, dict(opened.answers), self
        )
        self.pages.addWidget(self.raw_view)
        self.pages.setCurrentWidget(self.raw_view)
        self.back_action.setEnabled(True)
        self.back_action.setVisible(True)
        self.raw_view.table.setFocus()

    def _editor_finished(self, message: str) -> None:
        self.show_list()
        self.message.show_message(message)
        self.sync.check()  # a finished interview may go home at once

    def _close_editor(self) -> None:
        editor, self.editor = self.editor, None
        if editor is None:
            return
        editor.finished.disconnect(self._editor_finished)
        editor.saver.state_changed.disconnect(self.save_state.setText)
        # A finish, withdrawal, deletion or Edit still on its way is not given up: the editor
        # waits for it out of sight, and how it ended is said here (`_left_change_ended`).
        left = editor.leave(lambda said, error: self._left_change_ended(editor, said, error))
        editor.places.flush()
        if not left:  # else nothing can have been typed since its draft was queued
            try:
                editor.saver.flush()
            except KnownError as error:
                self.message.show_message(error.translated())
        self.pages.removeWidget(editor)
        editor.hide()
        if left:
            self._left.append(editor)
        else:
            editor.deleteLater()
        self.save_state.clear()

    def _left_change_ended(
        self, editor: InterviewEditor, said: str | None, error: KnownError | None
    ) -> None:
        """The change of an editor closed meanwhile ended: say how, wherever the worker is now
        (the list, or another interview), and let that editor go."""
        if editor in self._left:
            self._left.remove(editor)
        editor.deleteLater()
        if error is not None:
            self.message.show_message(error.translated())
        elif said is not None:
            self.message.show_message(said)
            self.sync.check()  # a finished interview may go home at once

    def _update_actions(self) -> None:
        editing = self.editor is not None or self._opening is not None
        self.back_action.setEnabled(editing)
        self.back_action.setVisible(editing)

    def flush(self) -> None:
        """Save the open interview's pending change now (before a lock or quitting); a
        finish, withdrawal or deletion already queued is let through first (also one of an
        interview the worker went away from meanwhile)."""
        deadline = time.monotonic() + CHANGE_WAIT
        for left in list(self._left):
            left.settle_change(max(0.0, deadline - time.monotonic()))
        if self.editor is None:
            return
        self.editor.settle_change(max(0.0, deadline - time.monotonic()))
        self.editor.places.flush()
        try:
            self.editor.saver.flush()
        except KnownError as error:
            safelog.logger.warning("draft not saved before lock: %s", error.code)
