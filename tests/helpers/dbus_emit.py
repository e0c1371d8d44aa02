"""Child for test_ui_session_watch: owns the screen saver name and says the screen locked."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtDBus import QDBusConnection, QDBusMessage

app = QCoreApplication([])
bus = QDBusConnection.sessionBus()
print("own", bus.registerService("org.freedesktop.ScreenSaver"), flush=True)


def emit():
    msg = QDBusMessage.createSignal(
        "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"
    )
    msg.setArguments([True])
    print("sent", bus.send(msg), flush=True)
    QTimer.singleShot(500, app.quit)


QTimer.singleShot(800, emit)
app.exec()
