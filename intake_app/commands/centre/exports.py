"""`intake-app centre export --format xlsx|csv --to FILE`: the interviews as a spreadsheet or
a CSV file (`export-csv --out FILE`, the older name, still writes the CSV).

The labels follow `--lang` (any command's), or `--labels-lang` for the file alone. A CSV
file's fields are separated as Excel in the labels' language expects unless `--delimiter`
says otherwise. The file is a clear-text copy of personal data: the command says so, and where
it is, every time. A file name that says another format, or `--delimiter` for a spreadsheet,
is refused before anything is asked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from intake_app.commands.centre.output import (
    add_labels_option,
    chosen_labels_language,
    format_by_name,
    name_contradicts,
    refusing,
)
from intake_app.commands.centre.unlock import open_centre
from intake_app.i18n import _, ngettext

FORMATS = ("xlsx", "csv")
DELIMITERS = ("auto", "comma", "semicolon", "tab")  # csv_export.DELIMITERS, not imported here


def register(sub: Any) -> None:
    """Add `export` and `export-csv` to the `centre` subcommands."""
    export = sub.add_parser(
        "export", help=_("export the interviews as a spreadsheet (xlsx) or a CSV file")
    )
    export.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help=_("xlsx or csv (default: by the file's extension, else xlsx)"),
    )
    export.add_argument("--to", type=Path, required=True, metavar="FILE")
    add_labels_option(export)
    _delimiter_option(export)
    export.set_defaults(handler=cmd_export)

    older = sub.add_parser(
        "export-csv", help=_("export the interviews as CSV (the same as export --format csv)")
    )
    older.add_argument("--out", "--to", dest="to", type=Path, required=True, metavar="FILE")
    add_labels_option(older)
    _delimiter_option(older)
    older.set_defaults(handler=cmd_export, format="csv")


def _delimiter_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--delimiter",
        choices=DELIMITERS,
        default=None,
        help=_(
            "what separates a CSV file's fields: auto (as Excel in the labels' language "
            "expects), comma, semicolon or tab"
        ),
    )


def chosen_format(asked: str | None, target: Path) -> str:
    """The format asked for, else the one the file's name says (xlsx unless it ends in .csv)."""
    return asked or format_by_name(target, FORMATS, "xlsx")


def _refused(args: argparse.Namespace) -> str | None:
    """Words refusing options that contradict each other or would be ignored; None if none."""
    chosen = chosen_format(args.format, args.to)
    if chosen == "xlsx" and args.delimiter is not None:
        return _("--delimiter is for a CSV file: leave it out when saving a spreadsheet.")
    return name_contradicts(chosen, args.to)


@refusing(_refused)
def cmd_export(args: argparse.Namespace) -> int:
    from intake_app.domain.registry import FormRegistry
    from intake_app.sync.centre.csv_export import Delimiter, export_csv
    from intake_app.sync.centre.xlsx_export import export_xlsx

    target = Path(args.to).absolute()
    lang = chosen_labels_language(args)
    delimiter: Delimiter = args.delimiter or "auto"
    registry = FormRegistry.load()
    with open_centre(args) as centre:
        if chosen_format(args.format, target) == "csv":
            count = export_csv(centre.vault, registry, target, lang, delimiter=delimiter)
        else:
            count = export_xlsx(centre.vault, registry, target, lang)
    print(
        ngettext(
            "{count} interview written to {file}.",
            "{count} interviews written to {file}.",
            count,
            count=count,
            file=target,
        )
    )
    print(clear_copy_notice(), file=sys.stderr)
    return 0


def clear_copy_notice() -> str:
    """What the administrator must know about the file just written."""
    return _(
        "The file holds the answers in clear text, outside the centre's vault. Keep it only "
        "where the centre keeps personal data, and delete it when it is no longer needed."
    )
