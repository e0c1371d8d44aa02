"""The self-check's Qt steps: plugins and translations are there, the unlock window shows.

These prove that a frozen build carries what the window needs (a platform plugin, the JPEG
plugin, Qt's own translations, our catalogs) without needing a display: the self-check runs on
Qt's `offscreen` platform unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

SHOW_TIMEOUT = 10.0
PROBE_LANGUAGE = "fi"  # a language with both a Qt catalog and a full Intake catalog


class QtCheckFailed(Exception):
    """A Qt part is missing or does not work; the message says which."""


def start_qt() -> QApplication:
    """The QApplication (Intake's names), checked for the plugins and translations we ship."""
    from PySide6.QtGui import QImageWriter

    from intake_app.i18n import language
    from intake_app.i18n.qt import load_qt_translator
    from intake_app.ui.application import make_application

    app = make_application()
    formats = {bytes(name.data()).decode("ascii").lower() for name in
               QImageWriter.supportedImageFormats()}
    missing = {"jpeg", "png"} - formats
    if missing:
        raise QtCheckFailed(f"Qt image formats missing: {', '.join(sorted(missing))}")
    if load_qt_translator(PROBE_LANGUAGE) is None:
        raise QtCheckFailed(f"Qt's own translation for '{PROBE_LANGUAGE}' is missing")
    if language(PROBE_LANGUAGE).completeness <= 0:
        raise QtCheckFailed(f"the '{PROBE_LANGUAGE}' catalog of Intake is missing or empty")
    return app


def jpeg_with_text(text: str) -> bytes:
    """A small JPEG photo made by Qt's JPEG plugin, carrying `text` in its comment."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QImageWriter

    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 120, 40))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"jpeg"))
    writer.setText("Description", text)
    if not writer.write(image):
        raise QtCheckFailed(f"Qt could not write a JPEG image: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def show_unlock_window(app: QApplication, vault_folder: Path, settings_file: Path) -> float:
    """Show the worker's window on an existing (locked) vault; seconds until the unlock screen
    was visible. Settings go to `settings_file`, never the user's own."""
    from PySide6.QtCore import QSettings

    from intake_app.i18n import current_language, set_language
    from intake_app.i18n.qt import bind_application
    from intake_app.services.worker import WorkerService
    from intake_app.ui.application import start_language
    from intake_app.ui.preferences import Preferences
    from intake_app.ui.worker.shell import Shell

    started = time.perf_counter()
    prefs = Preferences(QSettings(str(settings_file), QSettings.Format.IniFormat))
    previous_language = current_language()
    start_language(PROBE_LANGUAGE)
    stop_following = bind_application(app)
    service = WorkerService(vault_folder)
    shell = Shell(service, prefs)
    try:
        shell.start()
        shell.show()
        deadline = started + SHOW_TIMEOUT
        screen = shell.unlock_screen
        while not (screen is not None and screen.isVisible() and shell.isVisible()):
            if time.perf_counter() > deadline:
                raise QtCheckFailed("the unlock window did not show")
            app.processEvents()
            screen = shell.unlock_screen
            time.sleep(0.005)
        shown = time.perf_counter() - started
        shell.close()
        app.processEvents()
        return shown
    finally:
        service.shutdown()
        stop_following()
        set_language(previous_language)
        shell.deleteLater()
        app.processEvents()
