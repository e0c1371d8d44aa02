"""The spreadsheet's shared rules: sheet names Excel accepts, texts a cell can hold."""

from __future__ import annotations

from intake_app.sync.centre.xlsx_common import MAX_CELL_TEXT, MAX_TITLE, fit_text, sheet_title


def test_sheet_names_are_valid_short_and_unique_without_case() -> None:
    taken: set[str] = set()
    assert sheet_title("Needs / [urgent]: *now*?", taken) == "Needs urgent now"
    assert sheet_title("needs urgent now", taken) == "needs urgent now (2)"
    long = "Rekrytointi haavoittuvan aseman hyväksikäytöllä"
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert len(first) <= MAX_TITLE and len(second) <= MAX_TITLE and first != second
    assert second.endswith(" (2)")
    assert sheet_title("History", taken) == "History (2)"  # Excel keeps "History" for itself
    assert sheet_title("'quoted'", taken) == "quoted"
    assert sheet_title("\\/", taken) == "Sheet"
    assert sheet_title("احتياجات", taken) == "احتياجات"
    assert all(not set(name) & set("[]:*?/\\") for name in taken)


def test_a_text_too_long_for_a_cell_is_cut_with_a_note_and_odd_characters_shown() -> None:
    assert fit_text("a\x07b\r\nc\rd", "…") == "a\ufffdb\nc\nd"
    note = " [cut]"
    cut = fit_text("😀" * 20_000, note)  # two UTF-16 units each: Excel counts those
    assert cut.endswith(note) and len(cut.encode("utf-16-le")) // 2 <= MAX_CELL_TEXT
    assert fit_text("x" * MAX_CELL_TEXT, note) == "x" * MAX_CELL_TEXT
    assert fit_text("x" * (MAX_CELL_TEXT + 1), note).endswith(note)


def test_characters_xml_cannot_hold_are_shown_not_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """U+FFFE, U+FFFF and lone surrogates pass the vault's checks; written as they are, they made
    the whole workbook unreadable."""
    import openpyxl

    text = fit_text("a\ufffeb\uffffc\ud800d", "…")
    assert text == "a\ufffdb\ufffdc\ufffdd"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append([text])
    book.save(tmp_path / "book.xlsx")
    assert openpyxl.load_workbook(tmp_path / "book.xlsx")["s"]["A1"].value == text
