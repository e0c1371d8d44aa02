"""Child process for test_ui_crash: type into a new interview, wait for the autosave, then hang
until killed. Arguments: the test's tmp folder."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from tests.helpers.ui import PASSPHRASE, make_preferences, make_service

    tmp = Path(sys.argv[1])
    app = QApplication([])
    service = make_service(tmp)
    service.unlock(PASSPHRASE).result()
    from intake_app.ui.worker.shell import Shell

    shell = Shell(service, make_preferences(tmp))
    shell.show_workspace()
    shell.workspace.new_action.trigger()
    while shell.workspace.is_opening():  # the interview is read in the background
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    editor = shell.workspace.editor
    for name in ("consent_interview", "consent_data"):
        editor.block(name).input.buttons["yes"].click()
    alias = editor.block("alias", None).input
    alias.edit.setText("Fictional Survivor of a Kill")
    alias.edit.textEdited.emit(alias.edit.text())

    def saved() -> None:
        print("SAVED", editor.interview.id, flush=True)

    editor.saver.saved.connect(saved)
    app.exec()


if __name__ == "__main__":
    main()
