"""The interviews as a CSV file: one row per interview, codes and words (export_table).

The file is personal data in clear text by design, written where the administrator chose,
atomically (temporary file beside it, fsync, rename) and readable by its owner only.

How it reads in a spreadsheet: UTF-8 with a byte-order mark, so Excel takes it for UTF-8; one
header row of column codes; lines end in CRLF. By default (`auto`) the separators follow the
language chosen for the labels, from Babel's (CLDR's) number symbols for that locale in Latin
digits: where its decimal symbol is a comma (Finnish, Swedish, Russian, Ukrainian,
Vietnamese), fields are separated by `;` and numbers written with a decimal comma (`-3,5`), as
Excel set to that locale expects, since it would not split a comma-separated file; everywhere
else (English, Arabic, Dari, Somali, Thai) fields are separated by `,` and numbers take a
decimal point. The administrator may choose the field separator instead, for an Excel whose
language is not the labels': `comma` writes a decimal point, `semicolon` a decimal comma (the
pairing of every locale whose list separator is `;`), `tab` the labels' decimal symbol (a tab
never clashes with it). So a decimal comma never meets a comma separator. Numbers are never
grouped ("1234,5"). Full dates are written `2026-12-07`, the moments `2026-11-28T16:02:11Z`
(UTC).

A text a spreadsheet could run as a formula (formula_guard) starts with an apostrophe; a
number is written as a number, a negative one too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Literal

from babel.numbers import get_decimal_symbol

from intake_app.domain.registry import FormRegistry
from intake_app.domain.utc_time import UTC_TIME_FORMAT
from intake_app.i18n.languages import babel_locale
from intake_app.storage import Vault, atomic_write_bytes, remove_leftovers
from intake_app.sync.centre.export_table import (
    InterviewTables,
    Progress,
    Value,
    attachment_count,
    exported_documents,
    forms_used,
)
from intake_app.sync.centre.formula_guard import csv_cell
from intake_app.sync.centre.xlsx_common import known_write_errors

Delimiter = Literal["auto", "comma", "semicolon", "tab"]
DELIMITERS: tuple[Delimiter, ...] = ("auto", "comma", "semicolon", "tab")


def separators(lang: str, delimiter: Delimiter = "auto") -> tuple[str, str]:
    """(field separator, decimal symbol) for a file whose labels are in `lang`, its fields
    separated as `delimiter` says (`auto`: as Excel in that language expects)."""
    if delimiter == "comma":
        return ",", "."
    if delimiter == "semicolon":
        return ";", ","
    decimal = "," if get_decimal_symbol(babel_locale(lang), numbering_system="latn") == "," else "."
    if delimiter == "tab":
        return "\t", decimal
    return (";" if decimal == "," else ","), decimal


def number_text(value: int | float, decimal: str) -> str:
    """A number as a spreadsheet set to the locale reads it: no grouping, no exponent."""
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)), "f").replace(".", decimal)


def cell_text(value: Value, decimal: str) -> str:
    """One cell's text: texts guarded against formulas, numbers, dates and moments as the
    module's docstring says."""
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_cell(value)
    if isinstance(value, dt.datetime):
        return value.strftime(UTC_TIME_FORMAT)
    if isinstance(value, dt.date):
        return value.isoformat()
    return number_text(value, decimal)


def export_csv(
    vault: Vault,
    registry: FormRegistry,
    out: Path,
    lang: str,
    progress: Progress | None = None,
    *,
    delimiter: Delimiter = "auto",
) -> int:
    """Write the interviews to `out`, labels in `lang`, fields separated as `delimiter` says;
    returns how many were written."""
    documents = exported_documents(vault)
    tables = InterviewTables(forms_used(registry, documents), lang, repeats_inline=True)
    separator, decimal = separators(lang, delimiter)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=separator, lineterminator="\r\n")
    writer.writerow([csv_cell(column.code) for column in tables.columns])
    for done, document in enumerate(documents, start=1):
        count = attachment_count(vault, str(document.get("id", "")))
        writer.writerow([cell_text(value, decimal) for value in tables.row(document, count)])
        if progress is not None:
            progress(done, len(documents))
    with known_write_errors(out):
        remove_leftovers(Path(out))  # what a killed export to the same file left behind
        atomic_write_bytes(Path(out), text.getvalue().encode("utf-8-sig"), mode=0o600)
    return len(documents)
