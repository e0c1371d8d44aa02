"""A form version shown in the worker's own editor, read-only, before or after publishing.

The editor runs on a `FormPreview` service (no vault, nothing saved): the administrator sees
exactly the sections, questions, hints and choices a worker sees, in the window's language with
side by side on for a second language of the form (the editor's own bar picks it). The editor's
banner and its Withdraw and Delete buttons are about a real interview and are left out.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

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
    """The form's first language other than the one shown (None: the form has only that)."""
    return next((code for code in form.languages if code != shown), None)


class FormPreviewDialog(QDialog):
    """One form version in the worker's editor, read-only; closed with Close or Escape."""

    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("form_preview")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = form
        self.service = FormPreview(form)
        self.notice = wrap_text(QLabel(self))
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.editor = InterviewEditor(self.service, self.service.document(), self,
                                      finished=WAITING)
        self._show_as_preview()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, PREFERRED)
        register(self)
        self.editor.nav.setFocus()

    def _show_as_preview(self) -> None:
        """The questions (not the empty review), side by side on, nothing about a record."""
        editor = self.editor
        editor.banner.hide()
        editor.actions_bar.hide()
        editor.show_questions()
        bar = editor.side_by_side
        second = second_language_for(self.form, current_language())
        if second is not None:
            bar.set_language(second)
        bar.toggle.setChecked(True)

    def retranslate(self) -> None:
        """Texts in the current language (the form's own texts follow in the editor)."""
        form, version = isolate(self.form.id), isolate(self.form.version)
        self.setWindowTitle(_("Preview of form {form}, version {version}", form=form,
                              version=version))
        self.notice.setText(_(
            "This is how workers see form {form}, version {version}. Nothing can be typed or "
            "saved here. The questions are in the window's language; choose a second language "
            "above them to check its texts.", form=form, version=version))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("&Close the preview"))
        close.setAccessibleName(_("Close the preview"))
