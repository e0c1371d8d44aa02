"""The interviews as CSV (issue 17): separators by the language's locale or as the
administrator chose, numbers as numbers (negative ones too, the decimal mark never the field
separator), dates as ISO text, UTF-8 with a byte-order mark."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.domain.form_loader import load_form_text
from intake_app.domain.registry import FormRegistry
from intake_app.sync.centre.csv_export import (
    DELIMITERS,
    Delimiter,
    cell_text,
    export_csv,
    number_text,
    separators,
)
from intake_app.sync.centre.errors import ExportNotSaved
from intake_app.sync.centre.forms import registry_validator
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from tests.helpers.bundles import Laptop
from tests.helpers.centre import FORM, PASSPHRASE, make_centre, register
from tests.helpers.documents import make_document

_NUMBERS_FORM = copy.deepcopy(FORM)
_NUMBERS_FORM["questions"][0]["children"] += [  # type: ignore[index]
    {"type": "decimal", "name": "balance", "label::en": "Balance"},
    {"type": "integer", "name": "moves", "label::en": "Moves"},
    {"type": "date", "name": "met_on", "label::en": "Met on"},
    {"type": "date", "name": "born", "label::en": "Born", "partial": True},
]
NUMBERS = FormRegistry([load_form_text(json.dumps(_NUMBERS_FORM), "numbers-form.json")])


@pytest.fixture
def numbers_centre(tmp_path: Path, laptop: Laptop) -> Iterator[Centre]:
    """A centre holding one interview with a negative decimal, an integer and two dates."""
    make_centre(tmp_path).close()
    with Centre.open(
        tmp_path / "centre-data", PASSPHRASE, validator=lambda: registry_validator(NUMBERS)
    ) as centre:
        register(centre, laptop)
        document = make_document(
            balance=-1234.5,
            moves=-3,
            met_on="2026-12-07",
            born="1994-05",
            alias="-3",
            account='@SUM(1;2),\t"x"',
        )
        written = laptop.bundle(tmp_path / "out", centre, records=[document])
        assert import_bundle(centre, written.path).delivered
        yield centre


def _read(path: Path) -> tuple[str, list[dict[str, str]]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    text = raw.decode("utf-8-sig")
    first_line = text.split("\r\n", 1)[0]
    delimiter = ";" if ";" in first_line else ","
    return delimiter, list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def test_finnish_gets_semicolons_and_a_decimal_comma_english_commas_and_a_point(
    numbers_centre: Centre, tmp_path: Path
) -> None:
    out = tmp_path / "fi.csv"
    assert export_csv(numbers_centre.vault, NUMBERS, out, "fi") == 1
    delimiter, [row] = _read(out)
    assert delimiter == ";"
    assert (row["balance"], row["moves"]) == ("-1234,5", "-3")  # numbers, not escaped
    assert row["alias"] == "'-3"  # a text that only looks like a number is guarded
    assert (row["met_on"], row["born"]) == ("2026-12-07", "1994-05")
    assert row["created"] == "2026-11-28T16:02:11Z"

    export_csv(numbers_centre.vault, NUMBERS, out, "en")
    delimiter, [row] = _read(out)
    assert delimiter == ","
    assert (row["balance"], row["moves"]) == ("-1234.5", "-3")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", (";", ",")),
        ("sv", (";", ",")),
        ("ru", (";", ",")),
        ("uk", (";", ",")),
        ("vi", (";", ",")),
        ("en", (",", ".")),
        ("ar", (",", ".")),
        ("fa-AF", (",", ".")),
        ("so", (",", ".")),
        ("th", (",", ".")),
    ],
)
def test_separators_follow_the_locales_decimal_symbol(lang: str, expected: tuple[str, str]) -> None:
    assert separators(lang) == expected


def test_numbers_are_written_whole_without_grouping_or_exponent() -> None:
    assert number_text(-1234.5, ",") == "-1234,5"
    assert number_text(1e-05, ".") == "0.00001"
    assert number_text(12345678901234567890, ",") == "12345678901234567890"
    assert cell_text(None, ",") == ""
    assert cell_text("=1+1", ",") == "'=1+1"


def test_a_folder_that_cannot_be_written_to_is_said_and_leaves_nothing(
    numbers_centre: Centre, tmp_path: Path
) -> None:
    with pytest.raises(ExportNotSaved):
        export_csv(numbers_centre.vault, NUMBERS, tmp_path / "missing" / "x.csv", "fi")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("lang", "delimiter", "expected"),
    [
        ("en", "semicolon", (";", ",")),
        ("fi", "comma", (",", ".")),
        ("fi", "tab", ("\t", ",")),
        ("en", "tab", ("\t", ".")),
        ("fi", "auto", (";", ",")),
        ("ar", "auto", (",", ".")),
    ],
)
def test_a_chosen_separator_brings_a_decimal_mark_that_never_clashes(
    lang: str, delimiter: Delimiter, expected: tuple[str, str]
) -> None:
    assert separators(lang, delimiter) == expected


@pytest.mark.parametrize("lang", ["fi", "en", "ar"])
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_every_separator_splits_into_the_same_cells_with_the_formula_guard(
    numbers_centre: Centre, tmp_path: Path, lang: str, delimiter: Delimiter
) -> None:
    out = tmp_path / "chosen.csv"
    assert export_csv(numbers_centre.vault, NUMBERS, out, lang, delimiter=delimiter) == 1
    separator, decimal = separators(lang, delimiter)
    assert separator != decimal
    text = out.read_bytes().decode("utf-8-sig")
    header, row = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    assert header[:2] == ["id", "revision"] and len(row) == len(header) > 10
    cells = dict(zip(header, row, strict=True))
    assert (cells["balance"], cells["moves"]) == (f"-1234{decimal}5", "-3")
    assert (cells["alias"], cells["account"]) == ("'-3", '\'@SUM(1;2),\t"x"')
    assert cells["met_on"] == "2026-12-07"
