"""Formula injection: the one test of whether a spreadsheet could run a cell's text.

An answer is typed by a worker from what a person said, or copied from a message; the centre's
exports put it in front of Excel and LibreOffice, which run a cell starting with `=`, `+`, `-`
or `@` as a formula (`=HYPERLINK(...)`, DDE `=cmd|...`), and some read a leading tab or
carriage return the same way. Spreadsheets also skip what a person cannot see before that
character (spaces, a no-break space, a zero-width space U+200B, a word joiner U+2060, a
byte-order mark U+FEFF, direction marks), and fold the fullwidth forms `＝ ＋ － ＠` (and the
small forms `﹦ ﹢ ﹣ ﹫`) to the plain ones. So a text is dangerous when, after any run of
such invisible characters, it meets a tab or carriage return, or a character that folds
(NFKC) to one of `= + - @` (the minus sign U+2212 too).

The CSV prefixes such a text with an apostrophe (`csv_cell`); the spreadsheet writes it as a
text cell marked "quote prefix", never as a formula (`xlsx_common.text_cell`). Numbers the
exports write as numbers (a negative amount) never pass through here.
"""

from __future__ import annotations

import unicodedata

FORMULA_STARTS = frozenset("=+-@")
#: A tab or carriage return before the first visible character is itself a start.
CONTROL_STARTS = frozenset("\t\r")
#: Characters NFKC leaves alone that a spreadsheet may still read as a formula's start.
_MORE_STARTS = frozenset("\u2212")  # MINUS SIGN
#: Unicode categories a spreadsheet may skip before a formula: format characters (U+200B,
#: U+2060, U+FEFF, direction marks), other controls, and every kind of space.
_INVISIBLE = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
CSV_PREFIX = "'"


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in _INVISIBLE


def _starts_formula(char: str) -> bool:
    return char in _MORE_STARTS or unicodedata.normalize("NFKC", char)[:1] in FORMULA_STARTS


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take `text` for a formula (see the module's docstring)."""
    if text[:1].isalnum():  # most answers: a letter or a digit first is never a formula
        return False
    for char in text:
        if char in CONTROL_STARTS:
            return True
        if not _invisible(char):
            return _starts_formula(char)
    return False


def csv_cell(text: str) -> str:
    """A CSV cell's text, with an apostrophe before it when a spreadsheet could run it."""
    return CSV_PREFIX + text if looks_like_formula(text) else text
