"""The QApplication: names, fonts and text size, language and layout direction."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from intake_app import safelog
from intake_app.i18n import LANGUAGE_CODES, normalize_code, set_language

ORGANIZATION = "Intake"
APPLICATION = "Intake"
# Every window and dialog title: never a person's alias, an interview or a file name.
WINDOW_TITLE = "Intake"
DEFAULT_LANGUAGE = "fi"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, created with Intake's names if there is none yet."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scale factors (150 %) are passed through, not rounded to 2x.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    safelog.install_excepthook()
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(APPLICATION)
    from intake_app.ui.tasks import install_slot_guard  # tasks imports this module

    install_slot_guard()  # a bug in a slot: logged and shown, never silent
    from intake_app.ui.focus_ring import show_focus_clearly

    show_focus_clearly(app)  # a clear ring round the keyboard focus, in every window
    return app


MIN_POINT_SIZE = 12
_system_points: list[float] = []


def apply_text_size(app: QApplication, extra_points: int) -> None:
    """Base text: the system's size (at least 12 points) plus `extra_points` for large text.

    Every widget without a font of its own follows; the system's scaling still applies on top.
    """
    if not _system_points:
        _system_points.append(QGuiApplication.font().pointSizeF())
    base = max(_system_points[0], float(MIN_POINT_SIZE))
    font = QFont(app.font())
    font.setPointSizeF(base + extra_points)
    app.setFont(font)
    sheet = app.styleSheet()
    if sheet:  # the focus ring's style sheet keeps widgets on their old font until re-polished
        app.setStyleSheet("")
        app.setStyleSheet(sheet)


def system_language() -> str:
    """The system's language if Intake speaks it, else Finnish (the workers' default)."""
    for name in QLocale.system().uiLanguages():
        for candidate in (name, name.split("-")[0]):
            try:
                code = normalize_code(candidate)
            except ValueError:
                continue
            if code in LANGUAGE_CODES:
                return code
    return DEFAULT_LANGUAGE


def start_language(saved: str | None) -> str:
    """Switch to the saved language (or the system's) and return its code."""
    code = DEFAULT_LANGUAGE
    try:
        code = normalize_code(saved) if saved else system_language()
    except ValueError:
        code = system_language()
    set_language(code)
    return code
