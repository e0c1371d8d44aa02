"""Moving through the form: Previous section / Next section buttons under the page (Tab
reaches them after its last question), Ctrl+PgUp / Ctrl+PgDn from anywhere in the editor,
and F6 to the list of sections.

Sections closed for want of consent are skipped; at the first and the last section the
move stops (the button is disabled), it never wraps round.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QListView, QPushButton, QStackedWidget, QWidget

from intake_app.i18n import _
from intake_app.i18n.qt import register

NEXT_KEY = QKeySequence(Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_PageDown)
PREVIOUS_KEY = QKeySequence(Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_PageUp)
SECTIONS_KEY = QKeySequence(Qt.Key.Key_F6)


class SectionMoves(QWidget):
    """The button row; `focus_page()` is called after a move made with the keys."""

    def __init__(
        self,
        nav: QListView,
        pages: QStackedWidget,
        focus_page: Callable[[], None],
        editor: QWidget,
    ) -> None:
        super().__init__(editor)
        self.setObjectName("section_moves")
        self._nav = nav
        self._pages = pages
        self._focus_page = focus_page
        self.previous_button = QPushButton(self)
        self.previous_button.setObjectName("previous_section")
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("next_section")
        self.next_button.clicked.connect(lambda: self.go(+1))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.previous_button)
        row.addStretch(1)
        row.addWidget(self.next_button)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, step in ((NEXT_KEY, +1), (PREVIOUS_KEY, -1)):
            shortcut = QShortcut(key, editor, context=context)
            shortcut.activated.connect(lambda step=step: self.go(step, by_key=True))
        sections = QShortcut(SECTIONS_KEY, editor, context=context)
        sections.activated.connect(self._nav.setFocus)
        model = nav.model()
        nav.selectionModel().currentChanged.connect(self._section_shown)
        model.dataChanged.connect(self.update_buttons)  # a section opened or closed
        register(self)
        self.update_buttons()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.previous_button.setText(_("← Pre&vious section"))
        self.previous_button.setAccessibleName(_("Previous section"))
        self.previous_button.setToolTip(_("Previous section (Ctrl+Page Up)"))
        self.next_button.setText(_("N&ext section →"))
        self.next_button.setAccessibleName(_("Next section"))
        self.next_button.setToolTip(_("Next section (Ctrl+Page Down)"))

    def showEvent(self, event: QShowEvent) -> None:
        """Shown in its window at last: the Tab order there is final."""
        super().showEvent(event)
        self.follow()

    def follow(self) -> None:
        """Put the two buttons right after the shown page's last control in the Tab order
        (pages are built when first shown, so Qt puts each one last)."""
        page = self._pages.currentWidget()
        if page is None:
            return
        start = self.window()
        last: QWidget | None = None
        widget = start.nextInFocusChain()
        while widget is not None and widget is not start:
            if page.isAncestorOf(widget) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                last = widget
            widget = widget.nextInFocusChain()
        if last is not None:
            QWidget.setTabOrder(last, self.previous_button)
            QWidget.setTabOrder(self.previous_button, self.next_button)

    def target(self, step: int) -> int | None:
        """The row a move of `step` (+1 or -1) goes to: the nearest open section that way."""
        model = self._nav.model()
        row = self._nav.currentIndex().row() + step
        while 0 <= row < model.rowCount():
            if model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsEnabled:
                return row
            row += step
        return None

    def go(self, step: int, *, by_key: bool = False) -> bool:
        """Show the next (+1) or previous (-1) open section; False at the end."""
        row = self.target(step)
        if row is None:
            return False
        index = self._nav.model().index(row, 0)
        self._nav.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        pressed = self.next_button if step > 0 else self.previous_button
        if by_key:
            self._focus_page()
        elif not pressed.isEnabled():
            # The button pressed leads nowhere now (the end): the keyboard goes to the other.
            (self.previous_button if step > 0 else self.next_button).setFocus()
        return True

    def update_buttons(self, *_args: object) -> None:
        """Disable the button that has nowhere to go."""
        self.previous_button.setEnabled(self.target(-1) is not None)
        self.next_button.setEnabled(self.target(+1) is not None)

    def _section_shown(self, *_args: object) -> None:
        self.update_buttons()
        self.follow()
