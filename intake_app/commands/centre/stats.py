"""`intake-app centre stats`: interviews counted by group, small groups hidden.

    centre stats [--by FIELD [--by FIELD2]] [--year YEAR] [--format table|xlsx|pdf] [--to FILE]
    centre stats --annual YEAR [--format ...] [--to FILE]

Without `--by` the overview (per month, by type of exploitation, nationality and age group);
`--annual` the report for the national rapporteur. A table goes to the terminal (`--json`: one
object per table, codes and words), a spreadsheet or a PDF with charts to `--to` (its format by
the file's extension when `--format` is not given). The PDF is drawn by Qt, through
`intake_app.app` (commands never import the window's code).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.commands.centre.output import (
    add_json_option,
    format_by_name,
    name_contradicts,
    print_json,
    refusing,
)
from intake_app.commands.centre.unlock import open_centre
from intake_app.i18n import _, current_language

if TYPE_CHECKING:
    from intake_app.sync.centre.stats_report import StatsReport

FORMATS = ("table", "xlsx", "pdf")


def _year(value: str) -> int:
    if value.isdigit() and 1900 <= int(value) <= 9999:
        return int(value)
    raise argparse.ArgumentTypeError(_("{value} is not a year", value=value))


def register(sub: Any) -> None:
    """Add `stats` to the `centre` subcommands."""
    stats = sub.add_parser("stats", help=_("count interviews by group (small groups hidden)"))
    stats.add_argument(
        "--by",
        action="append",
        default=None,
        metavar="FIELD",
        help=_("a question's name, or month, status or form (at most twice)"),
    )
    stats.add_argument(
        "--annual",
        type=_year,
        default=None,
        metavar="YEAR",
        help=_("the annual report for the national rapporteur"),
    )
    stats.add_argument(
        "--year",
        type=_year,
        default=None,
        metavar="YEAR",
        help=_("count only the interviews made in this year"),
    )
    stats.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help=_("table, xlsx or pdf (default: by the file's extension, else table)"),
    )
    stats.add_argument(
        "--to", type=Path, default=None, metavar="FILE", help=_("the file for xlsx or pdf")
    )
    add_json_option(stats)
    stats.set_defaults(handler=cmd_stats)


def _format(args: argparse.Namespace) -> str:
    """The output's format: `--format`, else the one `--to`'s name says, else a table."""
    chosen: str = args.format or format_by_name(args.to, FORMATS[1:], "table")
    return chosen


def _refused(args: argparse.Namespace) -> str | None:
    """Words refusing options that contradict each other or would be ignored; None if none."""
    if args.annual is not None and (args.by or args.year is not None):
        return _("The annual report has its own tables and year: leave out --by and --year.")
    if args.by and len(set(args.by)) < len(args.by):
        return _("Each --by must name a different field.")
    chosen = _format(args)
    if args.to is None:
        return None if chosen == "table" else _("Say where to save the file with --to FILE.")
    if chosen == "table":
        if args.format == "table":
            return _(
                "A table is printed here, not saved: leave out --to, or choose "
                "--format xlsx or --format pdf."
            )
        return _(
            "The name {file} does not say whether to save a spreadsheet or a PDF: add "
            "--format xlsx or --format pdf.",
            file=args.to,
        )
    if args.json:
        return _("--json prints the tables here: leave it out when saving them with --to.")
    return name_contradicts(chosen, args.to)


@refusing(_refused)
def cmd_stats(args: argparse.Namespace) -> int:
    from intake_app.domain.registry import FormRegistry
    from intake_app.i18n.languages import direction_of
    from intake_app.sync.centre.reports import check_group_fields
    from intake_app.sync.centre.stats_report import ReportChoice, make_report

    chosen = _format(args)
    registry = FormRegistry.load()
    if args.annual is not None:
        choice = ReportChoice("annual", year=args.annual)
    elif args.by:
        check_group_fields(registry, args.by)
        choice = ReportChoice("fields", tuple(args.by), args.year)
    else:
        choice = ReportChoice("overview", year=args.year)
    lang = current_language()
    with open_centre(args) as centre:
        report = make_report(centre.vault, registry, choice, lang, centre.profile.name)
    if chosen == "table":
        _print_report(report, args.json)
        return 0
    if chosen == "xlsx":
        from intake_app.sync.centre.stats_xlsx import write_stats_xlsx

        write_stats_xlsx(report, args.to, right_to_left=direction_of(lang) == "rtl")
    else:
        from intake_app.app import render_stats_pdf
        from intake_app.services.centre_stats import write_file

        write_file(args.to, render_stats_pdf(report))
    print(_("The statistics were saved to {file}.", file=args.to))
    return 0


def _print_report(report: StatsReport, as_json: bool) -> None:
    from intake_app.sync.centre.reports import MIN_GROUP
    from intake_app.sync.centre.stats_report import count_text, hidden_text, rule_lines, total_text

    for number, table in enumerate(report.tables):
        if as_json:
            print_json(
                {
                    "title": table.title,
                    "columns": list(table.fields),
                    "min_group": MIN_GROUP,
                    "total": table.total,
                    "withheld": table.withheld,
                    "rows": [
                        {"group": list(row.codes), "labels": list(row.labels), "count": row.count}
                        for row in table.rows
                    ],
                }
            )
            continue
        if number:
            print()
        print(table.title)
        print("\t".join([*table.headings, count_text()]))
        for row in table.rows:
            count = hidden_text() if row.count is None else str(row.count)
            print("\t".join([*row.labels, count]))
        total = hidden_text() if table.total is None else str(table.total)
        print("\t".join([total_text(), *([""] * (len(table.headings) - 1)), total]))
        for line in rule_lines(table):
            print(line, file=sys.stderr)
