"""Settings: the interview form versions this laptop has and when it last checked the share.

Each version shows whether new interviews may start with it (current) or not (retired), where
it came from (built into the application, or the centre's share), and which one new interviews
use. Below the list: when the share was last checked and, until a pickup takes everything, the
last problem picking forms up, in words. Read on the vault thread; nothing here changes
anything.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from intake_app.errors import KnownError
from intake_app.i18n import N_, _
from intake_app.i18n.formatting import format_moment, isolate
from intake_app.i18n.qt import register
from intake_app.services.form_versions import FormVersion, FormVersions, problem_text
from intake_app.services.worker import WorkerService
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.tasks import when_done
from intake_app.ui.worker.row_list import RowList

COLUMNS = 5
VISIBLE_ROWS = 4  # never squeezed below this many rows: the page scrolls instead
STATE_WORDS = {"current": N_("Current"), "retired": N_("Retired")}
SOURCE_WORDS = {"shipped": N_("Built into Intake"), "share": N_("The centre")}


def version_row(version: FormVersion) -> list[str]:
    """The row's texts: version, state, where it came from and when, and whether new
    interviews use it."""
    return [
        isolate(version.version),
        _(STATE_WORDS[version.state]),
        _(SOURCE_WORDS[version.source]),
        format_moment(version.received),
        _("New interviews") if version.new_interviews else "",
    ]


class FormVersionList(RowList):
    """One row per form version, oldest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("form_versions", COLUMNS, VISIBLE_ROWS, parent)
        self._versions: tuple[FormVersion, ...] = ()
        register(self)

    def retranslate(self) -> None:
        """Set the headers and every row in the current language."""
        self.setHeaderLabels(
            [_("Version"), _("State"), _("Came from"), _("Received"), _("Used for")]
        )
        self.setAccessibleName(_("Interview form versions on this laptop"))
        self._fill()

    def show_versions(self, versions: tuple[FormVersion, ...]) -> None:
        self._versions = versions
        self._fill()

    def _fill(self) -> None:
        self.refill(((v.form_id, v.version), version_row(v)) for v in self._versions)


class FormVersionsSection(QWidget):
    """The settings' page about the interview forms."""

    def __init__(self, service: WorkerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._found: FormVersions | None = None
        self.intro = QLabel(self)
        wrap_text(self.intro)
        self.list = FormVersionList(self)
        self.checked = QLabel(self)
        wrap_text(self.checked)
        self.checked.setObjectName("forms_checked")
        # The last problem picking forms up (none: hidden); read with the page, not announced.
        self.problem = MessageLine(self, announced=False)
        self.problem.setObjectName("forms_problem")
        self.error = MessageLine(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.checked)
        layout.addWidget(self.problem)
        layout.addWidget(self.error)
        register(self)
        self.load()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.intro.setText(
            _(
                "Your centre can send new versions of the interview form when this laptop "
                "syncs. New interviews use the newest current version; every interview keeps "
                "the version it was started with."
            )
        )
        self._show_checked()

    def load(self) -> None:
        """Read the versions again."""
        when_done(
            self._service.form_versions(),
            self._show,
            self._failed,
            owner=self,
            context="reading the form versions",
        )

    def _show(self, found: FormVersions) -> None:
        self._found = found
        self.error.show_message("")
        self.list.show_versions(found.versions)
        self._show_checked()

    def _failed(self, error: KnownError) -> None:
        self.error.show_message(error.translated())

    def _show_checked(self) -> None:
        found = self._found
        problem = None if found is None else found.problem
        self.problem.show_message("" if problem is None else problem_text(problem))
        if found is None:
            self.checked.clear()
        elif found.checked is None:
            self.checked.setText(
                _("This laptop has not checked the centre's share for new forms yet.")
            )
        else:
            self.checked.setText(
                _(
                    "Last checked the centre's share for new forms: {time}",
                    time=format_moment(found.checked),
                )
            )
