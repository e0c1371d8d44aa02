"""The review page before finishing: what must be fixed first, then every section with its
answers in words and its problems. Each question is a link back to itself (Tab moves from link
to link, Enter follows one); "Finish interview" is offered here once nothing blocks it.

A finished interview opens on this page too, read-only: its answers, no Finish.
Every text an interview holds is escaped: nothing in it can become markup or a link.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from intake_app.i18n import _, current_language, ngettext
from intake_app.i18n.languages import direction_of
from intake_app.i18n.qt import register
from intake_app.services.review import Key, Review, ReviewLine, ReviewProblem, ReviewSection
from intake_app.ui.common import Heading, announce, wrap_text

LINK_SCHEME = "question"
PROBLEM_COLOUR = "#b00020"
WARNING_COLOUR = "#7a4f00"


def esc(text: object) -> str:
    """Text for HTML: escaped, its line breaks kept."""
    return html.escape(str(text), quote=True).replace("\n", "<br/>")


def link_of(key: Key) -> str:
    """The link to a question (its name and repeat entry are form names and numbers)."""
    name, item = key
    return f"{LINK_SCHEME}:{name}/{'' if item is None else item}"


def key_of(url: QUrl) -> Key | None:
    """The question a link leads to, or None for any other link."""
    text = url.toString()
    if not text.startswith(LINK_SCHEME + ":"):
        return None
    name, _slash, item = text[len(LINK_SCHEME) + 1 :].partition("/")
    if not name:
        return None
    return (name, int(item) if item.isdigit() else None)


class ReviewPage(QWidget):
    """`jump(key)` when a link is followed; `finish_requested`, `back_requested` from the
    buttons."""

    jump = Signal(object)
    finish_requested = Signal()
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review")
        self.title = Heading(1.4, self)
        self.summary = QLabel(self)
        self.summary.setObjectName("review_summary")
        wrap_text(self.summary)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("review_answers")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._followed)
        self.summary.setBuddy(self.browser)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("review_back")
        self.back_button.clicked.connect(self.back_requested)
        self.finish_button = QPushButton(self)
        self.finish_button.setObjectName("review_finish")
        self.finish_button.clicked.connect(self.finish_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self.review: Review | None = None
        self.read_only = False
        register(self)

    def retranslate(self) -> None:
        """Set the page's own texts (the editor makes the review again in the new language)."""
        self.back_button.setText(_("Back to the &questions"))
        self.back_button.setAccessibleName(_("Back to the questions"))
        self.finish_button.setText(_("&Finish interview"))
        self.finish_button.setAccessibleName(_("Finish interview"))
        self.browser.setAccessibleName(_("Answers and problems"))
        self.browser.setAccessibleDescription(
            _("Each question is a link: Tab goes from one to the next, Enter goes to the question.")
        )
        self._texts()

    def show_review(self, review: Review, *, read_only: bool) -> None:
        """Show `review`; a read-only one (a finished interview) offers no Finish."""
        self.review = review
        self.read_only = read_only
        self._texts()
        self.browser.setHtml(review_html(review, read_only=read_only))

    def _texts(self) -> None:
        review = self.review
        blocking = len(review.blocking) if review is not None else 0
        if self.read_only:
            self.title.setText(_("Answers"))
            self.summary.setText(
                _("Choose a question to see it in its section. To change anything, choose Edit.")
            )
        else:
            self.title.setText(_("Review before finishing"))
            self.summary.setText(
                ngettext(
                    "{n} thing must be fixed before the interview can be finished. It is "
                    "listed first; choose it to go to its question.",
                    "{n} things must be fixed before the interview can be finished. They are "
                    "listed first; choose one to go to its question.",
                    blocking,
                )
                if blocking
                else _("Nothing stops finishing. Read the answers through, then finish.")
            )
        self.finish_button.setVisible(not self.read_only)
        self.finish_button.setEnabled(review is not None and not blocking)

    def showEvent(self, event: QShowEvent) -> None:
        """Say the summary when the page appears (at once when something must be fixed)."""
        super().showEvent(event)
        blocking = self.review is not None and bool(self.review.blocking) and not self.read_only
        announce(self.summary, self.summary.text(), urgent=blocking)

    def _followed(self, url: QUrl) -> None:
        key = key_of(url)
        if key is not None:
            self.jump.emit(key)


def review_html(review: Review, *, read_only: bool) -> str:
    """The review as HTML in the UI language's direction (questions are links)."""
    dir_ = direction_of(current_language())
    parts: list[str] = []
    if review.to_fix and not read_only:
        heading = esc(_("To fix before finishing"))
        parts.append(f"<h2 dir='{dir_}'>{heading}</h2>")
        parts.extend(_problem_html(problem, dir_) for problem in review.to_fix)
    for section in review.sections:
        parts.append(_section_html(section, dir_, read_only))
    return "".join(parts)


def _section_html(section: ReviewSection, dir_: str, read_only: bool) -> str:
    parts = [f"<h2 dir='{dir_}'>{esc(section.title)}</h2>"]
    if section.second_title:
        parts.append(_second_html(section.second_title))
    if not section.open:
        closed = esc(_("Closed: the consent it needs is not given."))
        parts.append(f"<p dir='{dir_}'><i>{closed}</i></p>")
    elif not section.lines:
        nothing = esc(_("Nothing answered in this section."))
        parts.append(f"<p dir='{dir_}'><i>{nothing}</i></p>")
    parts.extend(_line_html(line, dir_) for line in section.lines)
    if not read_only:
        parts.extend(_problem_html(problem, dir_) for problem in section.problems)
    return "".join(parts)


def _line_html(line: ReviewLine, dir_: str) -> str:
    indent = f"-qt-block-indent:{line.depth};"
    second = _second_html(line.second_label, line.depth) if line.second_label else ""
    if line.answer is None:
        return f"<h3 dir='{dir_}' style='{indent}'>{esc(line.label)}</h3>{second}"
    label = f"<a href='{link_of(line.key)}'><b>{esc(line.label)}</b></a>"
    return (
        f"<p dir='{dir_}' style='{indent} margin-bottom:0'>{label}</p>{second}"
        f"<p dir='{dir_}' style='{indent} margin-top:2px'>{esc(line.answer)}</p>"
    )


def _second_html(text: str, depth: int = 0) -> str:
    """A label in the second language, in that language's own direction (normal size and
    colour: it is read out by the interpreter)."""
    return f"<p style='-qt-block-indent:{depth}; margin:0'>{esc(text)}</p>"


def _problem_html(problem: ReviewProblem, dir_: str) -> str:
    colour = PROBLEM_COLOUR if problem.blocking else WARNING_COLOUR
    mark = "⚠" if problem.blocking else "ℹ"
    return (
        f"<p dir='{dir_}'><span style='color:{colour}'>{mark}</span> "
        f"<a href='{link_of(problem.key)}'><span style='color:{colour}'>"
        f"{esc(problem.text)}</span></a></p>"
    )
