"""The list's counts line writes both of its numbers in the UI language's digits ("۲ از ۳"
in Dari, "2 من 3" in Arabic), as the rest of the window does."""

from __future__ import annotations

import unicodedata

import pytest

from tests.gui.worker.test_list import saved, shell
from tests.helpers.ui import OFFSCREEN_NOISE, speaking

pytestmark = OFFSCREEN_NOISE

__all__ = ["shell"]  # the fixture
ZERO = {"fa-AF": "۰", "ar": "0", "th": "0"}


def zeros(text: str) -> set[str]:
    """The digit sets `text` uses, each named by its zero ("0", "۰", "٠")."""
    return {chr(ord(c) - unicodedata.decimal(c)) for c in text if c.isdecimal()}


@pytest.mark.parametrize("lang", sorted(ZERO))
def test_both_numbers_of_the_counts_line_use_one_digit_set(qtbot, shell, lang) -> None:
    for alias in ("Fictional Lily", "Fictional Omar", "Fictional Mai"):
        saved(shell.service, alias, "An account.")
    with speaking(lang):
        shell.show_workspace()
        listing = shell.workspace.list
        qtbot.waitUntil(lambda: listing.model.rowCount() == 3, timeout=3000)
        listing.status_filter.setCurrentIndex(1)  # not finished: none of the three
        qtbot.waitUntil(lambda: len(zeros(listing.counts.text())) > 0, timeout=3000)
        text = listing.counts.text()
        assert zeros(text) == {ZERO[lang]}, text
