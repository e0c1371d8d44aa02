"""The stack of section pages, each built the first time it is needed.

A long form has some 150 questions; building only the section that is shown keeps opening an
interview and switching the language quick.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from intake_app.domain.form import Form
from intake_app.ui.editor.section_page import SectionPage

# The height a page asks for, in lines: pages scroll, and asking for all of a long section made
# the window taller than a small laptop's screen once the problems were listed above it.
PREFERRED_LINES = 10


class SectionStack(QStackedWidget):
    """Placeholders until `page(name)` builds a section; `built(page)` tells the editor."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        lines = self.fontMetrics().lineSpacing() * PREFERRED_LINES
        return QSize(hint.width(), min(hint.height(), max(lines, self.minimumSizeHint().height())))

    built = Signal(object)

    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form = form
        self._pages: dict[str, SectionPage] = {}
        self._slots: dict[str, QWidget] = {}
        self._section_of: dict[str, str] = {}
        for section in form.questions:
            slot = QWidget(self)
            self._slots[section.name] = slot
            self.addWidget(slot)
            for question in section.walk():
                self._section_of[question.name] = section.name

    def sections(self) -> list[str]:
        """The names of the sections, in form order."""
        return list(self._slots)

    def section_of(self, question: str) -> str | None:
        """The section a question belongs to."""
        return self._section_of.get(question)

    def page(self, section: str) -> SectionPage:
        """The page of a section, built now if it was not yet."""
        page = self._pages.get(section)
        if page is None:
            question = self._form.question(section)
            assert question is not None
            slot = self._slots[section]
            index = self.indexOf(slot)
            page = SectionPage(self._form, question, self)
            self.insertWidget(index, page)
            self.removeWidget(slot)
            slot.deleteLater()
            self._pages[section] = page
            self.built.emit(page)
        return page

    def built_pages(self) -> list[SectionPage]:
        """The pages built so far."""
        return list(self._pages.values())

    def show_section(self, section: str) -> SectionPage:
        """Build (if needed) and show a section's page."""
        page = self.page(section)
        self.setCurrentWidget(page)
        return page
