"""A form version shown in the worker's own editor, before or after publishing.

The editor runs on a `FormPreview` service (no vault, nothing saved): the administrator sees
exactly the sections, questions, hints and choices a worker sees, in the window's language with
side by side on for a second language of the form (the editor's own bar picks it). It opens
read-only, on an empty interview; as for a worker, sections behind the consent and questions
that depend on answers stay closed until answered, so "Try answering the questions" opens the
same form as a draft that can be answered on screen (every save is refused: nothing is kept).
The editor's banner and its Withdraw and Delete buttons are about a real interview and are left
out, and so is adding files.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from intake_app.domain.form import Form
from intake_app.i18n import _, current_language
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services.form_preview import FormPreview
from intake_app.ui.common import fit_to_screen, wrap_text
from intake_app.ui.editor.editor import InterviewEditor
from intake_app.ui.editor.finished_banner import WAITING

PREFERRED = QSize(1180, 660)  # within 1280×720 with the title bar and frame


def second_language_for(form: Form, shown: str) -> str | None:
    """The language to show beside `shown`: the form's default language (its source texts),
    else its first other one; None when the form has no other."""
    others = [code for code in form.languages if code != shown]
    return form.default_language if form.default_language in others else next(iter(others), None)


class FormPreviewDialog(QDialog):
    """One form version in the worker's editor; closed with Close or Escape."""

    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("form_preview")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = form
        self.service = FormPreview(form)
        self.notice = wrap_text(QLabel(self))
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.trying = QCheckBox(self)
        self.trying.setObjectName("try_answering")
        self.editor = self._make_editor(trying=False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.column = QVBoxLayout(self)
        self.column.addWidget(self.notice)
        self.column.addWidget(self.trying)
        self.column.addWidget(self.editor, 1)
        self.column.addWidget(self.buttons)
        self.trying.toggled.connect(self._switch)
        fit_to_screen(self, PREFERRED)
        register(self)
        self.editor.nav.setFocus()

    def _make_editor(self, *, trying: bool, second: str | None = None) -> InterviewEditor:
        """The editor on an empty interview: read-only, or a draft to answer on screen."""
        editor = InterviewEditor(self.service, self.service.document(finished=not trying), self,
                                 new=trying, finished=None if trying else WAITING)
        editor.banner.hide()
        editor.actions_bar.hide()
        editor.attachments.set_read_only(True)
        if not trying:
            editor.show_questions()  # not the review of an interview that has no answers
        bar = editor.side_by_side
        second = second or second_language_for(self.form, current_language())
        if second is not None:
            bar.set_language(second)
        bar.toggle.setChecked(True)
        return editor

    def _switch(self, trying: bool) -> None:
        """Show the form read-only again, or as a draft to try answering."""
        old = self.editor
        self.editor = self._make_editor(trying=trying, second=old.side_by_side.picked())
        self.column.replaceWidget(old, self.editor)
        old.hide()
        old.deleteLater()
        self.editor.nav.setFocus()

    def retranslate(self) -> None:
        """Texts in the current language (the form's own texts follow in the editor)."""
        form, version = isolate(self.form.id), isolate(self.form.version)
        self.setWindowTitle(_("Preview of form {form}, version {version}", form=form,
                              version=version))
        self.notice.setText(_(
            "This is how workers see form {form}, version {version}, in the window's language "
            "and a second language of your choice. Sections that need consent, and questions "
            "that depend on an answer, open as a worker answers: try answering to see them. "
            "Nothing is saved.", form=form, version=version))
        self.trying.setText(_("&Try answering the questions (nothing is saved)"))
        self.trying.setAccessibleName(_("Try answering the questions; nothing is saved"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("&Close the preview"))
        close.setAccessibleName(_("Close the preview"))
