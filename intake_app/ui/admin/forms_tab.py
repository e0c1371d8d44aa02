"""The Forms tab (issue 18): the interview form's versions, and a new version from a workbook.

The table lists the versions built into Intake, those the centre published (current or
retired, when and by whom) and an imported one waiting to be published. "Import a workbook…"
reads and checks an XLSForm workbook on the centre's vault thread: every problem is listed with
its sheet, row and column, and nothing is kept while there is one; a workbook whose version is
taken is offered the next free number. A version is previewed in the worker's own editor,
published after a question (a published version is never changed: a correction is a new
version) and retired after another. When the share could not be written, "Write to the share
again" appears. Every outcome is said in the status line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.form import Form, version_key
from intake_app.domain.xlsform import WorkbookProblem
from intake_app.errors import KnownError
from intake_app.i18n import N_, _, ngettext
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services import centre_forms
from intake_app.services.centre import CentreService
from intake_app.services.centre_forms import BUILT_IN, DRAFT, PUBLISHED, FormVersionRow
from intake_app.sync.centre import (
    FormsNotOnShare,
    FormVersionNotNewer,
    FormVersionPublished,
    FormVersionShipped,
    Published,
    Retired,
    when,
)
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.column_fit import fit_columns
from intake_app.ui.admin.form_preview_dialog import FormPreviewDialog
from intake_app.ui.admin.rows_model import Column, RowsModel, make_table
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.file_dialogs import choose_file
from intake_app.ui.tasks import when_done

STATE_WORDS = {"current": N_("Current"), "retired": N_("Retired"),
               DRAFT: N_("Imported, not published yet")}
VERSION_TAKEN = (FormVersionShipped, FormVersionNotNewer, FormVersionPublished)


def state_text(row: FormVersionRow) -> str:
    """Where a version stands, in words."""
    return _("Built into Intake") if row.source == BUILT_IN else _(STATE_WORDS[row.state])


def done_by(stamp: str | None, name: str | None) -> str:
    """"7.12.2026 15:43 by Aino" (the name as given, hidden characters shown)."""
    if not stamp:
        return ""
    if not name:
        return when(stamp)
    return _("{when} by {name}", when=when(stamp), name=isolate(escape_hidden(name)))


def imported_text(row: FormVersionRow) -> str:
    if row.source != DRAFT:
        return ""
    return _("{when} from {file}", when=done_by(row.staged, row.staged_by),
             file=isolate(escape_hidden(row.file or "")))


COLUMNS = (
    Column(N_("Form"), lambda r: isolate(r.form_id)),
    Column(N_("Version"), lambda r: isolate(r.version)),
    Column(N_("State"), state_text),
    Column(N_("Published"), lambda r: done_by(r.published, r.published_by)),
    Column(N_("Retired"), lambda r: done_by(r.retired, r.retired_by)),
    Column(N_("Imported"), imported_text),
)

PROBLEM_COLUMNS = (
    Column(N_("Sheet"), lambda p: escape_hidden(p.sheet)),
    Column(N_("Row"), lambda p: str(p.row) if p.row else ""),
    Column(N_("Column"), lambda p: escape_hidden(p.column)),
    Column(N_("Problem"), lambda p: p.reason()),
)


def next_version(versions: Iterable[str]) -> str:
    """The version after the highest of `versions` ("2026.1" -> "2026.2"; "" when none)."""
    known = [v for v in versions if v and all(part.isdigit() for part in v.split("."))]
    if not known:
        return ""
    head, _dot, last = max(known, key=version_key).rpartition(".")
    return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)


class FormsTab(QWidget):
    """Emits `changed()` after a version was published or retired (the tab reads its own list
    again: whoever listens need not)."""

    changed = Signal()

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._busy = False
        self._wanted: tuple[str, str] | None = None  # the row to choose once the list is read
        self._focused: QWidget | None = None  # where the keyboard was when the work began
        self.preview: FormPreviewDialog | None = None
        self.message = MessageLine(self, error=False)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # how long a check takes is not known: it just moves
        self.progress.hide()
        self.versions_title = QLabel(self)
        self.model = RowsModel(COLUMNS, self)
        self.table = make_table(self, self.model, single=True)
        self.versions_title.setBuddy(self.table)
        self.import_button = QPushButton(self)
        self.preview_button = QPushButton(self)
        self.publish_button = QPushButton(self)
        self.retire_button = QPushButton(self)
        self.share_button = QPushButton(self)
        self.share_button.hide()  # until the share could not be written
        self.problems_box = QWidget(self)
        self.problems_title = wrap_text(QLabel(self.problems_box))
        self.problems_model = RowsModel(PROBLEM_COLUMNS, self)
        self.problems_table = make_table(self.problems_box, self.problems_model)
        self.problems_title.setBuddy(self.problems_table)
        self._lay_out()
        self.import_button.clicked.connect(self.choose_workbook)
        self.preview_button.clicked.connect(self.preview_chosen)
        self.publish_button.clicked.connect(self.publish_draft)
        self.retire_button.clicked.connect(self.retire_chosen)
        self.share_button.clicked.connect(self.write_share_again)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        register(self)
        self._update_buttons()

    def _lay_out(self) -> None:
        # Every version's cells whole, in every language: the last column ("imported from a
        # file", long with a language's long dates) wraps in the room left, never cut off.
        wrap_last_column(self.table)
        wrap_last_column(self.problems_table)  # every problem whole, however long
        self.problems_table.verticalHeader().hide()  # its numbers are not the sheet's rows
        problems = QVBoxLayout(self.problems_box)
        problems.setContentsMargins(0, 0, 0, 0)
        problems.addWidget(self.problems_title)
        problems.addWidget(self.problems_table, 1)
        self.problems_box.hide()
        buttons = QHBoxLayout()
        for button in (self.import_button, self.preview_button, self.publish_button,
                       self.retire_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.share_button)
        page = QVBoxLayout(self)
        page.addWidget(self.message)
        page.addWidget(self.progress)
        page.addWidget(self.versions_title)
        page.addLayout(buttons)
        page.addWidget(self.table, 1)
        page.addWidget(self.problems_box, 2)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.versions_title.setText(_("Form &versions"))
        self.table.setAccessibleName(_("Form versions"))
        self.import_button.setText(_("Import a &workbook…"))
        self.import_button.setAccessibleName(_("Import an XLSForm workbook"))
        self.import_button.setToolTip(_("The form as an .xlsx workbook, edited in a spreadsheet"))
        self.preview_button.setText(_("&Preview…"))
        self.preview_button.setAccessibleName(
            _("Preview the chosen form version in the worker's editor"))
        self.retire_button.setText(_("R&etire…"))
        self.retire_button.setAccessibleName(_("Retire the chosen form version"))
        self.share_button.setText(_("Write to the s&hare again"))
        self.share_button.setAccessibleName(
            _("Write the published form versions to the share again"))
        self.progress.setAccessibleName(_("Working on the forms"))
        self.problems_title.setText(_("Pro&blems in the workbook, with their sheet, row and "
                                      "column:"))
        self.problems_table.setAccessibleName(_("Problems in the workbook"))
        self._title_publish()
        self.model.retranslate()
        self.problems_model.retranslate()

    def _title_publish(self) -> None:
        draft = self.draft()
        if draft is None:
            self.publish_button.setText(_("P&ublish…"))
            self.publish_button.setAccessibleName(_("Publish the imported form"))
        else:
            version = isolate(draft.version)
            self.publish_button.setText(_("P&ublish as version {version}…", version=version))
            self.publish_button.setAccessibleName(
                _("Publish the imported form as version {version}", version=version))

    # -- the list -------------------------------------------------------------------------------

    def refresh(self, then_select: tuple[str, str] | None = None) -> None:
        """Read the versions again; keep the version chosen (by form and version: a draft
        just published is the same version) or choose `then_select`. A row asked for by a
        reading still under way is kept by the next one too."""
        if then_select is not None:
            self._wanted = then_select
        elif self._wanted is None:
            chosen = self.chosen()
            self._wanted = None if chosen is None else _key(chosen)
        focused = self._focused
        when_done(centre_forms.list_versions(self._service),
                  lambda rows: self._show(rows, focused), self._list_failed, owner=self,
                  context="centre form versions")

    def _list_failed(self, error: KnownError) -> None:
        self._wanted = None  # the next reading keeps whatever is chosen then
        self._failed(error)

    def _show(self, rows: object, focused: QWidget | None) -> None:
        assert isinstance(rows, list)
        key, self._wanted = self._wanted, None
        self.model.set_rows(rows)
        for number, row in enumerate(rows):
            if _key(row) == key:
                self.choose_row(number)
                break
        self._update_buttons()
        if focused is not None:
            self._focus_back(focused)

    def _focus_back(self, focused: QWidget) -> None:
        """Give the keyboard back to `focused`, or to the list when it cannot take it (the
        button that published or retired is disabled afterwards)."""
        if focused.isEnabled() and focused.isVisible():
            focused.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_row(self, number: int) -> None:
        """Select row `number` (through the selection model: QTableView.selectRow picks no row
        in a right-to-left table whose columns leave room)."""
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(self.model.index(number, 0),
                                                    flags.ClearAndSelect | flags.Rows)

    def chosen(self) -> FormVersionRow | None:
        """The version of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        return None if not rows else self.model.row_object(rows[0].row())

    def draft(self) -> FormVersionRow | None:
        """The imported form to publish: the chosen row's, or the only one waiting."""
        chosen = self.chosen()
        if chosen is not None and chosen.source == DRAFT:
            return chosen
        drafts = [row for row in self.model.rows() if row.source == DRAFT]
        return drafts[0] if len(drafts) == 1 else None

    def _update_buttons(self, *_args: Any) -> None:
        chosen, idle = self.chosen(), not self._busy
        self.import_button.setEnabled(idle)
        self.preview_button.setEnabled(idle and chosen is not None)
        self.publish_button.setEnabled(idle and self.draft() is not None)
        self.retire_button.setEnabled(idle and chosen is not None and chosen.source == PUBLISHED
                                      and chosen.state == "current")
        self.share_button.setEnabled(idle)
        self._title_publish()

    # -- running work ---------------------------------------------------------------------------

    def _run(self, work: Future[Any], doing: str, done: Callable[[Any], None],
             failed: Callable[[KnownError], None] | None = None) -> None:
        """Run `work` on the vault thread with the progress shown and the buttons waiting;
        the keyboard focus comes back afterwards (also after the list is read again)."""
        focus = QApplication.focusWidget()
        focused = focus if focus is not None and self.isAncestorOf(focus) else None
        self._busy = True
        self.progress.show()
        self.message.show_message(doing)
        self._update_buttons()

        def finish() -> None:
            self._busy = False
            self.progress.hide()
            self._update_buttons()
            if focused is not None:
                self._focus_back(focused)

        def then(step: Callable[[], None]) -> None:
            finish()
            self._focused = focused  # for the reading `step` may ask for
            try:
                step()
            finally:
                self._focused = None

        def ok(result: object) -> None:
            then(lambda: done(result))

        def error(problem: KnownError) -> None:
            then(lambda: (failed or self._failed)(problem))

        when_done(work, ok, error, owner=self, context="centre forms")

    def _failed(self, error: KnownError) -> None:
        self.message.show_message(error.translated())

    # -- import ---------------------------------------------------------------------------------

    def choose_workbook(self) -> None:
        """Ask for a workbook file, then import it."""
        name = choose_file(self, _("Import a workbook"), _("Excel workbooks (*.xlsx)"))
        if name:
            self.import_workbook(Path(name))

    def import_workbook(self, path: Path, version: str | None = None) -> None:
        """Check `path` and keep it as its form's draft when it has no problem."""
        self._show_problems(())
        self._run(centre_forms.import_workbook(self._service, path, version),
                  _("Checking the workbook {file}…", file=isolate(escape_hidden(path.name))),
                  lambda checked: self._imported(path, checked),
                  lambda error: self._import_refused(path, error))

    def _imported(self, path: Path, checked: object) -> None:
        assert isinstance(checked, centre_forms.WorkbookCheck)
        if checked.problems:
            self._show_problems(checked.problems)
            self.message.show_message(ngettext(
                "The workbook {file} cannot be used ({n} problem); nothing was kept. Correct "
                "it and import it again.",
                "The workbook {file} cannot be used ({n} problems); nothing was kept. Correct "
                "it and import it again.",
                len(checked.problems), file=isolate(escape_hidden(path.name))))
            self.problems_table.setFocus()
            return
        form = checked.form
        assert form is not None
        self.message.show_message(_(
            "Form {form} version {version} is checked and kept at the centre, ready to "
            "publish. Preview it, then publish it.",
            form=isolate(form.id), version=isolate(form.version)))
        self.refresh(then_select=(form.id, form.version))

    def _import_refused(self, path: Path, error: KnownError) -> None:
        if isinstance(error, VERSION_TAKEN):
            form_id = str(error.fields.get("form", ""))
            taken = [str(error.fields.get(key, "")) for key in ("version", "newest")]
            known = [row.version for row in self.model.rows() if row.form_id == form_id]
            version = self.ask_version(error.translated(), next_version(known + taken))
            if version:
                self.import_workbook(path, version)
                return
        self._failed(error)

    def ask_version(self, why: str, suggested: str) -> str:
        """Ask for the version number to import the workbook as ("" when the person cancels)."""
        text, ok = QInputDialog.getText(
            self, WINDOW_TITLE, why + "\n\n" + _("Import the workbook as version:"),
            QLineEdit.EchoMode.Normal, suggested)
        return text.strip() if ok else ""

    def _show_problems(self, problems: tuple[WorkbookProblem, ...] | tuple[()]) -> None:
        """List `problems` by sheet and row (the file's own first); none hides the list."""
        self.problems_model.set_rows(sorted(problems, key=lambda p: (p.sheet, p.row)))
        self.problems_box.setVisible(bool(problems))

    # -- preview, publish, retire ---------------------------------------------------------------

    def preview_chosen(self) -> None:
        """Open the chosen version (or the imported form) in the worker's editor, read-only."""
        row = self.chosen()
        if row is None:
            return
        work = (centre_forms.draft_form(self._service, row.form_id) if row.source == DRAFT
                else centre_forms.version_form(self._service, row.form_id, row.version))
        self._run(work, _("Opening the preview…"), self._open_preview)

    def _open_preview(self, form: object) -> None:
        assert isinstance(form, Form)
        self.message.show_message("")
        self.preview = FormPreviewDialog(form, self)
        self.preview.open()

    def publish_draft(self) -> None:
        """Publish the imported form as a new version, after asking."""
        draft = self.draft()
        if draft is None:
            return
        form, version = isolate(draft.form_id), isolate(draft.version)
        if not self.confirm(
                _("Publish form {form} as version {version}?", form=form, version=version),
                _("Laptops pick it up at their next sync and start new interviews with it. A "
                  "published version is never changed: a correction becomes a new version."),
                _("Publish version {version}", version=version), _("Do not publish")):
            return
        self._run(centre_forms.publish(self._service, draft.form_id),
                  _("Publishing form {form} version {version}…", form=form, version=version),
                  self._published, self._share_failed)

    def _published(self, published: object) -> None:
        assert isinstance(published, Published)
        version = published.version
        fields = {"form": isolate(version.form_id), "version": isolate(version.version)}
        self.message.show_message(_(
            "Form {form} version {version} is published. Laptops start new interviews with it "
            "after their next sync.", **fields) if published.new else _(
            "Form {form} version {version} was already published with exactly these contents; "
            "it was written to the share again.", **fields))
        self._share_written()
        self.refresh(then_select=(version.form_id, version.version))
        self.changed.emit()

    def retire_chosen(self) -> None:
        """Retire the chosen published version, after asking."""
        row = self.chosen()
        if row is None or row.source != PUBLISHED:
            return
        form, version = isolate(row.form_id), isolate(row.version)
        if not self.confirm(
                _("Retire form {form} version {version}?", form=form, version=version),
                _("Laptops keep finishing the interviews they have on it, but start no new ones "
                  "with it after their next sync. It cannot be made current again."),
                _("Retire version {version}", version=version), _("Do not retire")):
            return
        self._run(centre_forms.retire(self._service, row.form_id, row.version),
                  _("Retiring form {form} version {version}…", form=form, version=version),
                  self._retired, self._share_failed)

    def _retired(self, retired: object) -> None:
        assert isinstance(retired, Retired)
        version = retired.version
        fields = {"form": isolate(version.form_id), "version": isolate(version.version)}
        self.message.show_message(_(
            "Form {form} version {version} is retired. Laptops finish the interviews they have "
            "with it and start no new ones with it after their next sync.", **fields)
            if retired.new else _(
            "Form {form} version {version} was already retired; the list of forms was written "
            "to the share again.", **fields))
        self._share_written()
        self.refresh()
        self.changed.emit()

    def confirm(self, question: str, detail: str, yes: str, no: str) -> bool:
        """Ask before publishing or retiring; the buttons say what they do, No is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, WINDOW_TITLE, question,
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(detail)
        confirmed = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        confirmed.setAccessibleName(yes)
        keep.setAccessibleName(no)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is confirmed

    # -- the share ------------------------------------------------------------------------------

    def _share_failed(self, error: KnownError) -> None:
        """Publishing or retiring is kept at the centre, but the share was not written."""
        self._failed(error)
        if isinstance(error, FormsNotOnShare):
            self.share_button.show()
            self.refresh()
            self.changed.emit()

    def _share_written(self) -> None:
        self.share_button.hide()

    def write_share_again(self) -> None:
        """Write every published version and the list of forms to the share again."""
        self._run(centre_forms.write_share_again(self._service),
                  _("Writing the forms to the share…"), self._written_again)

    def _written_again(self, index: Any) -> None:
        count = len(index.entries)  # a FormIndex: one entry per published version
        self.message.show_message(ngettext(
            "{n} published form version and the list of forms were written to the share.",
            "{n} published form versions and the list of forms were written to the share.",
            count))
        self._share_written()


def wrap_last_column(table: QTableView) -> None:
    """Columns as wide as their contents, the last one taking the room left with its text
    wrapped, and rows as high as their wrapped text (`fit_columns`)."""
    fit_columns(table, wrapping=table.model().columnCount() - 1)


def _key(row: FormVersionRow) -> tuple[str, str]:
    """A version as the administrator knows it: its form and number (a draft keeps both when
    it is published)."""
    return (row.form_id, row.version)
