"""The interview editor: sections at the side, questions rendered from the form, autosave,
relevance and consent as answers change, and "Finish interview"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain import ages
from intake_app.domain.document import Interview
from intake_app.domain.form import Form
from intake_app.domain.progress import SectionProgress, section_progress
from intake_app.domain.registry import OpenedInterview
from intake_app.errors import KnownError
from intake_app.i18n import N_, _, current_language
from intake_app.i18n.qt import register
from intake_app.services import editor_memory
from intake_app.services.editor_memory import SecondLanguage
from intake_app.services.interview_defaults import (
    INTERVIEW_DATE,
    ORGANISATION,
    WORKER_CODE,
    Enrolled,
    default_answers,
)
from intake_app.services.worker import WorkerService
from intake_app.ui.common import MessageLine, visible_focus, wrap_text
from intake_app.ui.editor.attachments import AttachmentPanel
from intake_app.ui.editor.consent_panel import ConsentPanel, consent_language
from intake_app.ui.editor.finished_banner import FinishedBanner
from intake_app.ui.editor.finishing import EditorFinishing
from intake_app.ui.editor.live_state import LiveState, Shown
from intake_app.ui.editor.navigation import EditorNavigation
from intake_app.ui.editor.problems import ProblemList
from intake_app.ui.editor.question_row import Block, Key, QuestionRow
from intake_app.ui.editor.reading_place import PlaceKeeper
from intake_app.ui.editor.record_actions import RecordActions
from intake_app.ui.editor.review_page import ReviewPage
from intake_app.ui.editor.section_list import SectionList
from intake_app.ui.editor.section_moves import SectionMoves
from intake_app.ui.editor.section_nav import SectionNavModel
from intake_app.ui.editor.section_page import SectionPage
from intake_app.ui.editor.section_stack import SectionStack
from intake_app.ui.editor.side_by_side import SideBySideBar
from intake_app.ui.tab_order import chain_tabs, focus_stops
from intake_app.ui.tasks import when_done
from intake_app.ui.worker.autosave import DraftSaver

VALIDATE_DELAY_MS = 500
DEFAULTED = (INTERVIEW_DATE, WORKER_CODE, ORGANISATION)


class ReadOnlyInterview(KnownError):
    code = "interview-form-unknown"
    message = N_(
        "This interview was made with a form this version of Intake does not know. "
        "Install the newer version to open it; nothing was changed."
    )


class CurrentPageStack(QStackedWidget):
    """A stack as large as the page it shows (a plain one takes the largest of all its pages,
    and the review page with the questions would not fit a small laptop's screen)."""

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        # A layout asks a widget's own layout for heights for widths, and the stack's layout
        # answers for every page: the parent takes the size hints above instead.
        return False


class InterviewEditor(EditorNavigation, EditorFinishing, QWidget):
    """Edits one interview; emits `finished(message)` when it was finished, withdrawn or deleted.

    "Review and finish" shows every answer and problem on the review page, which offers Finish.
    A finished interview (`finished` says where it stands with the centre) opens read-only on
    that page, under a banner with an Edit button that reopens it as a draft.

    The editor waits for no read while it opens: `remembered` (the side-by-side choice kept in
    the vault), `enrolled` (who records, for a new interview's answers) and `attachments` were
    read with the interview, in the background. Without the first two nothing is remembered
    and nobody is known; without `attachments` the panel reads the list itself.
    """

    finished = Signal(str)

    def __init__(
        self,
        service: WorkerService,
        document: dict[str, Any],
        parent: QWidget | None = None,
        *,
        new: bool = False,
        finished: str | None = None,
        remembered: SecondLanguage | None = None,
        enrolled: Enrolled | None = None,
        attachments: Sequence[Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("editor")
        opened = service.forms.open(document)
        if not isinstance(opened, OpenedInterview):
            raise ReadOnlyInterview()
        self.service = service
        self.form: Form = opened.form
        self.interview: Interview = opened.interview
        self.extra_answers = dict(opened.read_only)
        self.answers: dict[str, Any] = {
            k: v for k, v in self.interview.answers.items() if k not in self.extra_answers
        }
        self.is_new = new
        self.read_only = finished is not None and self.interview.status == "final"
        self.finish_tried = False
        self.saver = DraftSaver(service, self.snapshot, self)

        self.nav_model = SectionNavModel(self.form, self)
        self.nav = SectionList(self)
        self.nav.setObjectName("sections")
        self.nav.setModel(self.nav_model)
        wrap_text(self.nav)
        visible_focus(self.nav)
        self.nav.setSpacing(2)
        self.nav.selectionModel().currentChanged.connect(self._section_chosen)
        self._focus_key: Key | None = None  # the question the cursor was last in
        self.places = PlaceKeeper(service, self.interview.id, self.place, self)
        self.pages = SectionStack(self.form, self)
        self.moves = SectionMoves(self.nav, self.pages, self._focus_page, self)
        self.pages.built.connect(self._page_built)
        self.attachments = AttachmentPanel(
            service, self.interview.id, self._ensure_saved, self, infos=attachments
        )
        self.attachments.count_changed.connect(lambda _n: self._refresh())
        self.pages.addWidget(self.attachments)
        self.blocks: dict[Key, Block] = {}
        self._derived_band: str | None = None  # the age group last filled from the birth date
        self.live = LiveState(self.form)
        self._shown = Shown()
        self._open: dict[str, bool] = {}
        self._enrolled = enrolled if enrolled is not None else Enrolled()

        self.problems = ProblemList(self)
        self.problems.jump.connect(self.reveal)
        self.message = MessageLine(self)
        self.actions_bar = RecordActions(service, self, self)
        self.finish_button = QPushButton(self)
        self.finish_button.setObjectName("finish")
        self.finish_button.clicked.connect(lambda: self.show_review())
        self.banner = FinishedBanner(self)
        self.banner.edit_requested.connect(self.start_editing)
        self.review_page = ReviewPage(self)
        self.review_page.jump.connect(self._jump_from_review)
        self.review_page.back_requested.connect(self.show_questions)
        self.review_page.finish_requested.connect(self.finish)
        self.title = QLabel(self)
        self.title.setObjectName("editor_title")
        self.side_by_side = SideBySideBar(self.form, self)
        # As last chosen in this vault (kept inside it: the second language says something
        # about the people interviewed), unless this interview's language says otherwise.
        remembered = remembered if remembered is not None else SecondLanguage()
        if remembered.code is not None:
            self.side_by_side.set_language(remembered.code)
        self.side_by_side.follow_interview_language(self.answers.get("interview_language"))
        self.side_by_side.toggle.setChecked(remembered.shown)
        self.side_by_side.changed.connect(self._second_language_changed)
        self.side_by_side.chosen.connect(self._second_language_chosen)
        self.consent_panel: ConsentPanel | None = None
        self._lay_out()
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self._show_messages)
        register(self)
        self._refresh()
        self.nav.setCurrentIndex(self.nav_model.index(0, 0))
        self.order_tabs()
        if self.read_only:
            self.banner.show_state(str(finished))
            self._apply_read_only()
            self.show_review()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.actions_bar)
        top.addWidget(self.finish_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.pages, 1)
        right_layout.addWidget(self.moves)  # under the page: Tab reaches it after the last question
        self.questions = QWidget(self)  # the problems, the sections and the questions
        splitter = QSplitter(Qt.Orientation.Horizontal, self.questions)
        splitter.addWidget(self.nav)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([280, 800])
        questions = QVBoxLayout(self.questions)
        questions.setContentsMargins(0, 0, 0, 0)
        # Above the questions, where Tab and a screen reader meet it before the questions.
        questions.addWidget(self.problems)
        questions.addWidget(splitter, 1)
        self.view = CurrentPageStack(self)  # the questions, or the review page in their place
        self.view.addWidget(self.questions)
        self.view.addWidget(self.review_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.side_by_side)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)

    def order_tabs(self) -> None:
        """Tab goes as the screen reads: the action row, side by side, the problems, the
        sections, the attachments or the section's page. (Pages are built when first shown,
        so Qt puts them last, which is where they are on screen; Qt cannot move a page as a
        whole, and moving its controls one by one would leave their holders behind.)"""
        chain_tabs(
            [
                self.actions_bar.withdraw_button,
                self.actions_bar.delete_button,
                self.finish_button,
                self.banner.edit_button,
                self.side_by_side.toggle,
                self.side_by_side.picker,
                self.problems.list,
                self.nav,
                *focus_stops(self.attachments),
            ]
        )

    # -- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text: the form's labels in the UI language, where the form has them."""
        lang = current_language()
        for page in self.pages.built_pages():
            page.retranslate(lang)
        self.nav_model.retranslate()
        self.nav.setAccessibleName(_("Sections of the interview"))
        self.finish_button.setText(_("Review and fi&nish…"))
        self.finish_button.setAccessibleName(_("Review the answers and finish the interview"))
        self.title.setText(_("Interview") if not self.is_new else _("New interview"))
        self._apply_second()
        self._show_messages()
        if self.reviewing():
            self.show_review(focus=False)

    # -- side by side ---------------------------------------------------------------------------

    def second_language(self) -> str | None:
        """The language shown under the worker's, or None while side by side is off."""
        return self.side_by_side.language()

    def _second_language_changed(self, _code: str) -> None:
        self._apply_second()
        if self.reviewing():
            self.show_review(focus=False)

    def _second_language_chosen(self) -> None:
        """Keep the worker's choice for the next interview in this vault."""
        choice = SecondLanguage(self.side_by_side.picked(), self.side_by_side.toggle.isChecked())
        when_done(
            editor_memory.remember_second_language(self.service, choice),
            lambda _none: None,
            lambda _error: None,  # not kept: chosen again next time, nothing lost
            owner=None,
            context="keeping the second language",
        )

    def _apply_second(self) -> None:
        lang, second = current_language(), self.second_language()
        if second == lang:
            second = None  # the same language twice says nothing new
        for page in self.pages.built_pages():
            page.show_second(lang, second)
        for block in self.blocks.values():
            block.show_second(lang, second)

    def show_consent_panel(self) -> ConsentPanel:
        """The consent text in the interview language (else the second or the UI language)."""
        if self.consent_panel is not None:
            self.consent_panel.close()
        lang = consent_language(
            self.form,
            self.answers.get("interview_language"),
            self.side_by_side.picked(),
            current_language(),
        )
        panel = ConsentPanel(self.form, lang, self)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.destroyed.connect(lambda: setattr(self, "consent_panel", None))
        self.consent_panel = panel
        panel.open()
        return panel

    # -- answers --------------------------------------------------------------------------------

    def _index_blocks(self) -> None:
        self.blocks = {
            block.key: block for page in self.pages.built_pages() for block in page.all_blocks()
        }

    def _page_built(self, page: SectionPage) -> None:
        """A section was built: show the answers, texts, visibility and messages in it."""
        for block in page.all_blocks():
            if isinstance(block, QuestionRow) and block.item is None:
                block.input.set_value(self.answers.get(block.question.name))
                block.changed.connect(lambda row=block: self._answer_changed(row))
        page.consent_requested.connect(self.show_consent_panel)
        page.set_read_only(self.read_only)
        page.retranslate(current_language())
        self._index_blocks()
        self._apply_second()
        self._apply_visibility(page)
        self._default_text_language()
        self._show_messages()

    def block(self, name: str, item: int | None = None) -> Block:
        """The block of a question, building its section's page if needed (KeyError if none)."""
        section = self.pages.section_of(name)
        if section is not None:
            self.pages.page(section)
        return self.blocks[(name, item)]

    def _answer_changed(self, row: QuestionRow) -> None:
        value = row.input.value()
        if value is None:
            self.answers.pop(row.question.name, None)
        else:
            self.answers[row.question.name] = value
        if row.question.type == "repeat":
            self._index_blocks()
            self._apply_second()
        if row.question.name == "interview_language":
            self.side_by_side.follow_interview_language(value)
        if row.question.name == ages.BIRTH_DATE:
            self._derive_age_band(value)
        self.message.show_message("")
        self._refresh()
        self.saver.changed()
        self._validate_timer.start()

    def _derive_age_band(self, birth: object) -> None:
        """Fill the age group from a birth date full enough to settle it, unless the worker
        chose a group of their own (a contradiction then shows as a warning)."""
        derived = ages.derived_age_band(birth, self.interview.created.date())
        current = self.answers.get(ages.AGE_BAND)
        if derived is None or current == derived:
            return
        if current is not None and current != self._derived_band:
            return
        block = self.blocks.get((ages.AGE_BAND, None))
        if not isinstance(block, QuestionRow) or self.form.question(ages.AGE_BAND) is None:
            return
        block.input.set_value(derived)
        self.answers[ages.AGE_BAND] = derived
        self._derived_band = derived

    def current_interview(self) -> Interview:
        """The interview as it is on screen now (answers the form does not know kept)."""
        answers = {**self.extra_answers, **self.answers}
        return self.interview.with_answers(answers, now=dt.datetime.now(dt.UTC))

    def snapshot(self) -> dict[str, Any]:
        """The draft document to save."""
        return self.current_interview().to_dict()

    def _refresh(self) -> None:
        """Show and hide questions, open and close sections, update completeness."""
        before = dict(self._open)
        self._shown = self.live.update(self.answers)
        for page in self.pages.built_pages():
            self._apply_visibility(page)
        self.nav_model.set_progress(self._progress(), self.attachments.count())
        self._default_text_language()
        if before or self.is_new:  # sections open when a saved interview opens: as they were
            self._fill_defaults(
                {s for s, is_open in self._open.items() if is_open}
                - {s for s, is_open in before.items() if is_open}
            )

    def _fill_defaults(self, opened: set[str]) -> None:
        """Fill the date, worker code and organisation when their section opens, if empty."""
        if self.read_only or not any(
            self.pages.section_of(name) in opened and not self.answers.get(name)
            for name in DEFAULTED
        ):
            return
        started = self.interview.created.astimezone().date()  # the local calendar's day
        found = default_answers(self.form, self._enrolled, started, self.answers)
        found = {k: v for k, v in found.items() if self.pages.section_of(k) in opened}
        for name, value in found.items():
            self.answers[name] = value
            block = self.blocks.get((name, None))
            if isinstance(block, QuestionRow):
                block.input.set_value(value)
        if found:
            self.nav_model.set_progress(self._progress(), self.attachments.count())
            self.saver.changed()

    def _progress(self) -> list[SectionProgress]:
        progress = section_progress(self.form, self.answers)
        self._open = {item.section: item.open for item in progress}
        return progress

    def _apply_visibility(self, page: SectionPage) -> None:
        state = self._shown
        for block in page.all_blocks():
            key = block.key
            shown = key in state.visible
            if (not block.isHidden()) != shown:  # visible once its parent is
                block.setVisible(shown)
            if isinstance(block, QuestionRow) and key in state.allowed_codes:
                block.input.set_allowed_codes(state.allowed_codes[key])
        page.set_open(self._open.get(page.section.name, True))

    def _default_text_language(self) -> None:
        lang = self.answers.get("interview_language")
        if isinstance(lang, str):
            from intake_app.ui.editor.long_text import LongTextInput

            for block in self.blocks.values():
                if isinstance(block, QuestionRow) and isinstance(block.input, LongTextInput):
                    block.input.set_default_language(lang)

    def _show_messages(self) -> None:
        lang = current_language()
        messages = self.live.messages(self.current_interview(), self.finish_tried, lang)
        for key, block in self.blocks.items():
            block.set_message(messages.get(key, ""))
        if self.finish_tried:
            self.problems.show_issues(self.live.last_errors, self.form, lang)
