"""After files were added to an interview: the offer to delete their originals from the disk.

Asked once per batch of files, only for files whose encrypted copy the vault has committed;
"Keep" is the default and Escape keeps them. The note says honestly what deleting cannot reach
(flash storage, cloud-sync folders, backups). What happened is said in the panel's message
line, each problem in the person's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from intake_app.errors import KnownError
from intake_app.i18n import _, ngettext
from intake_app.i18n.formatting import isolate
from intake_app.services.original_files import DELETED, Original, Outcome, delete_originals
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.tasks import when_done

NAMES_SHOWN = 8


def ask_to_delete(
    parent: QWidget, originals: Sequence[Original], report: Callable[[str, bool], None]
) -> QMessageBox:
    """Ask whether to delete the originals (non-blocking); on yes delete them and
    `report(text, problem)` how it went (`problem`: something was not deleted)."""
    count = len(originals)
    box = QMessageBox(
        QMessageBox.Icon.Question,
        WINDOW_TITLE,
        ngettext(
            "The file is now stored encrypted in the vault. Delete the original from this "
            "computer?",
            "The {n} files are now stored encrypted in the vault. Delete the originals from "
            "this computer?",
            count,
        ),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("delete_originals")
    names = [isolate(original.path.name) for original in originals[:NAMES_SHOWN]]
    if count > NAMES_SHOWN:
        more = count - NAMES_SHOWN
        names.append(ngettext("and {n} more", "and {n} more", more))
    box.setInformativeText(
        "\n".join(names)
        + "\n\n"
        + _(
            "Intake overwrites each file with zeros, then deletes it. Copies can still remain: "
            "SSDs, memory cards and USB sticks keep old data where the program cannot reach "
            "it, and folders synced to a cloud service (OneDrive, Dropbox, Google Drive) and "
            "backups keep their own copies. Delete those there too."
        )
    )
    delete = box.addButton(
        ngettext("&Delete the original", "&Delete the originals", count),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    keep = box.addButton(
        ngettext("&Keep the original", "&Keep the originals", count),
        QMessageBox.ButtonRole.RejectRole,
    )
    for button in (delete, keep):  # read without the mnemonic's "&"
        button.setAccessibleName(
            button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        )
    delete.setObjectName("delete_originals_yes")
    keep.setObjectName("delete_originals_keep")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered() -> None:
        if box.clickedButton() is not delete:
            return
        report(ngettext("Deleting the original…", "Deleting the originals…", count), False)
        when_done(
            delete_originals(originals),
            lambda outcomes: report(outcome_text(outcomes), any(o.error for o in outcomes)),
            lambda error: report(error.translated(), True),
            owner=parent,
            context="deleting originals",
        )

    box.finished.connect(answered)
    box.open()
    return box


def outcome_text(outcomes: Sequence[Outcome]) -> str:
    """What happened, in words: how many were deleted, then each problem."""
    done = sum(1 for outcome in outcomes if outcome.result == DELETED)
    parts = []
    if done:
        parts.append(
            ngettext(
                "The original was overwritten and deleted.",
                "{n} originals were overwritten and deleted.",
                done,
            )
        )
    gone = sum(1 for outcome in outcomes if outcome.result not in (DELETED, None))
    if gone:
        parts.append(
            ngettext(
                "{n} original was no longer there.", "{n} originals were no longer there.", gone
            )
        )
    parts += [o.error.translated() for o in outcomes if isinstance(o.error, KnownError)]
    return " ".join(parts)
