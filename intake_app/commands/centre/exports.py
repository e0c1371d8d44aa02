"""`intake-app centre export --format xlsx|csv --to FILE`: the interviews as a spreadsheet or
a CSV file (`export-csv --out FILE`, the older name, still writes the CSV).

The labels follow `--lang` (any command's), or `--labels-lang` for the file alone. The file is
a clear-text copy of personal data: the command says so, and where it is, every time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from intake_app.commands.centre.unlock import open_centre
from intake_app.i18n import _, current_language, ngettext, normalize_code

FORMATS = ("xlsx", "csv")


def _language(value: str) -> str:
    try:
        return normalize_code(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a language of Intake", value=value)
        ) from None


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
    _labels_option(export)
    export.set_defaults(handler=cmd_export)

    older = sub.add_parser(
        "export-csv", help=_("export the interviews as CSV (the same as export --format csv)")
    )
    older.add_argument("--out", "--to", dest="to", type=Path, required=True, metavar="FILE")
    _labels_option(older)
    older.set_defaults(handler=cmd_export, format="csv")


def _labels_option(parser: Any) -> None:
    # `--lang` (any command's) sets the labels' language too; this one sets only theirs.
    parser.add_argument(
        "--labels-lang",
        type=_language,
        default=None,
        metavar="LANG",
        help=_("language of the labels (default: that of the messages)"),
    )


def chosen_format(asked: str | None, target: Path) -> str:
    """The format asked for, else the one the file's name says (xlsx unless it ends in .csv)."""
    if asked is not None:
        return asked
    return "csv" if target.suffix.casefold() == ".csv" else "xlsx"


def cmd_export(args: argparse.Namespace) -> int:
    from intake_app.domain.registry import FormRegistry
    from intake_app.sync.centre.csv_export import export_csv
    from intake_app.sync.centre.xlsx_export import export_xlsx

    target = Path(args.to).absolute()
    write = export_csv if chosen_format(args.format, target) == "csv" else export_xlsx
    lang = args.labels_lang or current_language()
    with open_centre(args) as centre:
        count = write(centre.vault, FormRegistry.load(), target, lang)
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
