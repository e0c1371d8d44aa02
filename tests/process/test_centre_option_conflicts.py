"""`intake-app centre ...` refuses options that contradict each other or that it would ignore:
exit code 2 and words on standard error, before the passphrase is asked (standard input is
empty here: a command that got past its options would stop asking for it)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from intake_app.cli import main
from intake_app.i18n import PSEUDO_LANGUAGE, gettext_in, set_language
from tests.helpers.cli import close_log_handlers

ASKED = "passphrase asked"  # the command took its options and went on to open the centre

Run = Callable[..., tuple[int | str, str]]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str, lang: str | None = None) -> tuple[int | str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        language = ["--lang", lang] if lang else []
        result: int | str
        try:
            result = main(["--data-dir", str(tmp_path / "none"), *language, "centre", *args])
        except SystemExit as stop:  # argparse's own refusal, or the passphrase was asked for
            result = ASKED if "No passphrase was given" in str(stop.code) else int(stop.code or 0)
        finally:
            close_log_handlers()
            set_language("en")
        out, err = capsys.readouterr()
        assert out == "" and "Traceback" not in err
        return result, err

    return run


REFUSED = [
    (["stats", "--annual", "2025", "--by", "gender"], "leave out --by and --year"),
    (["stats", "--annual", "2025", "--year", "2025"], "leave out --by and --year"),
    (["stats", "--by", "gender", "--by", "gender"], "a different field"),
    (["stats", "--format", "table", "--to", "t.xlsx"], "leave out --to"),
    (["stats", "--to", "report.txt"], "report.txt does not say"),
    (["stats", "--to", "report.csv"], "report.csv does not say"),
    (["stats", "--format", "xlsx", "--to", "r.pdf"], "r.pdf ends in .pdf"),
    (["stats", "--format", "pdf", "--to", "r.XLSX"], "would be written as pdf"),
    (["stats", "--format", "xlsx", "--to", "r.xlsx", "--json"], "leave it out when saving"),
    (["stats", "--to", "r.pdf", "--json"], "--json prints the tables here"),
    (["stats", "--format", "xlsx"], "--to FILE"),
    (["stats", "--format", "pdf", "--json"], "--to FILE"),
    (["export", "--format", "xlsx", "--to", "i.csv"], "i.csv ends in .csv"),
    (["export", "--format", "csv", "--to", "i.xlsx"], "would be written as csv"),
    (["export", "--to", "i.pdf"], "i.pdf ends in .pdf"),
    (["export", "--to", "i.xlsx", "--delimiter", "comma"], "--delimiter is for a CSV file"),
    (["export", "--to", "interviews", "--delimiter", "auto"], "--delimiter is for a CSV file"),
    (["export-csv", "--out", "i.xlsx"], "i.xlsx ends in .xlsx"),
    (["register"], "or use --all"),
    (["register", "--all", "0123abcd"], "or use --all"),
    (["enrolments", "request.json", "--share", "/mnt/share"], "leave out --share"),
    (["import"], "or use --inbox"),
    (["form", "preview-check"], "not both"),
    (["form", "preview-check", "form.xlsx", "--form", "intake-fi"], "not both"),
    (["form", "preview-check", "--form", "intake-fi", "--version", "2"], "leave out --version"),
    (["form", "publish", "--again", "--form", "intake-fi"], "leave out --form and --by"),
    (["form", "publish", "--again", "--by", "Anna"], "leave out --form and --by"),
    (["form", "import", "form.xlsx", "--to", "form.json", "--by", "Anna"], "leave out --by"),
    (["follow-up", "0123abcd", "--by", "Anna"], "give --status or --note"),
]

TAKEN = [
    ["stats", "--by", "gender", "--year", "2025"],
    ["stats", "--by", "gender", "--by", "age_band", "--json"],
    ["stats", "--annual", "2025", "--to", "annual.xlsx"],
    ["stats", "--format", "pdf", "--to", "report"],
    ["stats", "--to", "report.PDF"],
    ["stats", "--format", "table", "--json"],
    ["export", "--to", "interviews"],
    ["export", "--to", "interviews.csv", "--delimiter", "semicolon"],
    ["export", "--format", "csv", "--to", "interviews.tsv", "--delimiter", "tab"],
    ["export", "--format", "csv", "--to", "interviews.txt", "--labels-lang", "en"],
    ["export-csv", "--out", "interviews.csv", "--delimiter", "comma"],
    ["register", "--all"],
    ["register", "0123abcd"],
    ["enrolments", "request.json"],
    ["import", "--inbox"],
    ["form", "preview-check", "--form", "intake-fi"],
    ["form", "preview-check", "form.xlsx", "--version", "2"],
    ["form", "publish", "--again"],
    ["form", "publish", "--form", "intake-fi", "--by", "Anna"],
    ["follow-up", "0123abcd", "--status", "closed", "--by", "Anna"],
]


@pytest.mark.parametrize(("args", "words"), REFUSED, ids=[" ".join(a) for a, _w in REFUSED])
def test_options_that_contradict_or_would_be_ignored_are_refused_in_words(
    cli: Run, args: list[str], words: str
) -> None:
    code, err = cli(*args)
    assert code == 2
    assert err.startswith("intake-app: ") and words in err


@pytest.mark.parametrize("args", TAKEN, ids=" ".join)
def test_options_that_work_together_are_taken(cli: Run, args: list[str]) -> None:
    assert cli(*args)[0] == ASKED


def test_the_refusal_follows_the_language(cli: Run) -> None:
    code, err = cli("export", "--to", "i.xlsx", "--delimiter", "tab", lang=PSEUDO_LANGUAGE)
    message = "--delimiter is for a CSV file: leave it out when saving a spreadsheet."
    assert code == 2
    assert err.strip() == "intake-app: " + gettext_in(PSEUDO_LANGUAGE, message)


def test_the_labels_language_is_checked_as_lang_is(cli: Run) -> None:
    code, err = cli("export", "--to", "i.csv", "--labels-lang", "xx")
    assert code == 2 and "--labels-lang: xx is not a language of Intake; choose one of" in err


def test_the_parser_and_the_export_offer_the_same_separators() -> None:
    from intake_app.commands.centre import exports
    from intake_app.sync.centre.csv_export import DELIMITERS

    assert exports.DELIMITERS == DELIMITERS
