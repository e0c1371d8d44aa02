"""Wrapped labels keep every glyph whole, right-to-left included.

An Arabic alef with hamza (أ) draws ink past its advance; at the left end of a right-to-left
line it was cut off by the label's edge (seen on the centre's set-up result). `wrap_text`
leaves room at both sides; this renders real sentences at many widths and looks at the pixels.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from intake_app.ui.common import wrap_text

SENTENCES = {
    "ar": "إذا نُسيت عبارة المرور، فهذا الرمز هو الطريقة الوحيدة لفتح خزنة المركز. لن يُعرض إلا "
          "الآن. اكتبه على ورقة أو اطبعه، واحفظه في مكان مقفل بعيدًا عن الحاسوب.",
    "fa-AF": "اگر عبارت عبور فراموش شود، این کد تنها راه باز کردن گاوصندوق مرکز است. اکنون فقط "
             "یک بار نشان داده می‌شود. آن را روی کاغذ بنویسید یا چاپ کنید.",
    "en": "If the passphrase is forgotten, this code is the only way to open the centre's vault. "
          "It is shown only now. Write it on paper or print it, and keep it locked away.",
}


def ink_columns(label: QLabel) -> tuple[int, int]:
    """The first and last pixel columns of the label with any dark pixel in them."""
    image = QImage(label.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    label.render(image)
    dark = [
        x for x in range(image.width())
        if any(image.pixelColor(x, y).lightness() < 200 for y in range(image.height()))
    ]
    assert dark, "nothing was drawn"
    return dark[0], dark[-1]


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_no_glyph_touches_the_edge_of_a_wrapped_label(
        lang: str, qtbot: QtBot, qapp: QApplication) -> None:
    direction = (Qt.LayoutDirection.LeftToRight if lang == "en"
                 else Qt.LayoutDirection.RightToLeft)
    label = wrap_text(QLabel())
    qtbot.addWidget(label)
    label.setLayoutDirection(direction)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(SENTENCES[lang])
    for width in range(560, 800, 6):  # each width breaks the lines at other words
        label.resize(width, label.heightForWidth(width))
        first, last = ink_columns(label)
        assert first >= 1 and last <= width - 2, (lang, width, first, last)
