"""Moving through the interview in the editor: the section list, showing a section and a
question, where the cursor goes, and the place kept for reopening the interview there.

A part of `InterviewEditor` (a mixin): it uses the editor's nav list, pages and blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QWidget

from intake_app.services.editor_memory import EditorPlace
from intake_app.ui.editor.question_row import Key, QuestionRow
from intake_app.ui.editor.section_nav import ATTACHMENTS, SECTION_ROLE
from intake_app.ui.editor.section_page import SectionPage
from intake_app.ui.tab_order import focus_stops

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListView, QPushButton, QStackedWidget

    from intake_app.ui.editor.attachments import AttachmentPanel
    from intake_app.ui.editor.question_row import Block
    from intake_app.ui.editor.reading_place import PlaceKeeper
    from intake_app.ui.editor.section_nav import SectionNavModel
    from intake_app.ui.editor.section_stack import SectionStack

    _Base = QWidget
else:
    _Base = object


class EditorNavigation(_Base):
    """Sections, questions and the cursor."""

    if TYPE_CHECKING:  # the editor's parts this uses
        nav: QListView
        nav_model: SectionNavModel
        pages: SectionStack
        attachments: AttachmentPanel
        blocks: dict[Key, Block]
        places: PlaceKeeper
        view: QStackedWidget
        questions: QWidget
        finish_button: QPushButton
        read_only: bool
        _focus_key: Key | None

        def reviewing(self) -> bool: ...

    def _section_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        section = str(current.data(SECTION_ROLE))
        if section == ATTACHMENTS:
            self.pages.setCurrentWidget(self.attachments)
        else:
            self.pages.show_section(section)
        self.places.moved()

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Note the question the cursor went into (for reopening the interview there)."""
        widget = new
        while widget is not None and widget is not self:
            if isinstance(widget, QuestionRow):
                self._focus_key = widget.key
                self.places.moved()
                return
            widget = widget.parentWidget()

    def place(self) -> EditorPlace | None:
        """The section shown and the question last in focus there (if it is in that section)."""
        index = self.nav.currentIndex()
        if not index.isValid():
            return None
        section = str(index.data(SECTION_ROLE))
        key = self._focus_key
        if key is None or self.pages.section_of(key[0]) != section:
            return EditorPlace(section)
        return EditorPlace(section, key[0], key[1])

    def go_to(self, place: EditorPlace) -> bool:
        """Show the section (and put the cursor in the question) where the worker left the
        interview; False when that section is not there or not open now."""
        known = place.section == ATTACHMENTS or place.section in self.pages.sections()
        if not known or not self.nav_model.is_open(place.section):
            return False
        self.places.starting_at(place)
        self.show_section(place.section)
        key = (place.question or "", place.item)
        block = self.blocks.get(key)
        current = self.pages.currentWidget()
        if isinstance(block, QuestionRow) and current is not None and block.isVisibleTo(current):
            self.reveal(key)
        else:
            self._focus_page()
        return True

    def show_section(self, section: str) -> None:
        """Select a section in the list and show its page (in place of the review)."""
        if self.reviewing():
            self.view.setCurrentWidget(self.questions)
            self.view.updateGeometry()
            self.finish_button.setVisible(not self.read_only)
        index = self.nav_model.index(self.nav_model.row_of(section), 0)
        self.nav.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def _focus_page(self) -> None:
        """After Ctrl+PgDn or Ctrl+PgUp: the cursor in the first question of the section shown
        (in the attachments, on their first control; the section list when there is none)."""
        page = self.pages.currentWidget()
        if page is self.attachments:
            stops = [w for w in focus_stops(page) if w.isVisibleTo(page) and w.isEnabled()]
            (stops[0] if stops else self.nav).setFocus()
            return
        self.focus_first()
        focus = self.window().focusWidget()
        if focus is None or page is None or not page.isAncestorOf(focus):
            self.nav.setFocus()

    def reveal(self, key: Key) -> None:
        """Show the section holding a question, scroll to it and put the cursor in it."""
        section = self.pages.section_of(key[0])
        if section is None:
            return
        self.show_section(section)
        block = self.blocks.get(key)
        if block is None:
            return
        self.pages.page(section).reveal(block)
        if isinstance(block, QuestionRow):
            block.input.focus_input()

    def focus_first(self) -> None:
        """Put the cursor in the first question of the first section."""
        current = self.pages.currentWidget()
        if isinstance(current, SectionPage):
            for block in current.all_blocks():
                if isinstance(block, QuestionRow) and block.isVisibleTo(current):
                    block.input.focus_input()
                    return
