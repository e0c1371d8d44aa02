"""Reviewing, finishing and editing a finished interview again, in the editor.

"Review and finish" shows the review page in place of the questions; Finish is offered there.
A finished interview opens read-only on that page; Edit reopens it as a draft, saved as a new
revision so that its history says so. A part of `InterviewEditor` (a mixin).

A change of the record (finish, edit again, withdraw, delete: `change_record`) is one
transaction queued on the vault thread; the window never waits for it. Meanwhile the editor
takes no other change and says what it waits for; a lock or closing lets it finish first.
The worker may go elsewhere meanwhile (Back, another interview): the editor is then left to
its change out of sight (`leave`) and hands the outcome on, so that it is said all the same.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from intake_app.errors import KnownError
from intake_app.i18n import _, current_language
from intake_app.services.interviews import check_for_finishing, reopened
from intake_app.services.review import review
from intake_app.ui.common import announce
from intake_app.ui.editor.live_state import issue_key
from intake_app.ui.editor.question_row import Key, QuestionRow
from intake_app.ui.tasks import when_done

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QListView, QPushButton, QStackedWidget, QWidget

    from intake_app.domain.document import Interview
    from intake_app.domain.form import Form
    from intake_app.services.worker import WorkerService
    from intake_app.ui.common import MessageLine
    from intake_app.ui.editor.attachments import AttachmentPanel
    from intake_app.ui.editor.finished_banner import FinishedBanner
    from intake_app.ui.editor.live_state import LiveState
    from intake_app.ui.editor.problems import ProblemList
    from intake_app.ui.editor.question_row import Block
    from intake_app.ui.editor.record_actions import RecordActions
    from intake_app.ui.editor.review_page import ReviewPage
    from intake_app.ui.editor.section_stack import SectionStack
    from intake_app.ui.worker.autosave import DraftSaver

    _Base = QWidget
else:
    _Base = object

# Seconds a lock or closing waits for a change of the record already queued (behind a vault
# thread busy for a moment, a lock would otherwise give it up with the thread's other work).
CHANGE_WAIT = 2.0

# What an editor left while its change was on its way hands on: (said, error). `said` is what
# a finish, withdrawal or deletion says once saved (None after Edit); `error` why it failed.
LeftChange = Callable[[str | None, KnownError | None], None]


class EditorFinishing(_Base):
    """The review page, Finish, the read-only state and Edit."""

    _change: Future[Any] | None = None  # the change of the record on its way to the vault
    _left: LeftChange | None = None  # the editor was closed meanwhile: who hears the outcome

    if TYPE_CHECKING:  # the editor's parts this uses
        finished: SignalInstance
        service: WorkerService
        form: Form
        interview: Interview
        saver: DraftSaver
        live: LiveState
        problems: ProblemList
        message: MessageLine
        nav: QListView
        pages: SectionStack
        attachments: AttachmentPanel
        blocks: dict[Key, Block]
        view: QStackedWidget
        questions: QWidget
        review_page: ReviewPage
        banner: FinishedBanner
        finish_button: QPushButton
        actions_bar: RecordActions
        read_only: bool
        finish_tried: bool

        def current_interview(self) -> Interview: ...
        def snapshot(self) -> dict[str, object]: ...
        def second_language(self) -> str | None: ...
        def _show_messages(self) -> None: ...
        def _focus_page(self) -> None: ...
        def reveal(self, key: Key) -> None: ...
        def focus_first(self) -> None: ...

    def reviewing(self) -> bool:
        """Whether the review page is shown in place of the questions."""
        return self.view.currentWidget() is self.review_page

    def show_review(self, *, focus: bool = True) -> None:
        """Show every answer and problem in place of the questions (Finish is offered there);
        `focus`: the keyboard goes to the answers (not when it is only made again, for another
        language)."""
        lang = self.second_language()
        found = review(self.current_interview(), self.form, current_language(), lang)
        if not self.read_only:
            self.finish_tried = True  # the questions say their problems from now on
            self._show_messages()
        self.review_page.show_review(found, read_only=self.read_only)
        self.view.setCurrentWidget(self.review_page)
        self.view.updateGeometry()
        self.finish_button.hide()  # the review page has its own Finish
        if focus:
            self.review_page.browser.setFocus()

    def show_questions(self) -> None:
        """Back from the review to the section shown before."""
        self.view.setCurrentWidget(self.questions)
        self.view.updateGeometry()
        self.finish_button.setVisible(not self.read_only)
        self._focus_page()

    def _jump_from_review(self, key: Key) -> None:
        self.view.setCurrentWidget(self.questions)
        self.view.updateGeometry()
        self.finish_button.setVisible(not self.read_only)
        self.reveal(key)
        block = self.blocks.get(key)
        if self.read_only or not isinstance(block, QuestionRow):
            self.nav.setFocus()  # a heading, or a question that cannot take the cursor now

    def _apply_read_only(self) -> None:
        for page in self.pages.built_pages():
            page.set_read_only(self.read_only)
        self.attachments.set_read_only(self.read_only)
        self.finish_button.setVisible(not self.read_only and not self.reviewing())
        self.banner.setVisible(self.read_only)

    # -- changes of the record -----------------------------------------------------------------

    def change_record(
        self,
        queue: Callable[[], Future[Any]],
        busy: str,
        done: Callable[[Any], None],
        *,
        context: str,
    ) -> None:
        """Queue one change of the record with `queue()` and go on without waiting: what was
        typed is queued before it (as a draft: a change that fails loses nothing); until it
        is saved the editor takes no other change and says `busy`. `done(result)` once it is
        saved; a failure is said and the editor is usable again. Results that come after a
        lock are dropped (the editor goes with the workspace)."""
        if self._change is not None:
            return  # one at a time (its buttons are disabled meanwhile)
        self.saver.save_soon_done()
        future = queue()
        self._change = future
        self._show_changing(busy)
        when_done(
            future,
            lambda result: self._changed(future, done, result),
            lambda error: self._change_failed(future, error),
            owner=self,
            context=context,
        )

    def changing(self) -> bool:
        """True while a change of the record is on its way to the vault."""
        return self._change is not None

    def settle_change(self, seconds: float = CHANGE_WAIT) -> None:
        """Before a lock or closing: wait, `seconds` at most, for a change of the record
        already queued, so that the lock coming after it does not give it up."""
        if self._change is not None:
            concurrent.futures.wait([self._change], timeout=seconds)

    def leave(self, tell: LeftChange) -> bool:
        """The editor is being closed (the worker went back to the list or to another
        interview). Without a change on its way: False, nothing to wait for. With one: True;
        the caller keeps the editor, out of sight, until `tell(said, error)` says how the
        change ended (after a lock, nothing is told: the editor goes with the workspace)."""
        if self._change is None:
            return False
        self._left = tell
        return True

    def _show_changing(self, busy: str) -> None:
        changing = bool(busy)
        for part in (self.view, self.finish_button, self.banner.edit_button):
            part.setEnabled(not changing)
        self.actions_bar.show_busy(busy)
        if changing:
            self.message.show_message("")

    def _changed(self, future: Future[Any], done: Callable[[Any], None], result: Any) -> None:
        if future is not self._change:
            return
        self._change = None
        if not self.service.unlocked:
            return  # locked meanwhile: saved, and the editor goes with the workspace
        self._show_changing("")
        done(result)  # when left, what it calls tells: `closed_record` or `_reopened`

    def _change_failed(self, future: Future[Any], error: KnownError) -> None:
        if future is not self._change:
            return
        self._change = None
        self._show_changing("")
        if self._left is not None:
            self._left(None, error)
            return
        self.message.show_message(error.translated())

    # -- finishing and editing again -----------------------------------------------------------

    def start_editing(self) -> None:
        """Reopen the finished interview as a draft: a new revision says so in its history."""
        document = reopened(self.current_interview())
        self.change_record(
            lambda: self.service.queue_revision(document.to_dict()),
            _("Opening the interview for changes…"),
            lambda saved: self._reopened(document, saved),
            context="editing a finished interview",
        )

    def _reopened(self, document: Interview, saved: Any) -> None:
        if self._left is not None:
            self._left(None, None)  # open for changes; the worker is elsewhere
            return
        self.interview = replace(document, revision=saved.revision)
        self.read_only = False
        self._apply_read_only()
        self.show_questions()
        self.focus_first()
        self.message.show_message("")
        announce(self, _("The interview is open for changes. Finish it again when you are done."))

    def _ensure_saved(self) -> None:
        """Make sure the record exists in the vault (attachments need it): the draft save is
        queued on the vault thread ahead of the files, which run in order; never waited for."""
        self.saver.discard()
        when_done(
            self.service.save_draft(self.snapshot()),
            lambda _none: None,
            lambda error: self.message.show_message(error.translated()),
            owner=self,
            context="saving before adding files",
        )

    def finish(self) -> None:
        """Check as final: save a revision, or list the problems and go to the first one."""
        self.finish_tried = True
        result = check_for_finishing(self.current_interview(), self.form)
        if result.problems:
            self.live.last_errors = list(result.problems)
            self._show_messages()
            self.problems.show_issues(result.problems, self.form, current_language())
            # Said at once; then the cursor is in the first question, whose description
            # starts with its problem.
            announce(self.problems.title, self.problems.title.text())
            self.reveal(issue_key(result.problems[0]))
            return
        document = result.interview.to_dict()
        self.change_record(
            lambda: self.service.queue_revision(document),
            _("Saving the finished interview…"),
            lambda _saved: self.closed_record(_("The interview was finished and saved.")),
            context="finishing an interview",
        )

    def closed_record(self, message: str) -> None:
        """The record was finished, withdrawn or deleted: nothing more to save here."""
        self.saver.discard()
        if self._left is not None:
            self._left(message, None)
            return
        self.finished.emit(message)
